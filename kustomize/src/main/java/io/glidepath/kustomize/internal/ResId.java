package io.glidepath.kustomize.internal;

import java.util.Map;

/**
 * A resource's identity: type, name and namespace, as kustomize's {@code resid.ResId}. Namespaces
 * compare by their effective value: none is {@code default}, and cluster-scoped kinds have none.
 */
record ResId(Gvk gvk, String name, String namespace) {
  /** Kinds that are cluster-scoped, by kind, with the group they are cluster-scoped in. */
  private static final Map<String, String> CLUSTER_SCOPED =
      Map.ofEntries(
          Map.entry("APIService", "apiregistration.k8s.io"),
          Map.entry("CSIDriver", "storage.k8s.io"),
          Map.entry("CSINode", "storage.k8s.io"),
          Map.entry("CertificateSigningRequest", "certificates.k8s.io"),
          Map.entry("ClusterRole", "rbac.authorization.k8s.io"),
          Map.entry("ClusterRoleBinding", "rbac.authorization.k8s.io"),
          Map.entry("ComponentStatus", ""),
          Map.entry("CustomResourceDefinition", "apiextensions.k8s.io"),
          Map.entry("FlowSchema", "flowcontrol.apiserver.k8s.io"),
          Map.entry("IngressClass", "networking.k8s.io"),
          Map.entry("MutatingWebhookConfiguration", "admissionregistration.k8s.io"),
          Map.entry("Namespace", ""),
          Map.entry("Node", ""),
          Map.entry("PersistentVolume", ""),
          Map.entry("PodSecurityPolicy", "policy"),
          Map.entry("PriorityClass", "scheduling.k8s.io"),
          Map.entry("PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io"),
          Map.entry("RuntimeClass", "node.k8s.io"),
          Map.entry("SelfSubjectAccessReview", "authorization.k8s.io"),
          Map.entry("SelfSubjectRulesReview", "authorization.k8s.io"),
          Map.entry("StorageClass", "storage.k8s.io"),
          Map.entry("SubjectAccessReview", "authorization.k8s.io"),
          Map.entry("TokenReview", "authentication.k8s.io"),
          Map.entry("ValidatingAdmissionPolicy", "admissionregistration.k8s.io"),
          Map.entry("ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io"),
          Map.entry("ValidatingWebhookConfiguration", "admissionregistration.k8s.io"),
          Map.entry("VolumeAttachment", "storage.k8s.io"));

  static final String NOT_NAMESPACED = "_non_namespaceable_";

  ResId {
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
  }

  /** Whether objects of {@code gvk} are cluster-scoped in Kubernetes' built-in API. */
  static boolean clusterScoped(Gvk gvk) {
    String group = CLUSTER_SCOPED.get(gvk.kind());
    if (group == null) {
      return false;
    }
    // extensions/v1beta1 PodSecurityPolicy and similar moved kinds count too
    return group.equals(gvk.group()) || gvk.group().equals("extensions") && !group.isEmpty();
  }

  boolean clusterScoped() {
    return clusterScoped(gvk);
  }

  String effectiveNamespace() {
    if (clusterScoped()) {
      return NOT_NAMESPACED;
    }
    return namespace.isEmpty() ? "default" : namespace;
  }

  boolean namespaceEquals(ResId other) {
    return effectiveNamespace().equals(other.effectiveNamespace());
  }

  /** kustomize's {@code ResId.Equals}: same type, name and effective namespace. */
  boolean sameAs(ResId other) {
    return gvk.equals(other.gvk) && name.equals(other.name) && namespaceEquals(other);
  }

  /** kustomize's string form: {@code Deployment.v1.apps/web.prod}. */
  @Override
  public String toString() {
    return gvk + "/" + name + "." + (clusterScoped() || namespace.isEmpty() ? "[noNs]" : namespace);
  }
}

package io.glidepath.core.project;

import java.util.Set;

/**
 * Whether a kind is namespaced or cluster-scoped. The built-in table covers Kubernetes' own
 * cluster-scoped kinds and common CRDs; a live cluster's discovery (the kube module) knows all.
 */
@FunctionalInterface
public interface ResourceScope {
  /** Whether objects of {@code group}/{@code kind} live in a namespace. */
  boolean isNamespaced(String group, String kind);

  /** Kubernetes' built-in cluster-scoped kinds (and a few well-known CRDs); all else namespaced. */
  static ResourceScope builtIn() {
    Set<String> cluster =
        Set.of(
            "/Namespace",
            "/Node",
            "/PersistentVolume",
            "/ComponentStatus",
            "rbac.authorization.k8s.io/ClusterRole",
            "rbac.authorization.k8s.io/ClusterRoleBinding",
            "apiextensions.k8s.io/CustomResourceDefinition",
            "apiregistration.k8s.io/APIService",
            "storage.k8s.io/StorageClass",
            "storage.k8s.io/CSIDriver",
            "storage.k8s.io/CSINode",
            "storage.k8s.io/VolumeAttachment",
            "scheduling.k8s.io/PriorityClass",
            "node.k8s.io/RuntimeClass",
            "networking.k8s.io/IngressClass",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "certificates.k8s.io/CertificateSigningRequest",
            "flowcontrol.apiserver.k8s.io/FlowSchema",
            "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
            "policy/PodSecurityPolicy",
            "argoproj.io/ClusterAnalysisTemplate",
            "gateway.networking.k8s.io/GatewayClass",
            "cert-manager.io/ClusterIssuer");
    return (group, kind) -> !cluster.contains(group + "/" + kind);
  }
}

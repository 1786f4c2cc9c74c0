package io.glidepath.kustomize.internal;

import io.glidepath.core.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resource while a kustomization is built: a mutable body plus what kustomize remembers about it
 * (earlier names and namespaces, the prefixes and suffixes applied, whether it needs a hash
 * suffix). Not thread-safe; one build owns it.
 */
final class Res {
  /** Kinds kustomize treats as cluster-scoped (never given a namespace). */
  static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "APIService",
          "CSIDriver",
          "CSINode",
          "CertificateSigningRequest",
          "Cluster",
          "ClusterRole",
          "ClusterRoleBinding",
          "ComponentStatus",
          "CustomResourceDefinition",
          "FlowSchema",
          "IngressClass",
          "MutatingWebhookConfiguration",
          "Namespace",
          "Node",
          "PersistentVolume",
          "PodSecurityPolicy",
          "PriorityClass",
          "PriorityLevelConfiguration",
          "RuntimeClass",
          "SelfSubjectAccessReview",
          "SelfSubjectRulesReview",
          "StorageClass",
          "SubjectAccessReview",
          "TokenReview",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding",
          "ValidatingWebhookConfiguration",
          "VolumeAttachment");

  /** A name and namespace the resource had before a transformer changed it. */
  record Id(String name, String namespace) {}

  ObjectNode body;
  final Origin origin;
  final List<Id> previous = new ArrayList<>();
  final List<String> prefixes = new ArrayList<>();
  final List<String> suffixes = new ArrayList<>();
  boolean needsHash;
  String behavior = "create";

  Res(ObjectNode body, Origin origin) {
    this.body = body;
    this.origin = origin;
  }

  String apiVersion() {
    return body.path("apiVersion").asString("");
  }

  String group() {
    String v = apiVersion();
    int slash = v.indexOf('/');
    return slash < 0 ? "" : v.substring(0, slash);
  }

  String version() {
    String v = apiVersion();
    int slash = v.indexOf('/');
    return slash < 0 ? v : v.substring(slash + 1);
  }

  String kind() {
    return body.path("kind").asString("");
  }

  String name() {
    return body.path("metadata").path("name").asString("");
  }

  String namespace() {
    JsonNode ns = body.path("metadata").path("namespace");
    return ns.isString() ? ns.stringValue() : "";
  }

  boolean clusterScoped() {
    return CLUSTER_SCOPED.contains(kind());
  }

  /** kustomize's effective namespace: a marker for cluster-scoped kinds, "default" for none. */
  String effectiveNamespace() {
    return effective(namespace());
  }

  String effective(String ns) {
    if (clusterScoped()) {
      return "_non_namespaceable_";
    }
    return ns.isEmpty() ? "default" : ns;
  }

  boolean builtIn() {
    String g = group();
    return !g.contains(".") || g.endsWith(".k8s.io");
  }

  void setName(String name) {
    if (!name.equals(name())) {
      previous.add(new Id(name(), namespace()));
      ((ObjectNode) body.withObjectProperty("metadata")).put("name", name);
    }
  }

  void setNamespace(String ns) {
    if (!ns.equals(namespace())) {
      previous.add(new Id(name(), namespace()));
      body.withObjectProperty("metadata").put("namespace", ns);
    }
  }

  /** Every name and namespace this resource had, current first. */
  List<Id> allIds() {
    List<Id> ids = new ArrayList<>();
    ids.add(new Id(name(), namespace()));
    for (int i = previous.size() - 1; i >= 0; i--) {
      ids.add(previous.get(i));
    }
    return ids;
  }

  /** The very first name and namespace. */
  Id originalId() {
    return previous.isEmpty() ? new Id(name(), namespace()) : previous.get(0);
  }

  String describe() {
    String g = group();
    return (g.isEmpty() ? "" : g + "/")
        + kind()
        + " "
        + (namespace().isEmpty() ? "" : namespace() + "/")
        + name();
  }
}

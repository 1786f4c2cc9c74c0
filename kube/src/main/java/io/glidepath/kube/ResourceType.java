package io.glidepath.kube;

import java.util.List;
import java.util.Objects;

/**
 * A resource type the cluster serves, as discovery reports it.
 *
 * @param group API group, "" for core
 * @param version the served version Glidepath uses (the group's preferred one)
 * @param kind e.g. {@code Deployment}
 * @param plural e.g. {@code deployments}
 * @param namespaced whether objects live in namespaces
 * @param verbs the verbs the type supports
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    List<String> verbs) {

  public ResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    verbs = List.copyOf(verbs);
  }

  /** {@code v1} or {@code apps/v1}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The collection path in {@code namespace} ("" for all namespaces or cluster scope). */
  public String collectionPath(String namespace) {
    String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    if (namespaced && !namespace.isEmpty()) {
      return base + "/namespaces/" + namespace + "/" + plural;
    }
    return base + "/" + plural;
  }

  /** The path of one object. */
  public String itemPath(String namespace, String name) {
    return collectionPath(namespaced ? namespace : "") + "/" + name;
  }

  /** Whether objects of this type can be listed. */
  public boolean listable() {
    return verbs.contains("list");
  }

  /**
   * The hash of the type's identity (group, version, kind, plural), without the list of verbs:
   * equal types hash alike all the same, and the shared live cache hashes types (and maps keyed by
   * the dozens of them) for every app it registers, where hashing each verb list showed in the
   * start-up profile of a thousand apps.
   */
  @Override
  public int hashCode() {
    return ((group.hashCode() * 31 + version.hashCode()) * 31 + kind.hashCode()) * 31
        + plural.hashCode();
  }
}

package io.glidepath.testkit.internal.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One served resource type: what discovery reports and what the request router maps paths to.
 *
 * @param group API group, "" for the core group
 * @param version API version, e.g. {@code v1}
 * @param kind kind, e.g. {@code Deployment}
 * @param plural the lower-case plural used in paths, e.g. {@code deployments}
 * @param namespaced whether objects live in a namespace
 * @param custom whether the type is a custom resource (served like a CRD)
 * @param shortNames short names that {@code kubectl} accepts
 * @param statusSubresource whether the type has a {@code status} subresource (discovery lists
 *     {@code <plural>/status}; writes to the object keep the stored status): every built-in kind
 *     with a status, and a CRD only when it declares {@code subresources.status}
 */
public record ApiResource(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    boolean custom,
    List<String> shortNames,
    boolean statusSubresource) {

  public ApiResource {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    shortNames = List.copyOf(shortNames);
  }

  /** {@code v1} for the core group, {@code apps/v1} otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The collection path, in namespace {@code namespace} when namespaced. */
  public String collectionPath(String namespace) {
    String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    if (namespaced) {
      return base + "/namespaces/" + namespace + "/" + plural;
    }
    return base + "/" + plural;
  }

  /** The path of one object. */
  public String itemPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }

  /** The singular name, as discovery reports it. */
  public String singular() {
    return kind.toLowerCase(java.util.Locale.ROOT);
  }
}

package io.glidepath.core.resource;

import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of a Kubernetes object: API group, kind, namespace and name. The version is not part
 * of it: {@code apps/v1} and {@code apps/v1beta1} Deployments of one name are one object.
 *
 * <p>{@code toString()} gives {@code apps/Deployment:production/trade-service}; objects of the core
 * group print without a group ({@code Service:production/trade-service-stable}), and cluster-scoped
 * objects with an empty namespace ({@code Namespace:/production}).
 *
 * @param group the API group, {@code ""} for the core group
 * @param kind the kind, e.g. {@code Deployment}
 * @param namespace the namespace, {@code ""} for cluster-scoped objects or when unset
 * @param name the name
 */
public record ResourceKey(String group, String kind, String namespace, String name)
    implements Comparable<ResourceKey> {
  private static final Comparator<ResourceKey> ORDER =
      Comparator.comparing(ResourceKey::group)
          .thenComparing(ResourceKey::kind)
          .thenComparing(ResourceKey::namespace)
          .thenComparing(ResourceKey::name);

  public ResourceKey {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("kind must not be empty");
    }
  }

  /** The key of {@code resource}. */
  public static ResourceKey of(Resource resource) {
    return resource.key();
  }

  /** This key with another namespace. */
  public ResourceKey withNamespace(String namespace) {
    return new ResourceKey(group, kind, namespace, name);
  }

  /** {@code group/kind}, or {@code kind} for the core group. */
  public String groupKind() {
    return group.isEmpty() ? kind : group + "/" + kind;
  }

  @Override
  public int compareTo(ResourceKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return groupKind() + ":" + namespace + "/" + name;
  }
}

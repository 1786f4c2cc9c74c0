package io.glidepath.core.resource;

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

  /*
   * equals and hashCode written out, exactly as the record's generated ones compute them (the same
   * hash, so hash-ordered collections keep their order): the generated ones are bootstrapped at
   * their first call, which in a fresh JVM (every command-line run) spins about ten method-handle
   * classes that no class-data archive of Java 17 holds.
   */
  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof ResourceKey k
            && group.equals(k.group)
            && kind.equals(k.kind)
            && namespace.equals(k.namespace)
            && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    return ((group.hashCode() * 31 + kind.hashCode()) * 31 + namespace.hashCode()) * 31
        + name.hashCode();
  }

  /**
   * By group, then kind, namespace and name. Written out rather than built with {@link
   * java.util.Comparator#comparing}, whose serializable lambdas no class-data archive of Java 17
   * holds: a fresh JVM spun them at the first key it made.
   */
  @Override
  public int compareTo(ResourceKey other) {
    int c = group.compareTo(other.group);
    if (c == 0) {
      c = kind.compareTo(other.kind);
    }
    if (c == 0) {
      c = namespace.compareTo(other.namespace);
    }
    if (c == 0) {
      c = name.compareTo(other.name);
    }
    return c;
  }

  @Override
  public String toString() {
    return groupKind() + ":" + namespace + "/" + name;
  }
}

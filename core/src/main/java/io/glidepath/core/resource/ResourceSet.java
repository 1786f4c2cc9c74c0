package io.glidepath.core.resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An ordered set of resources, unique by {@link ResourceKey}: what a renderer produces and what a
 * cluster holds for an application.
 *
 * <p>Order is the order resources were added (for a render: file order, then document order).
 * Adding a second resource with a key already present is an error naming both origins.
 *
 * <p>Thread-safe (immutable).
 */
public final class ResourceSet implements Iterable<Resource> {
  private static final ResourceSet EMPTY = new ResourceSet(new LinkedHashMap<>());

  private final Map<ResourceKey, Resource> byKey;

  private ResourceSet(LinkedHashMap<ResourceKey, Resource> byKey) {
    this.byKey = Collections.unmodifiableMap(byKey);
  }

  public static ResourceSet empty() {
    return EMPTY;
  }

  /**
   * A set of {@code resources} in their order.
   *
   * @throws DuplicateResourceException when two share a key
   */
  public static ResourceSet of(Collection<Resource> resources) {
    LinkedHashMap<ResourceKey, Resource> map = new LinkedHashMap<>();
    for (Resource r : resources) {
      Resource previous = map.putIfAbsent(r.key(), Objects.requireNonNull(r, "resource"));
      if (previous != null) {
        throw new DuplicateResourceException(r.key(), previous.origin(), r.origin());
      }
    }
    return new ResourceSet(map);
  }

  public static ResourceSet of(Resource... resources) {
    return of(List.of(resources));
  }

  public Optional<Resource> get(ResourceKey key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public boolean contains(ResourceKey key) {
    return byKey.containsKey(key);
  }

  public int size() {
    return byKey.size();
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The keys, in order. */
  public Set<ResourceKey> keys() {
    return byKey.keySet();
  }

  /** The resources, in order. */
  public List<Resource> toList() {
    return List.copyOf(byKey.values());
  }

  public Stream<Resource> stream() {
    return byKey.values().stream();
  }

  @Override
  public Iterator<Resource> iterator() {
    return byKey.values().iterator();
  }

  /** The resources {@code keep} accepts, in order. */
  public ResourceSet filter(Predicate<Resource> keep) {
    LinkedHashMap<ResourceKey, Resource> map = new LinkedHashMap<>();
    byKey.forEach(
        (k, r) -> {
          if (keep.test(r)) {
            map.put(k, r);
          }
        });
    return new ResourceSet(map);
  }

  /**
   * Each resource changed by {@code change}, in order.
   *
   * @throws DuplicateResourceException when two changed resources end up with one key
   */
  public ResourceSet map(Function<Resource, Resource> change) {
    List<Resource> changed = new ArrayList<>(byKey.size());
    for (Resource r : byKey.values()) {
      changed.add(change.apply(r));
    }
    return of(changed);
  }

  /**
   * This set with {@code resource} added at the end, or replacing the one with its key in place.
   */
  public ResourceSet with(Resource resource) {
    LinkedHashMap<ResourceKey, Resource> map = new LinkedHashMap<>(byKey);
    map.put(resource.key(), resource);
    return new ResourceSet(map);
  }

  /** This set without the resource of {@code key}. */
  public ResourceSet without(ResourceKey key) {
    if (!byKey.containsKey(key)) {
      return this;
    }
    LinkedHashMap<ResourceKey, Resource> map = new LinkedHashMap<>(byKey);
    map.remove(key);
    return new ResourceSet(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceSet other && byKey.equals(other.byKey);
  }

  @Override
  public int hashCode() {
    return byKey.hashCode();
  }

  @Override
  public String toString() {
    return "ResourceSet" + byKey.keySet();
  }
}

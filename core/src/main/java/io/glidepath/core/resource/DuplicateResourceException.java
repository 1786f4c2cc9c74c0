package io.glidepath.core.resource;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;

/** Two resources with one {@link ResourceKey} in one {@link ResourceSet}. */
public final class DuplicateResourceException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final ResourceKey key;
  private final transient Origin first;
  private final transient Origin second;

  public DuplicateResourceException(ResourceKey key, Origin first, Origin second) {
    super("duplicate resource " + key + ": defined in " + first + " and again in " + second);
    this.key = key;
    this.first = first;
    this.second = second;
  }

  public ResourceKey key() {
    return key;
  }

  /** Where the key was defined first. */
  public Origin first() {
    return first;
  }

  /** Where it was defined again. */
  public Origin second() {
    return second;
  }
}

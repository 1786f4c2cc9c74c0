package io.glidepath.core.sync;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.ResourceKey;

/** A resource carries a sync annotation Glidepath cannot use (a bad wave, phase or option). */
public final class SyncAnnotationException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final ResourceKey key;
  private final String annotation;

  public SyncAnnotationException(ResourceKey key, String annotation, String problem) {
    super(key + ": annotation " + annotation + ": " + problem);
    this.key = key;
    this.annotation = annotation;
  }

  public ResourceKey key() {
    return key;
  }

  public String annotation() {
    return annotation;
  }
}

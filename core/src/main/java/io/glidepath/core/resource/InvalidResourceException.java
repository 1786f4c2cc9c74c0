package io.glidepath.core.resource;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;
import java.util.Objects;

/**
 * A document that is not a Kubernetes object: not a mapping, or without {@code apiVersion}, {@code
 * kind}, or {@code metadata.name} (unless {@code metadata.generateName} is set).
 */
public final class InvalidResourceException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final transient Origin origin;

  public InvalidResourceException(Origin origin, String problem) {
    super(origin + ": " + problem);
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** Where the document starts. */
  public Origin origin() {
    return origin;
  }
}

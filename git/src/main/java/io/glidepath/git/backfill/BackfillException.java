package io.glidepath.git.backfill;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.ResourceKey;
import java.util.Objects;

/**
 * A backfill could not be made at all: the resource's manifest cannot be found or edited, the new
 * branch could not be pushed. Nothing was pushed. (Single fields that cannot be written are
 * reported in {@link BackfillResult#refused()} instead.)
 */
public final class BackfillException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final transient ResourceKey resource;

  public BackfillException(ResourceKey resource, String reason) {
    super("cannot backfill " + resource + ": " + reason);
    this.resource = Objects.requireNonNull(resource, "resource");
  }

  /** The resource. */
  public ResourceKey resource() {
    return resource;
  }
}

package io.glidepath.core.app;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;

/**
 * An Application manifest Glidepath cannot use: an unknown field, a wrong type, a missing required
 * field or a bad value. {@link #path()} names the field ({@code spec.syncPolicy.retry.limit}).
 */
public final class ApplicationException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final transient Origin origin;
  private final String path;

  public ApplicationException(Origin origin, String path, String problem) {
    super(origin + ": " + path + ": " + problem);
    this.origin = origin;
    this.path = path;
  }

  public Origin origin() {
    return origin;
  }

  /** The dotted path of the offending field. */
  public String path() {
    return path;
  }
}

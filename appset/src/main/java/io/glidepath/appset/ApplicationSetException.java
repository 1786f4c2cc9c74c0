package io.glidepath.appset;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Origin;

/**
 * An ApplicationSet Glidepath cannot use, or one whose generation failed: an unknown field, a wrong
 * type, a generator Glidepath does not support, a template that does not render, two generated
 * Applications with one name. {@link #origin()} names the file and line, {@link #path()} the field
 * ({@code spec.generators[0].git.directories[1].path}).
 */
public class ApplicationSetException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final transient Origin origin;
  private final String path;

  public ApplicationSetException(Origin origin, String path, String problem) {
    super(origin + (path.isEmpty() ? "" : ": " + path) + ": " + problem);
    this.origin = origin;
    this.path = path;
  }

  public ApplicationSetException(Origin origin, String path, String problem, Throwable cause) {
    super(origin + (path.isEmpty() ? "" : ": " + path) + ": " + problem, cause);
    this.origin = origin;
    this.path = path;
  }

  /** Where the ApplicationSet came from (file and line where known). */
  public Origin origin() {
    return origin;
  }

  /** The dotted path of the offending field, or {@code ""} for the whole ApplicationSet. */
  public String path() {
    return path;
  }
}

package io.glidepath.core.render;

import io.glidepath.core.GlidepathException;
import java.util.Optional;

/**
 * An application that cannot be rendered: a missing file, a template error, a refused path. The
 * message names the app path and, where known, the file.
 */
public class RenderException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String file;

  public RenderException(String message) {
    this(message, null, null);
  }

  public RenderException(String message, String file, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file the problem is in, when it is about one file. */
  public Optional<String> file() {
    return Optional.ofNullable(file);
  }
}

package io.glidepath.git.writeback;

import io.glidepath.core.GlidepathException;
import java.util.Objects;

/**
 * A YAML file could not be edited: it is not valid YAML, the path leads nowhere it can write, or
 * the edit would change more than the one value. Nothing was changed.
 */
public final class YamlEditException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String path;

  public YamlEditException(String source, String path, String reason) {
    super("cannot set '" + path + "' in " + source + ": " + reason);
    this.source = Objects.requireNonNull(source, "source");
    this.path = Objects.requireNonNull(path, "path");
  }

  /** The file or source name. */
  public String source() {
    return source;
  }

  /** The path as given. */
  public String path() {
    return path;
  }
}

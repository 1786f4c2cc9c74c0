package io.glidepath.core.project;

import io.glidepath.core.GlidepathException;

/**
 * The place projects come from cannot give them: the projects directory cannot be read, a file in
 * it is not an AppProject, two projects share a name, or the cluster cannot be asked. No project is
 * assumed in its place: an app whose project cannot be read is not synced.
 */
public final class ProjectSourceException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String source;

  public ProjectSourceException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  /** The directory, file or cluster namespace the projects were to come from. */
  public String source() {
    return source;
  }
}

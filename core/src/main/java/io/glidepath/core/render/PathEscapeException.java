package io.glidepath.core.render;

import io.glidepath.core.Redaction;

/**
 * A path that leads outside the repository root, directly ({@code ../../etc/passwd}, an absolute
 * path), through a symlink, or as a URL where only files are allowed. Argo CD's CVE-2022-24348,
 * CVE-2022-24904, CVE-2022-31036 and CVE-2023-40026 were of this kind.
 */
public final class PathEscapeException extends RenderException {
  private static final long serialVersionUID = 1L;

  private final String requested;

  public PathEscapeException(String requested, String problem) {
    super(
        "refused path \"" + Redaction.url(requested) + "\": " + problem,
        Redaction.url(requested),
        null);
    this.requested = Redaction.url(requested);
  }

  /** The path as given; when it is a URL, without the credentials in it. */
  public String requested() {
    return requested;
  }
}

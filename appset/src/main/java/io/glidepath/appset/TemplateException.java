package io.glidepath.appset;

import io.glidepath.core.GlidepathException;

/**
 * A template that cannot be rendered: a Go template that does not parse or fails while it runs
 * ({@code missingkey=error}, a function's error, {@code fail}), a fasttemplate without its end tag,
 * a Go template feature or Sprig function Glidepath's engine does not implement, or a template that
 * exceeds the engine's limits (output size, steps, nesting). {@link #kind()} tells which.
 */
public final class TemplateException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  /** Why a template could not be rendered. */
  public enum Kind {
    /** The template text does not parse (Go's or fasttemplate's syntax). */
    PARSE,
    /** The template parsed but failed while running (as Go's {@code Execute} fails). */
    EXECUTE,
    /** A feature or function Glidepath's Go template engine does not implement. */
    UNSUPPORTED,
    /** The template ran past a limit: output size, steps, or nesting depth. */
    LIMIT
  }

  private final Kind kind;

  public TemplateException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** Why it failed. */
  public Kind kind() {
    return kind;
  }
}

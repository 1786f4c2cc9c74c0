package io.glidepath.core.render;

/**
 * A render stopped because it passed one of its bounds: it took too long, produced too much output
 * or used too much memory. Nothing of it is used. The message names the app (the chart) and the
 * bound.
 *
 * <pre>{@code
 * } catch (RenderLimitException e) {
 *   log.warn("{} passed its {} limit", e.app(), e.limit());
 * }
 * }</pre>
 */
public final class RenderLimitException extends RenderException {
  private static final long serialVersionUID = 1L;

  /** Which bound the render passed. */
  public enum Limit {
    /** The render took longer than allowed. */
    TIME,
    /** The rendered output was larger than allowed. */
    OUTPUT,
    /** The render used more memory than allowed. */
    MEMORY
  }

  private final String app;
  private final Limit limit;

  public RenderLimitException(String app, Limit limit, String message) {
    super(message, app, null);
    this.app = app;
    this.limit = limit;
  }

  /** The app (chart) whose render was stopped, relative to the repository root. */
  public String app() {
    return app;
  }

  public Limit limit() {
    return limit;
  }
}

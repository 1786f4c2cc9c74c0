package io.glidepath.analysis;

/**
 * An analysis template that cannot be read or is invalid: an unknown field, a value of the wrong
 * type, a limit out of range.
 *
 * <p>{@link #source()} names the file (or another source) and {@link #path()} the field, in the
 * form {@code spec.metrics[0].failureLimit}, so that a person can find the place at once.
 */
public final class TemplateException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String path;
  private final String problem;

  /**
   * @param source the file or other named source; empty when not known yet (a provider's {@code
   *     validate} names only the field; the loader adds the source)
   * @param path the offending field's path, empty for the root
   * @param problem what is wrong
   */
  public TemplateException(String source, String path, String problem) {
    super((source.isEmpty() ? "" : source + ": ") + (path.isEmpty() ? "" : path + ": ") + problem);
    this.source = source;
    this.path = path;
    this.problem = problem;
  }

  /** The file or other named source the template came from. */
  public String source() {
    return source;
  }

  /** The path of the offending field, e.g. {@code spec.metrics[1].interval}; empty for the root. */
  public String path() {
    return path;
  }

  /** What is wrong, without source and path. */
  public String problem() {
    return problem;
  }
}

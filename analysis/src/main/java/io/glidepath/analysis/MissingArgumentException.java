package io.glidepath.analysis;

/**
 * A metric refers to {@code {{args.NAME}}} but no value was supplied for that argument, the
 * template declares no default and no {@code valueFrom} could be resolved.
 */
public final class MissingArgumentException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  private final String template;
  private final String metric;
  private final String argument;

  public MissingArgumentException(String template, String metric, String argument) {
    super(
        "AnalysisTemplate '"
            + template
            + "' metric '"
            + metric
            + "' refers to argument '"
            + argument
            + "', which has no value (args."
            + argument
            + " was not resolved)");
    this.template = template;
    this.metric = metric;
    this.argument = argument;
  }

  /**
   * A declared argument that ends without a value (Argo: {@code args.NAME was not resolved}), used
   * by a metric or not.
   */
  public MissingArgumentException(String template, String argument) {
    super("AnalysisTemplate '" + template + "': args." + argument + " was not resolved");
    this.template = template;
    this.metric = "";
    this.argument = argument;
  }

  /** The template's name. */
  public String template() {
    return template;
  }

  /** The metric whose field refers to the argument; empty if no metric was being resolved. */
  public String metric() {
    return metric;
  }

  /** The argument's name. */
  public String argument() {
    return argument;
  }
}

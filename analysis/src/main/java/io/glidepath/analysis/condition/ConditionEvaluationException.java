package io.glidepath.analysis.condition;

import io.glidepath.analysis.AnalysisException;

/**
 * A condition that compiled but could not be evaluated against a result: an index out of range on
 * an empty vector, a function applied to a value of the wrong type, or a non-boolean outcome.
 *
 * <p>The analysis turns it into a measurement in phase {@code Error}, never into a crash.
 */
public final class ConditionEvaluationException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  private final String expression;

  public ConditionEvaluationException(String expression, String problem, Throwable cause) {
    super("condition '" + expression + "' could not be evaluated: " + problem, cause);
    this.expression = expression;
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }
}

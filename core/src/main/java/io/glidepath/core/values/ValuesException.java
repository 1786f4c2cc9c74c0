package io.glidepath.core.values;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Redaction;

/**
 * A {@code --set} expression or a value path that cannot be parsed or applied. The message quotes
 * at most the start of the expression ({@link Redaction#excerpt(String)}).
 */
public final class ValuesException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String expression;

  public ValuesException(String expression, String problem) {
    super("cannot apply " + Redaction.excerpt(expression) + ": " + problem);
    this.expression = expression;
  }

  /** The expression as the user gave it. */
  public String expression() {
    return expression;
  }
}

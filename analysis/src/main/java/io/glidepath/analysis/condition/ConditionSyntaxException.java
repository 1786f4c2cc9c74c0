package io.glidepath.analysis.condition;

import io.glidepath.analysis.AnalysisException;

/**
 * A success or failure condition that does not compile: a syntax error, an unknown function, a type
 * error, or an expression over the size limit.
 *
 * <p>{@link #line()} and {@link #column()} (1-based) point into the expression as the user wrote
 * it, even where the expr-style syntax was rewritten to CEL before compiling.
 */
public final class ConditionSyntaxException extends AnalysisException {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private final int line;
  private final int column;
  private final String problem;

  public ConditionSyntaxException(String expression, int line, int column, String problem) {
    super(
        "condition '"
            + expression
            + "' is invalid at "
            + line
            + ":"
            + column
            + ": "
            + problem
            + System.lineSeparator()
            + pointer(expression, line, column));
    this.expression = expression;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  private static String pointer(String expression, int line, int column) {
    String[] lines = expression.split("\n", -1);
    String text = line >= 1 && line <= lines.length ? lines[line - 1] : expression;
    return " | "
        + text
        + System.lineSeparator()
        + " | "
        + ".".repeat(Math.max(0, column - 1))
        + "^";
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /** The 1-based line of the problem in the expression. */
  public int line() {
    return line;
  }

  /** The 1-based column of the problem in its line. */
  public int column() {
    return column;
  }

  /** What is wrong, without the position. */
  public String problem() {
    return problem;
  }
}

package io.glidepath.analysis;

/**
 * How {@code {{args.NAME}}} reaches a metric's {@code successCondition} and {@code
 * failureCondition}.
 *
 * <pre>{@code
 * template.resolve(args, ArgumentResolver.NONE, ArgumentBinding.VARIABLES);
 * }</pre>
 *
 * <p>Argo Rollouts substitutes the argument's text into the condition before compiling it ({@link
 * #TEXT}), so an argument is code: {@code threshold=2 || true} turns {@code result[0] <
 * {{args.threshold}}} into an expression that is always true. {@link #VARIABLES} binds arguments as
 * CEL values instead, so an argument can only ever be one value.
 */
public enum ArgumentBinding {
  /**
   * Argo Rollouts' behaviour, the default: the argument's text replaces the placeholder. Use it for
   * templates that rely on splicing text into the expression.
   */
  TEXT,

  /**
   * The safe mode. A placeholder where code goes becomes {@code args["NAME"]}, a CEL variable bound
   * to the argument's value: an integer, a float, {@code true}/{@code false} when the text is
   * exactly one, else the string. A placeholder inside a string literal ({@code "{{args.NAME}}"})
   * is the argument's text, escaped so it cannot end the literal. Conditions that compared a
   * substituted number keep working; an argument such as {@code 2 || true} is a string, and
   * comparing a number with it is an evaluation error, not an always-true condition.
   */
  VARIABLES
}

package io.glidepath.analysis.condition;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.internal.CelSupport;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled success or failure condition.
 *
 * <p>Conditions are <a href="https://cel.dev">CEL</a> expressions over one variable, {@code result}
 * (the provider's value: a number for a scalar, a list for a vector). So that existing Argo
 * Rollouts templates work unchanged, Argo's expr vocabulary is accepted too:
 *
 * <ul>
 *   <li>{@code result}, {@code result[0]}, {@code len(x)} (CEL {@code size(x)}), {@code and},
 *       {@code or}, {@code not}, {@code nil};
 *   <li>{@code isNaN(x)}, {@code isInf(x)}, {@code isNil(x)}, {@code asInt(x)}, {@code asFloat(x)},
 *       {@code default(x, d)};
 *   <li>{@code all(result, # < 1)} and {@code all(result, {# < 1})}, likewise {@code any}, {@code
 *       none}, {@code one}, {@code filter}, {@code map}, {@code count}: rewritten to CEL's macros
 *       ({@code result.all(x, x < 1)}), which may also be written directly.
 * </ul>
 *
 * <p>Numbers compare across int and double ({@code result[0] >= 1} compiles), and {@code + - * /}
 * accept one int and one double operand, as expr does. Expressions are limited to {@value
 * #MAX_LENGTH} characters, and comprehensions to {@value #MAX_ITERATIONS} iterations.
 *
 * <p>Example: {@code Condition.compile("result[0] >= 0.99").test(MetricValue.vector(0.995))} is
 * true.
 *
 * <p>Compiled conditions are cached by expression text; instances are immutable and thread-safe.
 */
public final class Condition {
  /** The longest expression accepted, in characters. */
  public static final int MAX_LENGTH = CelSupport.MAX_EXPRESSION_LENGTH;

  /** The most iterations all comprehensions of one evaluation may run. */
  public static final int MAX_ITERATIONS = CelSupport.MAX_ITERATIONS;

  private static final int CACHE_LIMIT = 4096;
  private static final Map<String, Condition> CACHE = new ConcurrentHashMap<>();

  private final String expression;
  private final CelSupport.Compiled compiled;

  private Condition(String expression, CelSupport.Compiled compiled) {
    this.expression = expression;
    this.compiled = compiled;
  }

  /**
   * Compiles {@code expression}, or returns the cached compilation.
   *
   * @throws ConditionSyntaxException if the expression does not compile
   */
  public static Condition compile(String expression) {
    Objects.requireNonNull(expression, "expression");
    Condition cached = CACHE.get(expression);
    if (cached != null) {
      return cached;
    }
    Condition fresh = new Condition(expression, CelSupport.compile(expression));
    if (CACHE.size() >= CACHE_LIMIT) {
      // a crude bound: templates hold a handful of conditions, so a full cache means churn
      CACHE.clear();
    }
    CACHE.put(expression, fresh);
    return fresh;
  }

  /**
   * Evaluates the condition with {@code result} bound to {@code result}.
   *
   * @throws ConditionEvaluationException if evaluation fails or does not give a boolean
   */
  public boolean test(MetricValue result) {
    return test(result, Map.of());
  }

  /**
   * Evaluates the condition with {@code result} bound to {@code result} and {@code args} to the map
   * {@code args} (the template's arguments, under {@code ArgumentBinding.VARIABLES}).
   *
   * @throws ConditionEvaluationException if evaluation fails or does not give a boolean
   */
  public boolean test(MetricValue result, Map<String, Object> args) {
    Object outcome;
    try {
      outcome = compiled.evaluate(result.celValue(), args);
    } catch (CelSupport.EvaluationFailure e) {
      throw new ConditionEvaluationException(expression, e.getMessage(), e.getCause());
    }
    if (outcome instanceof Boolean b) {
      return b;
    }
    throw new ConditionEvaluationException(
        expression,
        "expected a bool, but got " + MetricValue.class.getSimpleName() + " " + outcome,
        null);
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /** The CEL text the expression was rewritten to (equal to the expression if it was CEL). */
  public String celExpression() {
    return compiled.celText();
  }

  @Override
  public String toString() {
    return expression;
  }
}

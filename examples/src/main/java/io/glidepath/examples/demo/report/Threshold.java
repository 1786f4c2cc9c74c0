package io.glidepath.examples.demo.report;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The number an AnalysisTemplate condition compares the measured value with, for a chart's
 * threshold line: {@code result[0] >= 0.99} (or {@code result >= 0.99}, or {@code 0.99 <=
 * result[0]}) gives 0.99. Conditions of another shape (several clauses, functions) have none.
 *
 * <pre>{@code
 * Threshold.of("result[0] < 0.95")   // Optional[Threshold[operator=<, value=0.95, ...]]
 * }</pre>
 *
 * @param operator {@code >=}, {@code >}, {@code <=}, {@code <} or {@code ==}, with the result on
 *     the left
 * @param value the number
 * @param condition the condition's text, trimmed
 */
public record Threshold(String operator, double value, String condition) {
  private static final String NUMBER = "([-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?)";
  private static final String RESULT = "result(?:\\[0\\])?";
  private static final Pattern RESULT_FIRST =
      Pattern.compile("^\\s*" + RESULT + "\\s*(>=|<=|==|>|<)\\s*" + NUMBER + "\\s*$");
  private static final Pattern NUMBER_FIRST =
      Pattern.compile("^\\s*" + NUMBER + "\\s*(>=|<=|==|>|<)\\s*" + RESULT + "\\s*$");

  public Threshold {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(condition, "condition");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be finite, but was " + value);
    }
  }

  /** The threshold of {@code condition}, if it compares the first result with one number. */
  public static Optional<Threshold> of(String condition) {
    Matcher m = RESULT_FIRST.matcher(condition);
    if (m.matches()) {
      return Optional.of(
          new Threshold(m.group(1), Double.parseDouble(m.group(2)), condition.trim()));
    }
    m = NUMBER_FIRST.matcher(condition);
    if (m.matches()) {
      return Optional.of(
          new Threshold(flip(m.group(2)), Double.parseDouble(m.group(1)), condition.trim()));
    }
    return Optional.empty();
  }

  private static String flip(String operator) {
    return switch (operator) {
      case ">=" -> "<=";
      case "<=" -> ">=";
      case ">" -> "<";
      case "<" -> ">";
      default -> operator;
    };
  }
}

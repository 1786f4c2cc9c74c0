package io.glidepath.analysis.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.MetricValue;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {

  private static boolean eval(String expression, MetricValue result) {
    return Condition.compile(expression).test(result);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "result[0] >= 0.99            | 0.995   | true",
        "result[0] >= 0.99            | 0.97    | false",
        "result[0] >= 1               | 1.0     | true",
        "result[0] < 1                | 0.5     | true",
        "result[0] * 100 > 99         | 0.995   | true",
        "100 * result[0] > 99         | 0.985   | false",
        "result[0] / 2 == 0.25        | 0.5     | true",
        "result[0] + 1 > 1            | 0.5     | true",
        "len(result) == 2             | 1 2     | true",
        "size(result) == 1            | 3       | true",
        "all(result, # < 1)           | 0.1 0.2 | true",
        "all(result, {# < 1})         | 0.1 2   | false",
        "any(result, # > 1)           | 0.1 2   | true",
        "none(result, # > 1)          | 0.1 2   | false",
        "one(result, # > 1)           | 0.1 2   | true",
        "count(result, # > 0.5) == 1  | 0.1 2   | true",
        "len(filter(result, # > 0.5)) == 1 | 0.1 2 | true",
        "result.all(x, x < 1)         | 0.1 0.2 | true",
        "result.exists(x, x >= 1)     | 0.1 0.2 | false",
        "result[0] > 0.5 and result[1] > 0.5 | 0.6 0.7 | true",
        "result[0] > 0.5 or result[1] > 0.5  | 0.1 0.7 | true",
        "not (result[0] > 0.5)        | 0.1     | true",
        "isNaN(result[0])             | NaN     | true",
        "isNaN(result[0])             | 0.1     | false",
        "isInf(result[0])             | +Inf    | true",
        "asInt(result[0]) == 2        | 2.7     | true",
        "asFloat(result[0]) > 2.5     | 2.7     | true",
        "default(result[0], 0) == 2.7 | 2.7     | true",
        "result[0] >= 0.99 ? true : false | 0.999 | true",
        "all(result, all(result, # > 0))  | 1 2 | true",
        "asFloat(result[0]) == 1      | 1       | true",
        "asFloat(result[0]) == 1      | 1.5     | false",
        "asFloat(result[0]) != 1      | 1.5     | true",
        "asInt(result[0]) == 1.0      | 1.2     | true",
        "asInt(result[0]) != 1.0      | 1.2     | false",
        "asFloat(result[0]) in [1, 2] | 2       | true",
        "asFloat(result[0]) + 1 > 2.5 | 2       | true",
        "isNaN(asFloat(result[0]))    | NaN     | true",
        "asFloat(result[0]) in [1, 2] | 2.5     | false",
        "asInt(result[0]) in [1.0, 2.5] | 1.7   | true",
        "result[0] == 1               | 1       | true",
      })
  void acceptsArgoExprVocabulary(String expression, String values, boolean expected) {
    assertThat(eval(expression.trim(), vector(values))).isEqualTo(expected);
  }

  private static MetricValue vector(String values) {
    String[] parts = values.trim().split("\\s+");
    double[] numbers = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      numbers[i] =
          switch (parts[i]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            default -> Double.parseDouble(parts[i]);
          };
    }
    return MetricValue.vector(numbers);
  }

  @Test
  void scalarResultIsANumber() {
    assertThat(eval("result >= 0.5", MetricValue.scalar(0.7))).isTrue();
    assertThat(eval("isNaN(result)", MetricValue.scalar(Double.NaN))).isTrue();
  }

  @Test
  void stringsAndMapsFromWebProviders() {
    assertThat(eval("asFloat(result) > 1.5", MetricValue.string("2.5"))).isTrue();
    assertThat(eval("asInt(result) == 3", MetricValue.string("3"))).isTrue();
    assertThat(
            eval(
                "result.status == 'ok' and result.n > 1",
                MetricValue.map(
                    Map.of("status", MetricValue.string("ok"), "n", MetricValue.scalar(2)))))
        .isTrue();
    assertThat(eval("result == `a\"b`", MetricValue.string("a\"b"))).isTrue();
  }

  @Test
  void isNilAndDefaultSeeJsonNull() {
    MetricValue nullValue = MetricValue.ofJson(tools.jackson.databind.node.NullNode.getInstance());
    assertThat(eval("isNil(result)", nullValue)).isTrue();
    assertThat(eval("result == nil", nullValue)).isTrue();
    assertThat(eval("default(result, 5) == 5", nullValue)).isTrue();
    assertThat(eval("isNil(result)", MetricValue.scalar(1))).isFalse();
  }

  @Test
  void indexOnEmptyResultIsAnEvaluationErrorNotACrash() {
    assertThatThrownBy(() -> eval("result[0] >= 0.99", MetricValue.vector()))
        .isInstanceOf(ConditionEvaluationException.class)
        .hasMessageContaining("result[0] >= 0.99")
        .hasMessageContaining("out of bounds");
  }

  @Test
  void wrongTypeAtRuntimeIsAnEvaluationError() {
    assertThatThrownBy(() -> eval("isNaN(result)", MetricValue.vector(1)))
        .isInstanceOf(ConditionEvaluationException.class);
    assertThatThrownBy(() -> eval("asInt(result[0]) == 1", MetricValue.vector(Double.NaN)))
        .isInstanceOf(ConditionEvaluationException.class);
  }

  @Test
  void nonBooleanOutcomeIsAnEvaluationError() {
    assertThatThrownBy(() -> eval("result[0] + 1", MetricValue.vector(1)))
        .isInstanceOf(ConditionEvaluationException.class)
        .hasMessageContaining("expected a bool");
  }

  @Test
  void syntaxErrorReportsThePositionInTheOriginalText() {
    assertThatThrownBy(() -> Condition.compile("result[0] >= "))
        .isInstanceOfSatisfying(
            ConditionSyntaxException.class,
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(14);
            });
    // after a rewrite (and -> &&) the column still points into the user's text
    assertThatThrownBy(() -> Condition.compile("result[0] > 1 and resul[0] < 2"))
        .isInstanceOfSatisfying(
            ConditionSyntaxException.class,
            e -> {
              assertThat(e.column()).isEqualTo(19);
              assertThat(e.problem()).contains("resul");
            });
  }

  @Test
  void unknownFunctionAndStrayHashAreSyntaxErrors() {
    assertThatThrownBy(() -> Condition.compile("median(result) > 1"))
        .isInstanceOf(ConditionSyntaxException.class)
        .hasMessageContaining("median");
    assertThatThrownBy(() -> Condition.compile("# > 1"))
        .isInstanceOfSatisfying(
            ConditionSyntaxException.class, e -> assertThat(e.column()).isEqualTo(1));
  }

  @Test
  void oversizedExpressionIsRejected() {
    String huge = "result[0] > 1" + " || result[0] > 1".repeat(300);
    assertThatThrownBy(() -> Condition.compile(huge))
        .isInstanceOf(ConditionSyntaxException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void comprehensionsAreBounded() {
    double[] many = new double[200];
    Condition nested = Condition.compile("result.all(x, result.all(y, x + y >= 0.0))");
    assertThatThrownBy(() -> nested.test(MetricValue.vector(many)))
        .isInstanceOf(ConditionEvaluationException.class);
  }

  @Test
  void compiledConditionsAreCached() {
    assertThat(Condition.compile("result[0] < 0.95"))
        .isSameAs(Condition.compile("result[0] < 0.95"));
  }
}

package io.glidepath.analysis;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;

/**
 * The value a metric provider returned for one measurement: what a condition sees as {@code
 * result}.
 *
 * <p>Numbers are always {@code double} (as in Argo Rollouts, where JSON numbers and Prometheus
 * samples are {@code float64}); a Prometheus scalar is a number, a vector a list of numbers, a
 * matrix the flattened list of its samples. JSON from a web provider keeps its shape (objects,
 * lists, strings, booleans, null). {@code toString()} renders the value as Argo stores it in a
 * measurement, e.g. {@code [0.995]}.
 *
 * <p>Example: {@code MetricValue.vector(0.995)} is what a Prometheus query returning one series
 * gives; {@code successCondition: result[0] >= 0.99} then holds.
 *
 * <p>Immutable and thread-safe.
 */
public final class MetricValue {
  private final Object value;

  private MetricValue(Object value) {
    this.value = value;
  }

  /** A single number, e.g. a Prometheus scalar. */
  public static MetricValue scalar(double value) {
    return new MetricValue(value);
  }

  /** A list of numbers, e.g. a Prometheus instant vector (one element per series). */
  public static MetricValue vector(double... values) {
    List<Object> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return new MetricValue(Collections.unmodifiableList(list));
  }

  /** A list of numbers. */
  public static MetricValue vector(List<Double> values) {
    List<Object> list = new ArrayList<>(values.size());
    for (Double v : values) {
      list.add(Objects.requireNonNull(v, "values must not contain null"));
    }
    return new MetricValue(Collections.unmodifiableList(list));
  }

  /** A string, e.g. a web provider's field. */
  public static MetricValue string(String value) {
    return new MetricValue(Objects.requireNonNull(value, "value"));
  }

  /** A list of values of any shape, e.g. CloudWatch's metric data results. */
  public static MetricValue list(List<MetricValue> values) {
    List<Object> copy = new ArrayList<>(values.size());
    values.forEach(v -> copy.add(v.value));
    return new MetricValue(Collections.unmodifiableList(copy));
  }

  /** A map of named values, e.g. a canary judge's score and classification. */
  public static MetricValue map(Map<String, MetricValue> values) {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, v.value));
    return new MetricValue(Collections.unmodifiableMap(copy));
  }

  /**
   * The value of a JSON tree: numbers become doubles, objects maps, arrays lists, null the CEL
   * {@code null}.
   */
  public static MetricValue ofJson(JsonNode node) {
    return new MetricValue(fromJson(node));
  }

  private static Object fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isString()) {
      return node.stringValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode element : node.values()) {
        list.add(fromJson(element));
      }
      return Collections.unmodifiableList(list);
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        map.put(e.getKey(), fromJson(e.getValue()));
      }
      return Collections.unmodifiableMap(map);
    }
    return node.asString();
  }

  /**
   * The value in the form the condition engine takes: {@code Double}, {@code Boolean}, {@code
   * String}, {@code List}, {@code Map} or CEL's {@code NullValue}.
   */
  public Object celValue() {
    return value;
  }

  /** True for a list with no element (a Prometheus query that matched no series). */
  public boolean isEmpty() {
    return value instanceof List<?> list && list.isEmpty();
  }

  /** The numbers of this value, if it is a number or a list of numbers. */
  public List<Double> numbers() {
    if (value instanceof Double d) {
      return List.of(d);
    }
    List<Double> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Double d) {
          out.add(d);
        }
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricValue other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The value as Argo Rollouts records it: numbers at full precision, e.g. {@code [0.995]}. */
  @Override
  public String toString() {
    return render(value, false);
  }

  /**
   * The value for people (messages, notifications): numbers rounded to 4 significant digits, e.g.
   * {@code [0.92]} for a measured 0.9200000329094212.
   */
  public String toShortString() {
    return render(value, true);
  }

  private static String render(Object v, boolean shortNumbers) {
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return "NaN";
      }
      if (d.isInfinite()) {
        return d > 0 ? "+Inf" : "-Inf";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return shortNumbers
          ? new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString()
          : d.toString();
    }
    if (v instanceof List<?> list) {
      StringJoiner j = new StringJoiner(" ", "[", "]");
      list.forEach(e -> j.add(render(e, shortNumbers)));
      return j.toString();
    }
    if (v instanceof Map<?, ?> map) {
      StringJoiner j = new StringJoiner(" ", "map[", "]");
      map.forEach((k, e) -> j.add(k + ":" + render(e, shortNumbers)));
      return j.toString();
    }
    if (v instanceof NullValue) {
      return "<nil>";
    }
    return String.valueOf(v);
  }
}

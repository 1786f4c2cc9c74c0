package io.glidepath.analysis.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.ArgumentBinding;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MissingArgumentException;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** Substitutes {@code {{args.NAME}}} into a metric, escaping values inside PromQL literals. */
public final class ArgSubstitution {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.\\-]+)\\s*}}");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("-?([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?");

  /** A placeholder, for tools that look for arguments in text. */
  public static Pattern placeholder() {
    return PLACEHOLDER;
  }

  /** The order argument-valued fields are set in, so that the first bad one is always named. */
  private static final List<String> FIELD_ORDER =
      List.of(
          "interval",
          "initialDelay",
          "count",
          "failureLimit",
          "inconclusiveLimit",
          "consecutiveErrorLimit",
          "consecutiveSuccessLimit");

  private ArgSubstitution() {}

  /** The metric with every placeholder replaced, conditions as Argo does (text). */
  public static Metric resolve(
      AnalysisTemplate template, Metric metric, Set<String> declared, Map<String, String> values) {
    return resolve(template, metric, declared, values, ArgumentBinding.TEXT);
  }

  /** The metric with every placeholder replaced; conditions by {@code binding}. */
  public static Metric resolve(
      AnalysisTemplate template,
      Metric metric,
      Set<String> declared,
      Map<String, String> values,
      ArgumentBinding binding) {
    Resolver r = new Resolver(template.name(), metric.name(), values);
    Metric.Builder b = metric.newBuilder();
    if (binding == ArgumentBinding.VARIABLES) {
      // bound values cannot change what a condition says: it compiles or not on its own
      Map<String, Object> bound = new LinkedHashMap<>();
      b.successCondition(metric.successCondition().map(c -> r.bound(c, bound)).orElse(null));
      b.failureCondition(metric.failureCondition().map(c -> r.bound(c, bound)).orElse(null));
      b.conditionArgs(bound);
    } else {
      boolean substituted =
          metric.successCondition().filter(c -> c.contains("{{")).isPresent()
              || metric.failureCondition().filter(c -> c.contains("{{")).isPresent();
      // a condition that the arguments make invalid fails each measurement (Error), as in Argo
      b.lenientConditions(metric.lenientConditions() || substituted);
      b.successCondition(metric.successCondition().map(r::raw).orElse(null));
      b.failureCondition(metric.failureCondition().map(r::raw).orElse(null));
    }
    for (String field : FIELD_ORDER) {
      String text = metric.unresolvedFields().get(field);
      if (text != null) {
        set(b, field, r.raw(text).strip());
      }
    }
    ProviderSpec provider = metric.provider();
    boolean promql = provider.type().equals("prometheus");
    b.provider(
        new ProviderSpec(provider.type(), (ObjectNode) walk(provider.config(), r, promql, "")));
    return b.build();
  }

  /** Sets an argument-valued field once its value is known; Argo's checks then apply. */
  private static void set(Metric.Builder b, String field, String value) {
    switch (field) {
      case "interval" -> b.interval(duration(field, value));
      case "initialDelay" -> b.initialDelay(duration(field, value));
      case "count" -> {
        int count = integer(field, value);
        b.count(count == 0 ? null : count);
      }
      case "failureLimit" -> b.failureLimit(integer(field, value));
      case "inconclusiveLimit" -> b.inconclusiveLimit(integer(field, value));
      case "consecutiveErrorLimit" -> b.consecutiveErrorLimit(integer(field, value));
      case "consecutiveSuccessLimit" -> b.consecutiveSuccessLimit(integer(field, value));
      default -> throw new IllegalArgumentException("field '" + field + "' takes no argument");
    }
  }

  private static Duration duration(String field, String value) {
    try {
      return GoDuration.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid " + field + " string '" + value + "': " + e.getMessage(), e);
    }
  }

  private static int integer(String field, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field + " must be an integer, but its argument gave '" + value + "'", e);
    }
  }

  private static JsonNode walk(JsonNode node, Resolver r, boolean promql, String field) {
    if (node.isString()) {
      String text = node.stringValue();
      return StringNode.valueOf(promql && field.equals("query") ? r.promql(text) : r.raw(text));
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        copy.set(e.getKey(), walk(e.getValue(), r, promql, e.getKey()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).deepCopy();
      for (int i = 0; i < node.size(); i++) {
        copy.set(i, walk(node.get(i), r, promql, field));
      }
      return copy;
    }
    return node;
  }

  /**
   * The arguments whose placeholders stand where code goes in {@code condition} (outside string
   * literals), in order, each once.
   */
  public static java.util.List<String> argumentsInCode(String condition) {
    java.util.Set<String> found = new java.util.LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(condition);
    char quote = 0;
    int i = 0;
    while (i < condition.length()) {
      if (condition.charAt(i) == '{' && m.find(i) && m.start() == i) {
        if (quote == 0) {
          found.add(m.group(1));
        }
        i = m.end();
        continue;
      }
      char c = condition.charAt(i);
      if (quote == 0) {
        if (c == '"' || c == '\'') {
          quote = c;
        }
      } else if (c == '\\') {
        i++;
      } else if (c == quote) {
        quote = 0;
      }
      i++;
    }
    return java.util.List.copyOf(found);
  }

  /**
   * The value an argument is bound to under {@link ArgumentBinding#VARIABLES}: a {@link Long} or
   * {@link Double} when the text is exactly one number, a {@link Boolean} for {@code true}/{@code
   * false}, else the text.
   */
  public static Object typed(String value) {
    String s = value.strip();
    if (s.length() <= 64) {
      if (INTEGER.matcher(s).matches()) {
        try {
          return Long.parseLong(s);
        } catch (NumberFormatException e) {
          return Double.parseDouble(s);
        }
      }
      if (DECIMAL.matcher(s).matches()) {
        double d = Double.parseDouble(s);
        if (!Double.isInfinite(d)) {
          return d;
        }
      }
      if (s.equals("true") || s.equals("false")) {
        return Boolean.parseBoolean(s);
      }
    }
    return value;
  }

  /** Escapes {@code value} for a CEL string literal delimited by {@code quote}. */
  static String escapeCelString(String value, char quote) {
    return escapeQuoted(value, quote);
  }

  /** Escapes {@code value} for a PromQL (Go-syntax) string literal delimited by {@code quote}. */
  public static String escapePromqlString(String value, char quote) {
    return escapeQuoted(value, quote);
  }

  /**
   * The escapes CEL and Go (PromQL) string literals share: backslash, the delimiting quote, line
   * breaks and tabs by name, other control characters as {@code \xNN}.
   */
  private static String escapeQuoted(String value, char quote) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append(quote == '"' ? "\\\"" : "\"");
        case '\'' -> out.append(quote == '\'' ? "\\'" : "'");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static final class Resolver {
    private final String template;
    private final String metric;
    private final Map<String, String> values;

    Resolver(String template, String metric, Map<String, String> values) {
      this.template = template;
      this.metric = metric;
      this.values = values;
    }

    String value(String arg) {
      String v = values.get(arg);
      if (v == null) {
        throw new MissingArgumentException(template, metric, arg);
      }
      return v;
    }

    /**
     * A condition with each placeholder where code goes replaced by {@code args["NAME"]} (the value
     * put in {@code bound}), and each one inside a string literal by the value escaped for that
     * literal.
     */
    String bound(String text, Map<String, Object> bound) {
      StringBuilder out = new StringBuilder(text.length() + 16);
      Matcher m = PLACEHOLDER.matcher(text);
      char quote = 0;
      int i = 0;
      while (i < text.length()) {
        if (text.charAt(i) == '{' && m.find(i) && m.start() == i) {
          String name = m.group(1);
          String v = value(name);
          if (quote != 0) {
            out.append(escapeCelString(v, quote));
          } else {
            bound.put(name, typed(v));
            out.append("args[\"").append(name).append("\"]");
          }
          i = m.end();
          continue;
        }
        char c = text.charAt(i);
        out.append(c);
        if (quote == 0) {
          if (c == '"' || c == '\'') {
            quote = c;
          }
        } else if (c == '\\' && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
        i++;
      }
      return out.toString();
    }

    String raw(String text) {
      Matcher m = PLACEHOLDER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
      }
      m.appendTail(out);
      return out.toString();
    }

    String promql(String text) {
      StringBuilder out = new StringBuilder(text.length() + 16);
      char quote = 0;
      int i = 0;
      Matcher m = PLACEHOLDER.matcher(text);
      while (i < text.length()) {
        if (text.charAt(i) == '{' && m.find(i) && m.start() == i) {
          String v = value(m.group(1));
          if (quote == '`') {
            if (v.indexOf('`') >= 0) {
              throw new IllegalArgumentException(
                  "argument '"
                      + m.group(1)
                      + "' of metric '"
                      + metric
                      + "' is used in a backtick PromQL string and must not contain '`'");
            }
            out.append(v);
          } else if (quote != 0) {
            out.append(escapePromqlString(v, quote));
          } else {
            out.append(v);
          }
          i = m.end();
          continue;
        }
        char c = text.charAt(i);
        out.append(c);
        if (quote == 0) {
          if (c == '"' || c == '\'' || c == '`') {
            quote = c;
          }
        } else if (c == '\\' && quote != '`' && i + 1 < text.length()) {
          out.append(text.charAt(i + 1));
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        i++;
      }
      return out.toString();
    }
  }
}

package io.glidepath.analysis.provider;

import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.TemplateException;
import io.glidepath.core.time.GoDuration;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a provider block's options in {@link MetricProvider#validate}: unknown fields, required
 * ones, types and enumerations. Errors are {@link TemplateException}s whose path is relative to the
 * provider block (e.g. {@code aggregator}); {@link MetricProviders#validate} adds the source and
 * the metric's path.
 *
 * <pre>{@code
 * public void validate(ProviderSpec spec) {
 *   ProviderOptions o = ProviderOptions.of(spec).allow("query", "window");
 *   o.required("query");
 *   o.duration("window");
 * }
 * }</pre>
 *
 * <p>Values that still hold a {@code {{args.x}}} placeholder (a template checked before its
 * arguments are resolved) are only checked for presence. Not thread-safe; make one per call.
 */
public final class ProviderOptions {
  private final JsonNode node;
  private final String path;

  private ProviderOptions(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The options of {@code spec}. */
  public static ProviderOptions of(ProviderSpec spec) {
    return new ProviderOptions(spec.config(), "");
  }

  /** A refusal of {@code field} (relative to the provider block). */
  public static TemplateException refuse(String field, String problem) {
    return new TemplateException("", field, problem);
  }

  private String at(String field) {
    return path.isEmpty() ? field : field.isEmpty() ? path : path + "." + field;
  }

  /** Refuses fields other than {@code fields}. */
  public ProviderOptions allow(String... fields) {
    Set<String> ok = Set.of(fields);
    for (String name : node.propertyNames()) {
      if (!ok.contains(name)) {
        throw refuse(at(name), "unknown field");
      }
    }
    return this;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** The text of {@code field}, or empty. */
  public String text(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isValueNode()) {
      throw refuse(at(field), "must be a string, but was " + v.getNodeType());
    }
    return v.asString();
  }

  /** Requires a non-empty text. */
  public String required(String field) {
    String t = text(field);
    if (t.isBlank()) {
      throw refuse(at(field), "is required");
    }
    return t;
  }

  /** Requires the text, if present, to be one of {@code values}. */
  public ProviderOptions oneOf(String field, List<String> values) {
    String t = text(field);
    if (!t.isEmpty() && !isArg(t) && !values.contains(t)) {
      throw refuse(at(field), "must be one of " + values + ", but was '" + t + "'");
    }
    return this;
  }

  /** Requires the text, if present, to be a Go duration ({@code 5m}). */
  public ProviderOptions duration(String field) {
    String t = text(field);
    if (!t.isEmpty() && !isArg(t)) {
      try {
        GoDuration.parse(t);
      } catch (IllegalArgumentException e) {
        throw refuse(at(field), e.getMessage());
      }
    }
    return this;
  }

  /** Requires the value, if present, to be an integer >= {@code min}. */
  public ProviderOptions integer(String field, long min) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return this;
    }
    if (v.isString() && isArg(v.asString())) {
      return this;
    }
    long n;
    if (v.isIntegralNumber()) {
      n = v.longValue();
    } else if (v.isString()) {
      try {
        n = Long.parseLong(v.asString().trim());
      } catch (NumberFormatException e) {
        throw refuse(at(field), "must be an integer, but was '" + v.asString() + "'");
      }
    } else {
      throw refuse(at(field), "must be an integer, but was " + v);
    }
    if (n < min) {
      throw refuse(at(field), "must be >= " + min + ", but was " + n);
    }
    return this;
  }

  /** Requires the value, if present, to be a boolean. */
  public ProviderOptions bool(String field) {
    JsonNode v = node.get(field);
    if (v != null && !v.isNull() && !v.isBoolean()) {
      throw refuse(at(field), "must be true or false, but was " + v);
    }
    return this;
  }

  /** The options of the object {@code field} (an empty one if absent). */
  public ProviderOptions object(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return new ProviderOptions(
          tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), at(field));
    }
    if (!v.isObject()) {
      throw refuse(at(field), "must be an object, but was " + v.getNodeType());
    }
    return new ProviderOptions(v, at(field));
  }

  /** The options of every element of the list {@code field} (objects). */
  public List<ProviderOptions> list(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw refuse(at(field), "must be a list, but was " + v.getNodeType());
    }
    java.util.ArrayList<ProviderOptions> out = new java.util.ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = at(field) + "[" + i + "]";
      if (!e.isObject()) {
        throw refuse(p, "must be an object, but was " + e.getNodeType());
      }
      out.add(new ProviderOptions(e, p));
    }
    return out;
  }

  /** Requires every value of the object {@code field}, if present, to be text. */
  public ProviderOptions stringMap(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return this;
    }
    if (!v.isObject()) {
      throw refuse(at(field), "must be a map of strings, but was " + v.getNodeType());
    }
    for (var e : v.properties()) {
      if (!e.getValue().isValueNode()) {
        throw refuse(at(field) + "." + e.getKey(), "must be a string");
      }
    }
    return this;
  }

  /** The {@code headers} list: {@code [{key, value}]}, keys required. */
  public ProviderOptions headers(String field) {
    for (ProviderOptions h : list(field)) {
      h.allow("key", "value").required("key");
    }
    return this;
  }

  /** A refusal of {@code field} of these options. */
  public TemplateException error(String field, String problem) {
    return refuse(at(field), problem);
  }

  private static boolean isArg(String s) {
    return s.contains("{{");
  }
}

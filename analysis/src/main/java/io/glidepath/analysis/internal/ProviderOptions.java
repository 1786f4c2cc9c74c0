package io.glidepath.analysis.internal;

import io.glidepath.analysis.TemplateException;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a provider block's options for {@code MetricProvider.validate}: unknown and unsupported
 * options, required text, integers and header lists. Paths are relative to the provider block; a
 * value holding an unresolved {@code {{args.NAME}}} is accepted wherever text is.
 */
public final class ProviderOptions {
  private final String type;
  private final JsonNode config;

  private ProviderOptions(String type, JsonNode config) {
    this.type = type;
    this.config = config;
  }

  public static ProviderOptions of(String type, JsonNode config) {
    return new ProviderOptions(type, config);
  }

  /** Refuses every option not in {@code known}. */
  public ProviderOptions allow(Set<String> known) {
    for (String name : config.propertyNames()) {
      if (!known.contains(name)) {
        throw refused(name, "is not an option of the " + type + " provider");
      }
    }
    return this;
  }

  /** Refuses {@code field} when it is set, with {@code why}. */
  public ProviderOptions refuse(String field, String why) {
    if (config.has(field) && !config.get(field).isNull()) {
      throw refused(field, why);
    }
    return this;
  }

  /** Refuses {@code insecure: true}; Glidepath always verifies TLS certificates. */
  public ProviderOptions refuseInsecure() {
    JsonNode v = config.get("insecure");
    if (v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue())) {
      throw refused(
          "insecure",
          "skipping TLS verification is not supported; add the server's CA to the trust store");
    }
    return this;
  }

  /** Requires {@code field} to be non-blank text. */
  public ProviderOptions requireText(String field) {
    JsonNode v = config.get(field);
    if (v == null || v.isNull() || (v.isValueNode() && v.asString().isBlank())) {
      throw refused(field, "is required");
    }
    if (!v.isValueNode()) {
      throw refused(field, "must be text, but was " + kind(v));
    }
    return this;
  }

  /** Requires {@code field}, when set, to be text. */
  public ProviderOptions text(String field) {
    JsonNode v = config.get(field);
    if (v != null && !v.isNull() && !v.isValueNode()) {
      throw refused(field, "must be text, but was " + kind(v));
    }
    return this;
  }

  /** Requires {@code field}, when set, to be a whole number >= {@code min} (or a placeholder). */
  public ProviderOptions integer(String field, long min) {
    JsonNode v = config.get(field);
    if (v == null || v.isNull() || isPlaceholder(v)) {
      return this;
    }
    long n;
    if (v.isIntegralNumber()) {
      n = v.longValue();
    } else if (v.isString()) {
      try {
        n = Long.parseLong(v.stringValue().trim());
      } catch (NumberFormatException e) {
        throw refused(field, "must be a whole number, but was '" + v.stringValue() + "'");
      }
    } else {
      throw refused(field, "must be a whole number, but was " + kind(v));
    }
    if (n < min) {
      throw refused(field, "must be >= " + min + ", but was " + n);
    }
    return this;
  }

  /** Requires {@code field}, when set, to be a list of {@code {key, value}} with a key each. */
  public ProviderOptions headers(String field) {
    JsonNode v = config.get(field);
    if (v == null || v.isNull()) {
      return this;
    }
    if (!v.isArray()) {
      throw refused(field, "must be a list of {key, value}, but was " + kind(v));
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode h = v.get(i);
      String at = field + "[" + i + "]";
      if (!h.isObject()) {
        throw refused(at, "must be {key, value}, but was " + kind(h));
      }
      for (String name : h.propertyNames()) {
        if (!name.equals("key") && !name.equals("value")) {
          throw refused(at + "." + name, "is not a header field (key, value)");
        }
      }
      if (h.path("key").asString("").isBlank()) {
        throw refused(at + ".key", "is required");
      }
    }
    return this;
  }

  /**
   * Refuses {@code field} unless it is one of {@code values} (case-insensitive) or a placeholder.
   */
  public ProviderOptions oneOf(String field, List<String> values) {
    JsonNode v = config.get(field);
    if (v == null || v.isNull() || isPlaceholder(v)) {
      return this;
    }
    String s = v.asString();
    if (values.stream().noneMatch(x -> x.equalsIgnoreCase(s))) {
      throw refused(field, "must be one of " + values + ", but was '" + s + "'");
    }
    return this;
  }

  public TemplateException refused(String field, String why) {
    return new TemplateException(type, field, why);
  }

  private static boolean isPlaceholder(JsonNode v) {
    return v.isString() && v.stringValue().contains("{{");
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}

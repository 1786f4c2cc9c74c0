package io.glidepath.analysis;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A metric's {@code provider} block: its type (the single key, e.g. {@code prometheus}) and its
 * configuration (the value under that key).
 *
 * <p>Example: {@code new ProviderSpec("prometheus", config)} where {@code config} holds {@code
 * address} and {@code query}. The configuration is copied on construction and on access, so the
 * record is immutable.
 *
 * @param type the provider type, matched against {@code MetricProvider.type()}
 * @param config the provider's settings (an object)
 */
public record ProviderSpec(String type, ObjectNode config) {
  public ProviderSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(config, "config");
    if (type.isBlank()) {
      throw new IllegalArgumentException("type must not be blank");
    }
    config = config.deepCopy();
  }

  @Override
  public ObjectNode config() {
    return config.deepCopy();
  }

  /** A text setting, or the empty string. */
  public String text(String field) {
    JsonNode node = config.get(field);
    return node == null || node.isNull() ? "" : node.asString();
  }

  @Override
  public String toString() {
    return type;
  }
}

package io.glidepath.core.internal.diff;

import io.glidepath.core.yaml.Yaml;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Parses (and caches) the JSON inside managedFields keys such as {@code k:{"name":"app"}}. */
final class FieldsKeys {
  private static final int MAX_CACHE = 4096;
  private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();
  private static final JsonNode INVALID = tools.jackson.databind.node.MissingNode.getInstance();

  private FieldsKeys() {}

  static JsonNode parse(String json) {
    JsonNode cached = CACHE.get(json);
    if (cached == null) {
      try {
        cached = Yaml.mapper().readTree(json);
      } catch (JacksonException e) {
        cached = INVALID;
      }
      if (CACHE.size() < MAX_CACHE) {
        CACHE.put(json, cached);
      }
    }
    return cached == INVALID ? null : cached;
  }
}

package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The last touch kustomize gives every object when it removes its build annotations: annotation
 * values become strings ({@code 1} becomes {@code "1"}), and an empty or null {@code annotations}
 * map is dropped.
 */
final class OutputForm {
  private OutputForm() {}

  static void apply(ObjectNode body, boolean keepEmpty) {
    JsonNode meta = body.get("metadata");
    if (!(meta instanceof ObjectNode m) || !m.has("annotations")) {
      return;
    }
    JsonNode a = m.get("annotations");
    if (!(a instanceof ObjectNode annotations) || annotations.isEmpty() && !keepEmpty) {
      m.remove("annotations");
      return;
    }
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : annotations.properties()) {
      if (!e.getValue().isString()) {
        keys.add(e.getKey());
      }
    }
    for (String key : keys) {
      JsonNode v = annotations.get(key);
      annotations.put(key, v.isNull() ? "" : v.asString());
    }
  }
}

package io.glidepath.appset.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Kubernetes label selectors (matchLabels, matchExpressions) over string maps. */
final class Selectors {
  private Selectors() {}

  static boolean matches(JsonNode selector, Map<String, String> labels) {
    if (selector == null || !selector.isObject()) {
      return true;
    }
    for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
      if (!e.getValue().asString("").equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (JsonNode ex : selector.path("matchExpressions")) {
      String key = ex.path("key").asString("");
      String op = ex.path("operator").asString("");
      boolean has = labels.containsKey(key);
      boolean in = false;
      for (JsonNode v : ex.path("values")) {
        if (v.asString("").equals(labels.get(key))) {
          in = true;
        }
      }
      boolean ok =
          switch (op) {
            case "In" -> has && in;
            case "NotIn" -> !has || !in;
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}

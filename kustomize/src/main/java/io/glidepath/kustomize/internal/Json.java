package io.glidepath.kustomize.internal;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Small helpers on Jackson trees. */
public final class Json {
  private Json() {}

  /**
   * True when two trees hold the same values: numbers compare by value ({@code 1} equals {@code
   * 1.0}), maps regardless of key order, lists in order.
   */
  public static boolean equalValues(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !equalValues(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<JsonNode> ia = a.iterator();
      Iterator<JsonNode> ib = b.iterator();
      while (ia.hasNext()) {
        if (!equalValues(ia.next(), ib.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}

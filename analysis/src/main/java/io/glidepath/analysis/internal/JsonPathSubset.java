package io.glidepath.analysis.internal;

import tools.jackson.databind.JsonNode;

/**
 * The JSONPath subset the web provider accepts: {@code $} (the root), {@code .name}, {@code
 * ['name']} or {@code ["name"]}, and {@code [n]} (a list index), optionally wrapped in {@code {}}
 * as kubectl and Argo Rollouts write it: {@code {$.data.items[0].value}}.
 */
public final class JsonPathSubset {
  private JsonPathSubset() {}

  /** Selects the node at {@code path}; a missing node gives {@code null}. */
  public static JsonNode select(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1).trim();
    }
    if (!p.startsWith("$")) {
      throw new IllegalArgumentException("jsonPath must start with '$', but was '" + path + "'");
    }
    JsonNode node = root;
    int i = 1;
    while (i < p.length()) {
      if (node == null) {
        return null;
      }
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String name = p.substring(i + 1, end);
        if (name.isEmpty()) {
          throw new IllegalArgumentException(
              "jsonPath has an empty name at " + i + ": '" + path + "'");
        }
        node = node.isObject() ? node.get(name) : null;
        i = end;
      } else if (c == '[') {
        int close = p.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException(
              "jsonPath has an unclosed '[' at " + i + ": '" + path + "'");
        }
        String inner = p.substring(i + 1, close).trim();
        if ((inner.startsWith("'") && inner.endsWith("'")
                || inner.startsWith("\"") && inner.endsWith("\""))
            && inner.length() >= 2) {
          String name = inner.substring(1, inner.length() - 1);
          node = node.isObject() ? node.get(name) : null;
        } else {
          int index;
          try {
            index = Integer.parseInt(inner);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "jsonPath supports only names and list indexes in [], but had '" + inner + "'");
          }
          if (index < 0) {
            throw new IllegalArgumentException("jsonPath index must be >= 0, but was " + index);
          }
          node = node.isArray() && index < node.size() ? node.get(index) : null;
        }
        i = close + 1;
      } else {
        throw new IllegalArgumentException(
            "jsonPath has an unexpected '" + c + "' at " + i + ": '" + path + "'");
      }
    }
    return node;
  }
}

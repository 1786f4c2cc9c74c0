package io.glidepath.core.internal.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Concrete paths into a tree: lists of tokens, a {@link String} for an object member and an {@link
 * Integer} for a list index.
 */
public final class TreePaths {
  private TreePaths() {}

  /** Parses an RFC 6901 JSON Pointer into tokens (numeric tokens stay strings until applied). */
  public static List<String> parsePointer(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw new IllegalArgumentException(
          "JSON Pointer must be empty or start with '/', but was \"" + pointer + "\"");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  /** The RFC 6901 pointer of a token path. */
  public static String toPointer(List<?> tokens) {
    StringBuilder sb = new StringBuilder();
    for (Object t : tokens) {
      sb.append('/').append(t.toString().replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  /** Resolves pointer tokens against {@code root} into a concrete path, or null when absent. */
  static List<Object> resolve(JsonNode root, List<String> tokens) {
    List<Object> path = new ArrayList<>(tokens.size());
    JsonNode node = root;
    for (String t : tokens) {
      if (node.isObject()) {
        node = node.get(t);
        path.add(t);
      } else if (node.isArray()) {
        int i;
        try {
          i = Integer.parseInt(t);
        } catch (NumberFormatException e) {
          return null;
        }
        node = i >= 0 && i < node.size() ? node.get(i) : null;
        path.add(i);
      } else {
        return null;
      }
      if (node == null) {
        return null;
      }
    }
    return path;
  }

  /** Removes every path from {@code root}; list elements are removed from the highest index. */
  static void removeAll(JsonNode root, List<List<Object>> paths) {
    List<List<Object>> sorted = new ArrayList<>(paths);
    sorted.sort(ORDER.reversed());
    for (List<Object> path : sorted) {
      remove(root, path);
    }
  }

  private static void remove(JsonNode root, List<Object> path) {
    if (path.isEmpty()) {
      return;
    }
    JsonNode parent = root;
    for (int i = 0; i < path.size() - 1 && parent != null; i++) {
      Object t = path.get(i);
      parent = t instanceof Integer idx ? parent.get(idx) : parent.get((String) t);
    }
    Object last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o && last instanceof String s) {
      o.remove(s);
    } else if (parent instanceof ArrayNode a && last instanceof Integer idx && idx < a.size()) {
      a.remove(idx.intValue());
    }
  }

  private static final Comparator<List<Object>> ORDER =
      (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          Object x = a.get(i);
          Object y = b.get(i);
          int c;
          if (x instanceof Integer xi && y instanceof Integer yi) {
            c = Integer.compare(xi, yi);
          } else {
            c = x.toString().compareTo(y.toString());
          }
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };
}

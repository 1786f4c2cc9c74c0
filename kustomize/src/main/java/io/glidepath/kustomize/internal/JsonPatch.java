package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch on Jackson trees: {@code add}, {@code remove}, {@code replace}, {@code move},
 * {@code copy} and {@code test}, with RFC 6901 pointers ({@code ~0}, {@code ~1}, {@code -} for the
 * end of an array). Errors name the operation's index and path.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * Applies {@code operations} (a JSON array) to a copy of {@code document}.
   *
   * @throws PatchException when an operation is malformed or does not apply
   */
  public static ObjectNode apply(ObjectNode document, JsonNode operations) {
    if (!operations.isArray()) {
      throw new PatchException(
          "a JSON 6902 patch must be a list of operations, but was a " + operations.getNodeType());
    }
    JsonNode doc = document.deepCopy();
    int i = 0;
    for (JsonNode op : operations) {
      try {
        doc = applyOne(doc, op);
      } catch (PatchException e) {
        throw new PatchException("operation " + i + ": " + e.getMessage());
      }
      i++;
    }
    if (!doc.isObject()) {
      throw new PatchException("the patch replaced the whole object with a " + doc.getNodeType());
    }
    return (ObjectNode) doc;
  }

  private static JsonNode applyOne(JsonNode doc, JsonNode op) {
    if (!op.isObject()) {
      throw new PatchException("an operation must be a map, but was a " + op.getNodeType());
    }
    String name = text(op, "op");
    String path = text(op, "path");
    switch (name) {
      case "add":
        return add(doc, path, value(op).deepCopy());
      case "remove":
        remove(doc, path);
        return doc;
      case "replace":
        if (path.isEmpty()) {
          return value(op).deepCopy();
        }
        get(doc, path);
        remove(doc, path);
        return add(doc, path, value(op).deepCopy());
      case "move":
        {
          String from = text(op, "from");
          if (path.startsWith(from + "/")) {
            throw new PatchException("cannot move " + from + " into its own child " + path);
          }
          JsonNode moved = get(doc, from);
          remove(doc, from);
          return add(doc, path, moved);
        }
      case "copy":
        return add(doc, path, get(doc, text(op, "from")).deepCopy());
      case "test":
        {
          JsonNode actual = get(doc, path);
          if (!Json.equalValues(actual, value(op))) {
            throw new PatchException("test failed: the value at " + path + " differs");
          }
          return doc;
        }
      default:
        throw new PatchException("unknown op \"" + name + "\" (add|remove|replace|move|copy|test)");
    }
  }

  private static String text(JsonNode op, String field) {
    JsonNode v = op.get(field);
    if (v == null || !v.isString()) {
      throw new PatchException("missing string field \"" + field + "\"");
    }
    return v.stringValue();
  }

  private static JsonNode value(JsonNode op) {
    JsonNode v = op.get("value");
    if (v == null) {
      throw new PatchException("missing field \"value\"");
    }
    return v;
  }

  static List<String> tokens(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw new PatchException("path \"" + pointer + "\" must start with /");
    }
    List<String> out = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String path) {
    JsonNode node = doc;
    for (String t : tokens(path)) {
      node = child(node, t, path);
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String token, String path) {
    if (node.isObject()) {
      JsonNode c = node.get(token);
      if (c == null) {
        throw new PatchException("path " + path + " does not exist (no field \"" + token + "\")");
      }
      return c;
    }
    if (node.isArray()) {
      int index = index(token, node.size(), false, path);
      return node.get(index);
    }
    throw new PatchException("path " + path + " does not exist (\"" + token + "\" in a scalar)");
  }

  private static int index(String token, int size, boolean forAdd, String path) {
    if (forAdd && token.equals("-")) {
      return size;
    }
    if (!token.matches("0|[1-9][0-9]{0,8}")) {
      throw new PatchException("path " + path + ": \"" + token + "\" is not an array index");
    }
    int i = Integer.parseInt(token);
    if (i > size || (!forAdd && i == size)) {
      throw new PatchException("path " + path + ": index " + i + " is out of bounds");
    }
    return i;
  }

  private static JsonNode parent(JsonNode doc, List<String> tokens, String path) {
    JsonNode node = doc;
    for (int i = 0; i < tokens.size() - 1; i++) {
      node = child(node, tokens.get(i), path);
    }
    return node;
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    List<String> tokens = tokens(path);
    if (tokens.isEmpty()) {
      return value;
    }
    JsonNode parent = parent(doc, tokens, path);
    String last = tokens.get(tokens.size() - 1);
    if (parent.isObject()) {
      ((ObjectNode) parent).set(last, value);
    } else if (parent.isArray()) {
      ((ArrayNode) parent).insert(index(last, parent.size(), true, path), value);
    } else {
      throw new PatchException("path " + path + ": the parent is not a map or list");
    }
    return doc;
  }

  private static void remove(JsonNode doc, String path) {
    List<String> tokens = tokens(path);
    if (tokens.isEmpty()) {
      throw new PatchException("cannot remove the whole object");
    }
    JsonNode parent = parent(doc, tokens, path);
    String last = tokens.get(tokens.size() - 1);
    if (parent.isObject()) {
      if (!parent.has(last)) {
        throw new PatchException("path " + path + " does not exist (no field \"" + last + "\")");
      }
      ((ObjectNode) parent).remove(last);
    } else if (parent.isArray()) {
      ((ArrayNode) parent).remove(index(last, parent.size(), false, path));
    } else {
      throw new PatchException("path " + path + ": the parent is not a map or list");
    }
  }
}

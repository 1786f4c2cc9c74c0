package io.glidepath.testkit.internal.cluster;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges with the list semantics of server-side apply and strategic merge patch: objects merge
 * field by field, associative lists (see {@link FieldPaths}) merge item by item, everything else
 * replaces. For strategic merge patch, {@code null} deletes a field, an item carrying {@code
 * "$patch": "delete"} is removed, and the other {@code $} directives are ignored.
 */
public final class StructuredMerge {
  private StructuredMerge() {}

  /** Returns {@code live} merged with {@code patch}; the arguments are not modified. */
  public static JsonNode merge(JsonNode live, JsonNode patch, String field, boolean strategic) {
    if (patch.isObject() && live != null && live.isObject()) {
      ObjectNode result = (ObjectNode) live.deepCopy();
      for (Map.Entry<String, JsonNode> e : patch.properties()) {
        String k = e.getKey();
        if (k.startsWith("$")) {
          continue;
        }
        JsonNode v = e.getValue();
        if (v.isNull()) {
          result.remove(k);
        } else {
          result.set(k, merge(result.get(k), v, k, strategic));
        }
      }
      return result;
    }
    if (patch.isArray()
        && live != null
        && live.isArray()
        && FieldPaths.associative(field, patch)
        && FieldPaths.associative(field, live)) {
      ArrayNode result = (ArrayNode) live.deepCopy();
      for (JsonNode item : patch) {
        String key = FieldPaths.itemKey(field, item).orElseThrow();
        int index = indexOf(result, field, key);
        boolean delete = strategic && "delete".equals(Json.text(item, "$patch"));
        if (delete) {
          if (index >= 0) {
            result.remove(index);
          }
        } else if (index >= 0) {
          result.set(index, merge(result.get(index), item, null, strategic));
        } else {
          result.add(clean(item));
        }
      }
      return result;
    }
    return clean(patch);
  }

  private static int indexOf(ArrayNode list, String field, String key) {
    for (int i = 0; i < list.size(); i++) {
      Optional<String> k = FieldPaths.itemKey(field, list.get(i));
      if (k.isPresent() && k.get().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** A copy without {@code $} directives and without null fields. */
  private static JsonNode clean(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.object();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getKey().startsWith("$") && !e.getValue().isNull()) {
          out.set(e.getKey(), clean(e.getValue()));
        }
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.object().arrayNode();
      node.forEach(item -> out.add(clean(item)));
      return out;
    }
    return node.deepCopy();
  }
}

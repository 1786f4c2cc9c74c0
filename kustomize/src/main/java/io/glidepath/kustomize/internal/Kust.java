package io.glidepath.kustomize.internal;

import io.glidepath.kustomize.KustomizeException;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loaded kustomization file: its directory, its path relative to the repository root (for
 * messages) and its fields, already normalized by {@link KustLoader}. Accessors check types and
 * name the entry that is wrong.
 */
final class Kust {
  final Path dir;
  final String file;
  final ObjectNode doc;

  Kust(Path dir, String file, ObjectNode doc) {
    this.dir = dir;
    this.file = file;
    this.doc = doc;
  }

  boolean isComponent() {
    return "Component".equals(doc.path("kind").asString(""));
  }

  KustomizeException error(String entry, Problem p, String detail, Throwable cause) {
    return new KustomizeException(file, entry, p, detail, cause);
  }

  List<JsonNode> list(String field) {
    return listAt(doc.get(field), field);
  }

  String string(String field) {
    return str(doc, field, field);
  }

  List<JsonNode> listAt(JsonNode n, String entry) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw error(
          entry, Problem.INVALID_VALUE, "must be a list, but is a " + n.getNodeType(), null);
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  /** The strings of the list at {@code n}; anything else in it is an error. */
  List<String> strings(JsonNode n, String entry) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : listAt(n, entry)) {
      if (!item.isString()) {
        throw error(
            entry + "[" + i + "]",
            Problem.INVALID_VALUE,
            "must be a string, but is a " + item.getNodeType(),
            null);
      }
      out.add(item.stringValue());
      i++;
    }
    return out;
  }

  /**
   * The string at {@code parent.field}, "" when absent. Like kustomize (which decodes into Go
   * strings), a number or boolean is an error: quote it.
   */
  String str(JsonNode parent, String field, String entry) {
    JsonNode n = parent == null ? null : parent.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isString()) {
      throw error(
          entry,
          Problem.INVALID_VALUE,
          "must be a string, but is a " + n.getNodeType() + " (quote it)",
          null);
    }
    return n.stringValue();
  }

  boolean bool(JsonNode parent, String field, String entry) {
    JsonNode n = parent == null ? null : parent.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw error(entry, Problem.INVALID_VALUE, "must be true or false", null);
    }
    return n.booleanValue();
  }

  Map<String, String> stringMap(JsonNode n, String entry) {
    Map<String, String> m = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return m;
    }
    if (!n.isObject()) {
      throw error(entry, Problem.INVALID_VALUE, "must be a map of strings", null);
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      JsonNode v = e.getValue();
      if (!v.isString() && !v.isNull()) {
        throw error(
            entry + "." + e.getKey(),
            Problem.INVALID_VALUE,
            "must be a string, but is a " + v.getNodeType() + " (quote it)",
            null);
      }
      m.put(e.getKey(), v.isNull() ? "" : v.asString());
    }
    return m;
  }
}

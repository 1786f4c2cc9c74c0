package io.glidepath.core.internal.health;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.Resource;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads fields of a live object the way gitops-engine reads them after converting the object to its
 * typed Go struct: an absent field has Go's zero value, a field of the wrong type makes the
 * conversion (and so the check) fail, which Argo CD reports as Unknown.
 */
final class Typed {
  private final JsonNode root;
  private final String kind;

  Typed(Resource live, String kind) {
    this.root = live.body();
    this.kind = kind;
  }

  // the checks use a few dozen constant pointers: compile each once
  private static final java.util.Map<String, tools.jackson.core.JsonPointer> POINTERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private JsonNode at(String pointer) {
    return root.at(POINTERS.computeIfAbsent(pointer, tools.jackson.core.JsonPointer::compile));
  }

  JsonNode node(String pointer) {
    return at(pointer);
  }

  /** An integer field; 0 when absent or null. */
  long integer(String pointer) {
    return integer(at(pointer), pointer);
  }

  /** Whether an integer field is set (not absent, not null); fails on a wrong type. */
  boolean has(String pointer) {
    JsonNode n = at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      return false;
    }
    integer(n, pointer);
    return true;
  }

  long integer(JsonNode n, String where) {
    if (n.isMissingNode() || n.isNull()) {
      return 0;
    }
    if (n.isIntegralNumber() || (n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue()))) {
      return n.longValue();
    }
    throw conversion(where, "an integer", n);
  }

  /** A string field; {@code ""} when absent or null. */
  String string(String pointer) {
    return string(at(pointer), pointer);
  }

  String string(JsonNode n, String where) {
    if (n.isMissingNode() || n.isNull()) {
      return "";
    }
    if (n.isString()) {
      return n.stringValue();
    }
    throw conversion(where, "a string", n);
  }

  /** A field of an element ({@code conditions[i].type}). */
  String string(JsonNode element, String field, String where) {
    return string(element.path(field), where + "." + field);
  }

  boolean bool(String pointer) {
    JsonNode n = at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    throw conversion(pointer, "a boolean", n);
  }

  /** A list field; empty when absent or null. */
  List<JsonNode> list(String pointer) {
    return list(at(pointer), pointer);
  }

  List<JsonNode> list(JsonNode n, String where) {
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw conversion(where, "a list", n);
    }
    List<JsonNode> out = new java.util.ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  /** A map field, or a missing node when absent or null. */
  JsonNode object(String pointer) {
    JsonNode n = at(pointer);
    if (n.isMissingNode() || n.isNull() || n.isObject()) {
      return n;
    }
    throw conversion(pointer, "a map", n);
  }

  private GlidepathException conversion(String where, String expected, JsonNode found) {
    return new GlidepathException(
        "failed to convert unstructured "
            + kind
            + " to typed: "
            + where.replace('/', '.').replaceFirst("^\\.", "")
            + ": expected "
            + expected
            + ", found "
            + found.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
  }

  /** gitops-engine's error for an API version it has no typed struct for. */
  static GlidepathException unsupported(Resource live) {
    return new GlidepathException(
        "unsupported "
            + live.kind()
            + " GVK: "
            + live.group()
            + "/"
            + live.version()
            + ", Kind="
            + live.kind());
  }

  /** Go's {@code %q} for the strings Kubernetes names hold. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}

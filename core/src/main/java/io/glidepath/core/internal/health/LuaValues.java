package io.glidepath.core.internal.health;

import io.glidepath.core.GlidepathException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/**
 * Lua's view of JSON values, for the built-in checks that answer as Argo CD's Lua scripts do:
 * {@code nil} for absent or null, numbers as doubles, string comparison by bytes, and the errors a
 * script would raise (which Argo CD reports as Unknown).
 */
final class LuaValues {
  private LuaValues() {}

  static boolean isNil(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull();
  }

  /** Lua's truth: everything but nil and false. */
  static boolean truthy(JsonNode n) {
    return !isNil(n) && !(n.isBoolean() && !n.booleanValue());
  }

  static String typeName(JsonNode n) {
    if (isNil(n)) {
      return "nil";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    if (n.isNumber()) {
      return "number";
    }
    if (n.isString()) {
      return "string";
    }
    return "table";
  }

  /** {@code #t} / {@code table.getn(t)} for a table. */
  static int length(JsonNode n) {
    if (n.isArray()) {
      return n.size();
    }
    if (n.isObject()) {
      return 0;
    }
    if (n.isString()) {
      return n.stringValue().getBytes(StandardCharsets.UTF_8).length;
    }
    throw new GlidepathException("attempt to get length of a " + typeName(n) + " value");
  }

  /** {@code a < b}. */
  static boolean lessThan(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.doubleValue() < b.doubleValue();
    }
    if (a.isString() && b.isString()) {
      byte[] x = a.stringValue().getBytes(StandardCharsets.UTF_8);
      byte[] y = b.stringValue().getBytes(StandardCharsets.UTF_8);
      return Arrays.compareUnsigned(x, y) < 0;
    }
    throw new GlidepathException("attempt to compare " + typeName(a) + " with " + typeName(b));
  }

  /** {@code a == b}: equal types and values (a number never equals a string). */
  static boolean equal(JsonNode a, JsonNode b) {
    if (isNil(a) || isNil(b)) {
      return isNil(a) && isNil(b);
    }
    if (a.isNumber() && b.isNumber()) {
      return a.doubleValue() == b.doubleValue();
    }
    if (a.isString() && b.isString()) {
      return a.stringValue().equals(b.stringValue());
    }
    if (a.isBoolean() && b.isBoolean()) {
      return a.booleanValue() == b.booleanValue();
    }
    return a == b;
  }

  /** {@code tonumber(v)}: numbers as they are, decimal or hex strings parsed, else nil. */
  static OptionalDouble toNumber(JsonNode v) {
    if (v.isNumber()) {
      return OptionalDouble.of(v.doubleValue());
    }
    if (!v.isString()) {
      return OptionalDouble.empty();
    }
    String s = v.stringValue().strip();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return OptionalDouble.of(Long.parseLong(s.substring(2), 16));
      }
      if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
        return OptionalDouble.of(Double.parseDouble(s));
      }
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.empty();
  }

  /** {@code t.field} on a value that must be a table. */
  static JsonNode index(JsonNode t, String field) {
    if (isNil(t) || !(t.isObject() || t.isArray())) {
      throw new GlidepathException("attempt to index a " + typeName(t) + " value");
    }
    return t.path(field);
  }
}

package io.glidepath.core.internal.values;

import io.glidepath.core.values.ValuesException;
import io.glidepath.core.yaml.YamlLimits;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Helm's {@code --set} syntax (package strvals), applied into an existing tree.
 *
 * <ul>
 *   <li>{@code a.b=c}: nested maps; {@code a\.b=c}: a key with a dot.
 *   <li>{@code a[0].b=c}, {@code a[2]=x}: list elements; missing elements are padded with null.
 *   <li>{@code a=1,b=2}: several assignments; {@code a=x\,y}: a comma in a value.
 *   <li>{@code a={x,y}}: a list value.
 *   <li>typed ({@code --set}): {@code true}/{@code false} (any case) are booleans, {@code null} is
 *       null, a decimal integer without a leading zero is a number; anything else, floats included,
 *       stays a string. {@code --set-string} keeps every value a string.
 * </ul>
 */
public final class SetParser {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final String expression;
  private final boolean typed;
  private int pos;

  private SetParser(String expression, boolean typed) {
    this.expression = expression;
    this.typed = typed;
  }

  /** Applies {@code expression} to {@code into}. */
  public static void apply(String expression, boolean typed, ObjectNode into) {
    new SetParser(expression, typed).parseAll(into);
  }

  /** Parses a value path ({@code a.b[0].c}, {@code a\.b}) into map keys and list indexes. */
  public static List<Object> path(String path) {
    SetParser p = new SetParser(path, false);
    List<Object> segments = new ArrayList<>();
    while (true) {
      String key = p.key();
      if (key.isEmpty() && (p.pos >= path.length() || path.charAt(p.pos) != '[')) {
        throw new ValuesException(path, "empty key at position " + p.pos);
      }
      if (!key.isEmpty()) {
        segments.add(key);
      }
      while (p.pos < path.length() && path.charAt(p.pos) == '[') {
        segments.add(p.index());
      }
      p.checkDepth(segments);
      if (p.pos >= path.length()) {
        return segments;
      }
      if (path.charAt(p.pos) != '.') {
        throw new ValuesException(path, "unexpected '" + path.charAt(p.pos) + "' at " + p.pos);
      }
      p.pos++;
    }
  }

  private void parseAll(ObjectNode into) {
    if (expression.isEmpty()) {
      throw new ValuesException(expression, "empty expression; expected key=value");
    }
    while (pos < expression.length()) {
      assignment(into);
      if (pos < expression.length()) {
        if (expression.charAt(pos) != ',') {
          throw new ValuesException(expression, "expected ',' at position " + pos);
        }
        pos++;
      }
    }
  }

  private void assignment(ObjectNode root) {
    List<Object> segments = new ArrayList<>();
    while (true) {
      String key = key();
      if (!key.isEmpty()) {
        segments.add(key);
      } else if (pos >= expression.length() || expression.charAt(pos) != '[') {
        throw new ValuesException(expression, "empty key at position " + pos);
      }
      while (pos < expression.length() && expression.charAt(pos) == '[') {
        segments.add(index());
      }
      checkDepth(segments);
      if (pos >= expression.length()) {
        throw new ValuesException(expression, "key \"" + join(segments) + "\" has no value");
      }
      char c = expression.charAt(pos);
      if (c == '.') {
        pos++;
        continue;
      }
      if (c == '=') {
        pos++;
        break;
      }
      throw new ValuesException(expression, "unexpected '" + c + "' at position " + pos);
    }
    if (segments.get(0) instanceof Integer) {
      throw new ValuesException(expression, "the top level is a map; a list index needs a key");
    }
    JsonNode value = value();
    put(root, segments, value);
  }

  /**
   * A path deeper than the YAML nesting limit would build a tree that every later step (merge, YAML
   * writing, Helm) walks recursively: refused while parsing, before anything is built.
   */
  private void checkDepth(List<Object> segments) {
    if (segments.size() > YamlLimits.DEFAULT_MAX_DEPTH) {
      throw new ValuesException(
          expression,
          "the key path has more than "
              + YamlLimits.DEFAULT_MAX_DEPTH
              + " segments, deeper than the nesting limit");
    }
  }

  private String key() {
    StringBuilder sb = new StringBuilder();
    while (pos < expression.length()) {
      char c = expression.charAt(pos);
      if (c == '\\' && pos + 1 < expression.length()) {
        sb.append(expression.charAt(pos + 1));
        pos += 2;
        continue;
      }
      if (c == '.' || c == '=' || c == '[' || c == ',') {
        break;
      }
      sb.append(c);
      pos++;
    }
    return sb.toString();
  }

  private int index() {
    int close = expression.indexOf(']', pos);
    if (close < 0) {
      throw new ValuesException(expression, "unclosed '[' at position " + pos);
    }
    String digits = expression.substring(pos + 1, close);
    try {
      int i = Integer.parseInt(digits);
      if (i < 0) {
        throw new NumberFormatException();
      }
      if (i > 65536) {
        throw new ValuesException(expression, "list index " + i + " is larger than 65536");
      }
      pos = close + 1;
      return i;
    } catch (NumberFormatException e) {
      throw new ValuesException(expression, "list index \"" + digits + "\" is not a number >= 0");
    }
  }

  private JsonNode value() {
    if (pos < expression.length() && expression.charAt(pos) == '{') {
      int close = expression.indexOf('}', pos);
      if (close < 0) {
        throw new ValuesException(expression, "unclosed '{' at position " + pos);
      }
      ArrayNode list = F.arrayNode();
      String inner = expression.substring(pos + 1, close);
      pos = close + 1;
      if (!inner.isEmpty()) {
        for (String item : splitUnescaped(inner)) {
          list.add(typed(item));
        }
      }
      return list;
    }
    StringBuilder sb = new StringBuilder();
    while (pos < expression.length()) {
      char c = expression.charAt(pos);
      if (c == '\\' && pos + 1 < expression.length()) {
        sb.append(expression.charAt(pos + 1));
        pos += 2;
        continue;
      }
      if (c == ',') {
        break;
      }
      sb.append(c);
      pos++;
    }
    return typed(sb.toString());
  }

  private static List<String> splitUnescaped(String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        sb.append(s.charAt(++i));
      } else if (c == ',') {
        parts.add(sb.toString());
        sb.setLength(0);
      } else {
        sb.append(c);
      }
    }
    parts.add(sb.toString());
    return parts;
  }

  private JsonNode typed(String v) {
    if (!typed) {
      return F.stringNode(v);
    }
    if (v.equalsIgnoreCase("true")) {
      return F.booleanNode(true);
    }
    if (v.equalsIgnoreCase("false")) {
      return F.booleanNode(false);
    }
    if (v.equals("null")) {
      return F.nullNode();
    }
    if (v.equals("0")) {
      return F.numberNode(0);
    }
    if (!v.isEmpty() && v.charAt(0) != '0') {
      try {
        long l = Long.parseLong(v);
        return l == (int) l ? F.numberNode((int) l) : F.numberNode(l);
      } catch (NumberFormatException e) {
        // not an integer: a string, as Helm keeps it
      }
    }
    return F.stringNode(v);
  }

  /**
   * Sets {@code value} at {@code segments} (map keys and list indexes) under {@code root}, creating
   * maps and lists on the way and padding lists with null.
   */
  public static void put(ObjectNode root, List<Object> segments, JsonNode value) {
    JsonNode current = root;
    for (int i = 0; i < segments.size(); i++) {
      Object seg = segments.get(i);
      boolean last = i == segments.size() - 1;
      Object next = last ? null : segments.get(i + 1);
      if (seg instanceof String key) {
        ObjectNode obj = (ObjectNode) current;
        if (last) {
          obj.set(key, value);
          return;
        }
        JsonNode child = obj.get(key);
        if (next instanceof Integer) {
          if (child == null || !child.isArray()) {
            child = obj.putArray(key);
          }
        } else if (child == null || !child.isObject()) {
          child = obj.putObject(key);
        }
        current = child;
      } else {
        int index = (Integer) seg;
        ArrayNode arr = (ArrayNode) current;
        while (arr.size() <= index) {
          arr.addNull();
        }
        if (last) {
          arr.set(index, value);
          return;
        }
        JsonNode child = arr.get(index);
        if (next instanceof Integer) {
          if (!child.isArray()) {
            child = F.arrayNode();
            arr.set(index, child);
          }
        } else if (!child.isObject()) {
          child = F.objectNode();
          arr.set(index, child);
        }
        current = child;
      }
    }
  }

  private static String join(List<Object> segments) {
    StringBuilder sb = new StringBuilder();
    for (Object s : segments) {
      if (s instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(s);
      }
    }
    return sb.toString();
  }
}

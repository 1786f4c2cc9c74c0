package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * kyaml's dotted field paths, as replacements and vars use them: {@code
 * spec.template.spec.containers.[name=app].image}. A segment is a field name, a list index ({@code
 * 0}), {@code [key=value]} (the list elements whose {@code key} is {@code value}) or {@code *}
 * (every element or field). Dots inside brackets do not split.
 */
final class FieldPath {
  /** A place found: the container and the field name or index in it. */
  record Slot(JsonNode parent, String field, int index) {
    JsonNode get() {
      return parent instanceof ArrayNode a ? a.get(index) : parent.get(field);
    }

    void set(JsonNode value) {
      if (parent instanceof ArrayNode a) {
        a.set(index, value);
      } else {
        ((ObjectNode) parent).set(field, value);
      }
    }
  }

  private final List<String> segments;

  private FieldPath(List<String> segments) {
    this.segments = segments;
  }

  static FieldPath parse(String path) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    for (char c : path.toCharArray()) {
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      }
      if (c == '.' && depth == 0) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    // kustomize's older form "containers[name=app]" is "containers.[name=app]"
    List<String> split = new ArrayList<>();
    for (String s : out) {
      int b = s.indexOf('[');
      if (b > 0 && s.endsWith("]")) {
        split.add(s.substring(0, b));
        split.add(s.substring(b));
      } else {
        split.add(s);
      }
    }
    return new FieldPath(split);
  }

  /** Every existing place the path leads to (creating what is missing when {@code create}). */
  List<Slot> find(JsonNode root, boolean create, boolean leafIsContainer) {
    List<Slot> out = new ArrayList<>();
    walk(root, 0, create, leafIsContainer, out);
    return out;
  }

  /** The value at the path in {@code root}, or null. */
  JsonNode get(JsonNode root) {
    List<Slot> found = find(root, false, false);
    return found.isEmpty() ? null : found.get(0).get();
  }

  private void walk(JsonNode node, int i, boolean create, boolean leafIsContainer, List<Slot> out) {
    String seg = segments.get(i);
    boolean last = i == segments.size() - 1;
    if (seg.startsWith("[") && seg.endsWith("]") && !seg.contains("=") && node.isObject()) {
      // [a.b/c] names a map field whose name holds dots
      seg = seg.substring(1, seg.length() - 1);
    } else if (seg.startsWith("[") && seg.endsWith("]")) {
      if (!(node instanceof ArrayNode list)) {
        return;
      }
      String body = seg.substring(1, seg.length() - 1);
      int eq = body.indexOf('=');
      if (eq < 0) {
        if (body.matches("\\d+") && Integer.parseInt(body) < list.size()) {
          step(new Slot(list, null, Integer.parseInt(body)), i, create, leafIsContainer, out, last);
        }
        return;
      }
      String key = body.substring(0, eq);
      String value = body.substring(eq + 1);
      boolean any = false;
      for (int j = 0; j < list.size(); j++) {
        JsonNode item = list.get(j);
        if (item.isObject()
            && item.has(key)
            && (value.equals("*") || item.get(key).asString().equals(value))) {
          any = true;
          step(new Slot(list, null, j), i, create, leafIsContainer, out, last);
        }
      }
      if (!any && create && !value.equals("*")) {
        ObjectNode added = list.addObject();
        added.put(key, value);
        step(new Slot(list, null, list.size() - 1), i, create, leafIsContainer, out, last);
      }
      return;
    }
    if (seg.equals("*")) {
      if (node instanceof ArrayNode list) {
        for (int j = 0; j < list.size(); j++) {
          step(new Slot(list, null, j), i, create, leafIsContainer, out, last);
        }
      } else if (node instanceof ObjectNode obj) {
        for (String name : new ArrayList<>(obj.propertyNames())) {
          step(new Slot(obj, name, -1), i, create, leafIsContainer, out, last);
        }
      }
      return;
    }
    if (node instanceof ArrayNode list) {
      if (seg.matches("-?\\d+")) {
        int j = Integer.parseInt(seg);
        if (j >= 0 && j < list.size()) {
          step(new Slot(list, null, j), i, create, leafIsContainer, out, last);
        }
      }
      return;
    }
    if (!(node instanceof ObjectNode obj)) {
      return;
    }
    JsonNode child = obj.get(seg);
    if (child == null || (child.isNull() && !last)) {
      if (!create) {
        return;
      }
      if (last) {
        obj.putNull(seg);
      } else if (segments.get(i + 1).startsWith("[")) {
        obj.putArray(seg);
      } else {
        obj.putObject(seg);
      }
    }
    step(new Slot(obj, seg, -1), i, create, leafIsContainer, out, last);
  }

  private void step(
      Slot slot, int i, boolean create, boolean leafIsContainer, List<Slot> out, boolean last) {
    if (last) {
      out.add(slot);
      return;
    }
    JsonNode next = slot.get();
    if (next != null) {
      walk(next, i + 1, create, leafIsContainer, out);
    }
  }

  static JsonNode text(String s) {
    return JsonNodeFactory.instance.stringNode(s);
  }
}

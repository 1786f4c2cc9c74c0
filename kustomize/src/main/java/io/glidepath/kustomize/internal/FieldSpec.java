package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A place in objects of some types that a transformer changes, in kustomize's field-spec form:
 * {@code spec/template/metadata/labels} for {@code Deployment}. Path segments are separated by
 * {@code /} ({@code \/} is a slash inside a segment); lists met on the way are entered element by
 * element; {@code name[]} marks a segment that holds a list. With {@code create}, missing maps are
 * made on the way and a missing last field is made in the form the transformer asks for.
 *
 * @param gvk the types the spec applies to (empty parts match anything)
 * @param path the path
 * @param create whether missing fields are created
 */
record FieldSpec(Gvk gvk, String path, boolean create) {

  /** What a missing last field is created as. */
  enum Leaf {
    /** Not created (a name or reference is only changed where it exists). */
    NONE,
    /** A map (labels, annotations, selectors). */
    MAP,
    /** A string (namespace, image). */
    SCALAR
  }

  /** Called with the map holding the last field of the path and the field's name. */
  @FunctionalInterface
  interface Setter {
    void set(ObjectNode parent, String field);
  }

  static FieldSpec any(String path, boolean create) {
    return new FieldSpec(Gvk.ANY, path, create);
  }

  boolean applies(Gvk type) {
    return type.selectedBy(gvk);
  }

  private static final java.util.Map<String, List<String>> SEGMENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The path's segments, with {@code \/} unescaped (parsed once per path, cache bounded). */
  List<String> segments() {
    List<String> cached = SEGMENTS.get(path);
    if (cached != null) {
      return cached;
    }
    List<String> segs = split(path);
    if (SEGMENTS.size() < 4096) {
      SEGMENTS.put(path, segs);
    }
    return segs;
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && i + 1 < path.length() && path.charAt(i + 1) == '/') {
        cur.append('/');
        i++;
      } else if (c == '/') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return List.copyOf(out);
  }

  /**
   * Calls {@code setter} at every place the path leads to in {@code root}.
   *
   * @throws PatchException when the path runs into a scalar before its end
   */
  void apply(ObjectNode root, Leaf leaf, Setter setter) {
    List<String> segs = segments();
    walk(root, segs, 0, leaf, setter);
  }

  /** Whether the path leads to at least one existing field in {@code root}. */
  boolean exists(ObjectNode root) {
    boolean[] found = {false};
    try {
      walk(
          root,
          segments(),
          0,
          Leaf.NONE,
          (p, f) -> {
            if (p.has(f)) {
              found[0] = true;
            }
          },
          false);
    } catch (PatchException e) {
      return false;
    }
    return found[0];
  }

  private void walk(JsonNode node, List<String> segs, int i, Leaf leaf, Setter setter) {
    walk(node, segs, i, leaf, setter, create);
  }

  private void walk(
      JsonNode node, List<String> segs, int i, Leaf leaf, Setter setter, boolean mayCreate) {
    if (node.isArray()) {
      for (JsonNode item : node) {
        walk(item, segs, i, leaf, setter, mayCreate);
      }
      return;
    }
    if (!node.isObject()) {
      throw new PatchException(
          "field path " + path + " meets a " + node.getNodeType() + " where a map or list is due");
    }
    ObjectNode obj = (ObjectNode) node;
    String seg = segs.get(i);
    boolean list = seg.endsWith("[]");
    String name = list ? seg.substring(0, seg.length() - 2) : seg;
    if (name.isEmpty()) {
      throw new PatchException("field path " + path + " has an empty field name");
    }
    boolean last = i == segs.size() - 1;
    JsonNode child = obj.get(name);
    // kustomize creates nothing, not even the maps on the way, unless it knows the leaf's form
    boolean canCreate = mayCreate && !list && leaf != Leaf.NONE;
    if (child == null) {
      if (!canCreate) {
        return;
      }
      if (last) {
        if (leaf == Leaf.MAP) {
          obj.putObject(name);
        } else {
          obj.putNull(name);
        }
        setter.set(obj, name);
        return;
      }
      child = obj.putObject(name);
    } else if (child.isNull()) {
      if (list) {
        child = obj.putArray(name);
      } else if (canCreate) {
        if (!last) {
          child = obj.putObject(name);
        } else if (leaf == Leaf.MAP) {
          child = obj.putObject(name);
        }
      } else if (!last) {
        return;
      }
    }
    if (last) {
      setter.set(obj, name);
      return;
    }
    walk(child, segs, i + 1, leaf, setter, mayCreate);
  }
}

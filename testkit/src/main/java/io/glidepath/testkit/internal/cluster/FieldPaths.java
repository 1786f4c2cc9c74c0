package io.glidepath.testkit.internal.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field paths in the {@code FieldsV1} vocabulary of server-side apply: {@code f:name} for an object
 * field, {@code k:{"name":"app"}} for an item of an associative list.
 *
 * <p>Which lists are associative, and by which key, follows the built-in types' {@code
 * x-kubernetes-list-map-keys}: containers, initContainers, ephemeralContainers, env, volumes and
 * imagePullSecrets by name; volumeMounts by mountPath; container ports by containerPort and
 * protocol; service ports by port and protocol; hostAliases by ip; ownerReferences by uid;
 * conditions by type. Every other list is atomic.
 */
public final class FieldPaths {
  private static final Set<String> BY_NAME =
      Set.of(
          "containers",
          "initContainers",
          "ephemeralContainers",
          "env",
          "volumes",
          "imagePullSecrets");

  /** Top-level and metadata fields that are never owned by a manager. */
  private static final Set<String> SERVER_FIELDS =
      Set.of(
          "managedFields",
          "resourceVersion",
          "uid",
          "creationTimestamp",
          "generation",
          "deletionTimestamp",
          "selfLink",
          "name",
          "namespace");

  private FieldPaths() {}

  /** The key element of {@code item} in the list named {@code field}, when the list is keyed. */
  public static Optional<String> itemKey(String field, JsonNode item) {
    return Optional.ofNullable(key(field, item));
  }

  /**
   * {@link #itemKey} without the Optional: it runs for every list item on every path lookup. The
   * key is JSON written by hand, its fields in name order ({@code containerPort} and {@code port}
   * sort before {@code protocol}).
   */
  static String key(String field, JsonNode item) {
    if (field == null || !item.isObject()) {
      return null;
    }
    String name;
    if (BY_NAME.contains(field)) {
      name = "name";
    } else if (field.equals("volumeMounts")) {
      name = "mountPath";
    } else if (field.equals("ports")) {
      String first = item.has("containerPort") ? "containerPort" : "port";
      JsonNode value = item.get(first);
      if (value == null) {
        return null;
      }
      JsonNode protocol = item.get("protocol");
      return "k:{\""
          + first
          + "\":"
          + value
          + ",\"protocol\":"
          + (protocol == null ? "\"TCP\"" : protocol.toString())
          + "}";
    } else if (field.equals("hostAliases")) {
      name = "ip";
    } else if (field.equals("ownerReferences")) {
      name = "uid";
    } else if (field.equals("conditions")) {
      name = "type";
    } else {
      return null;
    }
    JsonNode value = item.get(name);
    return value == null ? null : "k:{\"" + name + "\":" + value + "}";
  }

  /** Whether every item of {@code list} (named {@code field}) has a key. */
  public static boolean associative(String field, JsonNode list) {
    if (field == null || !list.isArray() || list.isEmpty()) {
      return false;
    }
    for (JsonNode item : list) {
      if (key(field, item) == null) {
        return false;
      }
    }
    return true;
  }

  /** The paths an object sets, as server-side apply counts ownership (status excluded). */
  public static Set<List<String>> leaves(JsonNode object) {
    return paths(object, false);
  }

  /**
   * Every path that exists in {@code object}: the {@link #leaves} and every object and list item on
   * the way to them.
   */
  static Set<List<String>> present(JsonNode object) {
    return paths(object, true);
  }

  private static Set<List<String>> paths(JsonNode object, boolean parents) {
    Set<List<String>> out = new LinkedHashSet<>();
    if (object == null || !object.isObject()) {
      return out;
    }
    ArrayList<String> path = new ArrayList<>(16);
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String k = e.getKey();
      if (k.equals("apiVersion") || k.equals("kind") || k.equals("status")) {
        continue;
      }
      if (k.equals("metadata") && e.getValue().isObject()) {
        path.add("f:metadata");
        if (parents) {
          out.add(List.copyOf(path));
        }
        for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
          if (!SERVER_FIELDS.contains(m.getKey())) {
            path.add("f:" + m.getKey());
            walk(m.getValue(), m.getKey(), path, out, parents);
            path.remove(path.size() - 1);
          }
        }
        path.remove(path.size() - 1);
        continue;
      }
      path.add("f:" + k);
      walk(e.getValue(), k, path, out, parents);
      path.remove(path.size() - 1);
    }
    return out;
  }

  /** Walks {@code v} at {@code path} (a stack: restored on return). */
  private static void walk(
      JsonNode v, String field, ArrayList<String> path, Set<List<String>> out, boolean parents) {
    if (v == null || v.isNull()) {
      return;
    }
    if (v.isObject() && !v.isEmpty()) {
      if (parents) {
        out.add(List.copyOf(path));
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        path.add("f:" + e.getKey());
        walk(e.getValue(), e.getKey(), path, out, parents);
        path.remove(path.size() - 1);
      }
    } else if (associative(field, v)) {
      if (parents) {
        out.add(List.copyOf(path));
      }
      for (JsonNode item : v) {
        path.add(key(field, item));
        out.add(List.copyOf(path));
        for (Map.Entry<String, JsonNode> e : item.properties()) {
          path.add("f:" + e.getKey());
          walk(e.getValue(), e.getKey(), path, out, parents);
          path.remove(path.size() - 1);
        }
        path.remove(path.size() - 1);
      }
    } else {
      out.add(List.copyOf(path));
    }
  }

  private static List<String> append(List<String> path, String element) {
    String[] p = path.toArray(new String[path.size() + 1]);
    p[path.size()] = element;
    return List.of(p);
  }

  /** The value at {@code path}, or null when absent. */
  public static JsonNode resolve(JsonNode root, List<String> path) {
    JsonNode node = root;
    String lastField = null;
    for (String element : path) {
      if (node == null) {
        return null;
      }
      if (element.startsWith("f:")) {
        lastField = element.substring(2);
        node = node.isObject() ? node.get(lastField) : null;
      } else if (element.startsWith("k:")) {
        node = node.isArray() ? findItem((ArrayNode) node, lastField, element) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  private static JsonNode findItem(ArrayNode list, String field, String key) {
    for (JsonNode item : list) {
      if (key.equals(key(field, item))) {
        return item;
      }
    }
    return null;
  }

  /**
   * Removes the value at {@code path}, and objects left empty by it; returns whether it existed.
   */
  public static boolean remove(JsonNode root, List<String> path) {
    if (path.isEmpty()) {
      return false;
    }
    JsonNode parent = resolve(root, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    boolean removed = false;
    if (last.startsWith("f:") && parent instanceof ObjectNode o) {
      removed = o.remove(last.substring(2)) != null;
    } else if (last.startsWith("k:") && parent instanceof ArrayNode a) {
      String field = path.size() >= 2 ? path.get(path.size() - 2).substring(2) : "";
      for (int i = a.size() - 1; i >= 0; i--) {
        if (last.equals(key(field, a.get(i)))) {
          a.remove(i);
          removed = true;
        }
      }
    }
    if (removed && path.size() > 2 && parent.isEmpty() && last.startsWith("f:")) {
      remove(root, path.subList(0, path.size() - 1));
    }
    return removed;
  }

  /** The {@code FieldsV1} tree for a set of paths. */
  public static ObjectNode toFieldsV1(Set<List<String>> paths) {
    ObjectNode root = Json.object();
    for (List<String> path : paths) {
      ObjectNode node = root;
      for (String element : path) {
        JsonNode child = node.get(element);
        node = child instanceof ObjectNode o ? o : node.putObject(element);
      }
      if (path.get(path.size() - 1).startsWith("k:")) {
        node.putObject(".");
      }
    }
    return root;
  }

  /** The set of paths a {@code FieldsV1} tree names. */
  public static Set<List<String>> fromFieldsV1(JsonNode fields) {
    Set<List<String>> out = new LinkedHashSet<>();
    collect(fields, List.of(), out);
    return out;
  }

  private static void collect(JsonNode node, List<String> path, Set<List<String>> out) {
    if (node == null || !node.isObject()) {
      return;
    }
    if (node.isEmpty() || node.has(".")) {
      if (!path.isEmpty()) {
        out.add(path);
      }
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().equals(".")) {
        collect(e.getValue(), append(path, e.getKey()), out);
      }
    }
  }

  /** The path as users read it: {@code .spec.template.spec.containers[name="app"].image}. */
  public static String display(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String element : path) {
      if (element.startsWith("f:")) {
        sb.append('.').append(element.substring(2));
      } else {
        JsonNode key = Json.read(element.substring(2));
        sb.append('[');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : key.properties()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append(e.getKey()).append('=').append(e.getValue());
        }
        sb.append(']');
      }
    }
    return sb.toString();
  }
}

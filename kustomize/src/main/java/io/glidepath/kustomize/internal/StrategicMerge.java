package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes strategic merge patch on Jackson trees.
 *
 * <p>Maps merge field by field; {@code null} deletes a field; lists with a merge key (containers by
 * {@code name}, container ports by {@code containerPort}, volume mounts by {@code mountPath}, ...)
 * merge element by element, other lists are replaced. Directives: {@code $patch: delete} (a map or
 * a list element), {@code $patch: replace}, {@code $patch: merge}, {@code $setElementOrder/<list>},
 * {@code $deleteFromPrimitiveList/<list>} and {@code $retainKeys}.
 *
 * <p>Merged lists keep kustomize's (and the API server's) order: the patch's elements in patch
 * order, then the original elements the patch does not name, in their order. Lists of kinds
 * Glidepath does not know (custom resources) are merged when their elements carry one of the keys
 * kustomize infers ({@code name}, {@code containerPort}, {@code mountPath}, ...), as kustomize
 * does.
 *
 * <p>Stateless and thread-safe.
 */
public final class StrategicMerge {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String PATCH = "$patch";
  private static final String ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";
  private static final String RETAIN = "$retainKeys";

  /** Merge keys of built-in types by list field name, as the Kubernetes API declares them. */
  private static final Map<String, String> KEYS = new HashMap<>();

  /** Lists of primitives with patch strategy merge. */
  private static final Set<String> PRIMITIVE_MERGE = Set.of("finalizers");

  static {
    for (String f :
        List.of(
            "containers",
            "initContainers",
            "ephemeralContainers",
            "env",
            "volumes",
            "imagePullSecrets",
            "resourceClaims",
            "schedulingGates",
            "secrets")) {
      KEYS.put(f, "name");
    }
    KEYS.put("volumeMounts", "mountPath");
    KEYS.put("volumeDevices", "devicePath");
    KEYS.put("hostAliases", "ip");
    KEYS.put("topologySpreadConstraints", "topologyKey");
    KEYS.put("conditions", "type");
    KEYS.put("ownerReferences", "uid");
    KEYS.put("ports", "containerPort");
  }

  private final boolean builtIn;
  private final String kind;

  private final OpenApiSchema schema;
  private final Gvk gvk;

  private StrategicMerge(boolean builtIn, String kind, OpenApiSchema schema, Gvk gvk) {
    this.builtIn = builtIn;
    this.kind = kind;
    this.schema = schema;
    this.gvk = gvk;
  }

  /**
   * Applies {@code patch} to {@code original} (not changed) and returns the result, or null when
   * the patch deletes the whole object ({@code $patch: delete} at the top).
   *
   * @param builtIn true when the object is a built-in Kubernetes kind (merge keys from the API),
   *     false for custom resources (keys inferred from the elements, like kustomize)
   * @throws PatchException when a directive is malformed
   */
  public static ObjectNode apply(ObjectNode original, ObjectNode patch, boolean builtIn) {
    return apply(original, patch, builtIn, null);
  }

  /** {@link #apply(ObjectNode, ObjectNode, boolean)} with merge keys from a custom schema. */
  static ObjectNode apply(
      ObjectNode original, ObjectNode patch, boolean builtIn, OpenApiSchema schema) {
    String kind = original.path("kind").asString("");
    Gvk gvk = Gvk.of(original.path("apiVersion").asString(""), kind);
    // one copy up front; the merge then changes the copy in place
    JsonNode result =
        new StrategicMerge(builtIn, kind, schema, gvk).mergeMap(original.deepCopy(), patch, "");
    return result == null ? null : (ObjectNode) result;
  }

  private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      String d = directive.asString("");
      switch (d) {
        case "delete":
          return null;
        case "replace":
          return strip(patch);
        case "merge":
          break;
        default:
          throw new PatchException(
              "unknown $patch directive \"" + d + "\" at " + display(path) + " (delete|replace)");
      }
    }
    ObjectNode result = original == null ? F.objectNode() : original;
    Map<String, JsonNode> orders = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String field = e.getKey();
      JsonNode value = e.getValue();
      if (field.equals(PATCH) || field.equals(RETAIN)) {
        continue;
      }
      if (field.startsWith(ORDER)) {
        orders.put(field.substring(ORDER.length()), value);
        continue;
      }
      if (field.startsWith(DELETE_PRIMITIVE)) {
        String list = field.substring(DELETE_PRIMITIVE.length());
        JsonNode current = result.get(list);
        if (current != null && current.isArray() && value.isArray()) {
          ArrayNode kept = F.arrayNode();
          for (JsonNode item : current) {
            if (!contains(value, item)) {
              kept.add(item);
            }
          }
          result.set(list, kept);
        }
        continue;
      }
      String childPath = path + "/" + field;
      if (value.isNull()) {
        result.remove(field);
        continue;
      }
      JsonNode current = result.get(field);
      JsonNode merged = mergeValue(current, value, field, childPath);
      if (merged == null) {
        result.remove(field);
      } else {
        result.set(field, merged);
      }
    }
    for (Map.Entry<String, JsonNode> e : orders.entrySet()) {
      JsonNode list = result.get(e.getKey());
      if (list != null && list.isArray() && e.getValue().isArray()) {
        result.set(e.getKey(), order((ArrayNode) list, (ArrayNode) e.getValue(), e.getKey()));
      }
    }
    return result;
  }

  private JsonNode mergeValue(JsonNode current, JsonNode value, String field, String path) {
    if (value.isObject()) {
      if (current != null && current.isObject()) {
        return mergeMap((ObjectNode) current, (ObjectNode) value, path);
      }
      return mergeMap(null, (ObjectNode) value, path);
    }
    if (value.isArray()) {
      ArrayNode patchList = (ArrayNode) value;
      ArrayNode orig = current != null && current.isArray() ? (ArrayNode) current : F.arrayNode();
      return mergeList(orig, patchList, field, path);
    }
    return value.deepCopy();
  }

  private String mergeKey(String field, String path, ArrayNode orig, ArrayNode patch) {
    if (schema != null) {
      String key = schema.mergeKey(gvk, java.util.Arrays.asList(path.substring(1).split("/")));
      if (key != null) {
        return key;
      }
    }
    if (builtIn) {
      if (field.equals("ports") && kind.equals("Service") && path.equals("/spec/ports")) {
        return "port";
      }
      String key = KEYS.get(field);
      if (key != null) {
        return key;
      }
      return null;
    }
    // kustomize has no schema for custom resources: their lists are replaced
    return null;
  }

  private ArrayNode mergeList(ArrayNode orig, ArrayNode patch, String field, String path) {
    for (JsonNode item : patch) {
      if (item.isObject()
          && item.size() == 1
          && "replace".equals(item.path(PATCH).asString(null))) {
        ArrayNode replaced = F.arrayNode();
        for (JsonNode other : patch) {
          if (other != item) {
            replaced.add(other.isObject() ? strip((ObjectNode) other) : other.deepCopy());
          }
        }
        return replaced;
      }
    }
    boolean primitives = patch.isEmpty() || !patch.get(0).isContainer();
    if (primitives) {
      if (PRIMITIVE_MERGE.contains(field) && builtIn) {
        // like merged maps: the patch's values first, then the original's others
        ArrayNode merged = F.arrayNode();
        for (JsonNode item : patch) {
          if (!contains(merged, item)) {
            merged.add(item.deepCopy());
          }
        }
        for (JsonNode item : orig) {
          if (!contains(merged, item)) {
            merged.add(item.deepCopy());
          }
        }
        return merged;
      }
      return patch.deepCopy();
    }
    String key = mergeKey(field, path, orig, patch);
    if (key == null) {
      ArrayNode replaced = F.arrayNode();
      for (JsonNode item : patch) {
        replaced.add(item.isObject() ? strip((ObjectNode) item) : item.deepCopy());
      }
      return replaced;
    }
    ArrayNode result = F.arrayNode();
    if (anyLacks(patch, key)) {
      return withoutKeys(orig, patch, key, path);
    }
    Set<String> named = new HashSet<>();
    for (JsonNode item : patch) {
      if (!item.isObject()) {
        throw new PatchException(
            "list "
                + display(path)
                + " merges by \""
                + key
                + "\" but holds a "
                + item.getNodeType());
      }
      JsonNode k = item.get(key);
      if (k == null) {
        throw new PatchException(
            "an element of list " + display(path) + " has no merge key \"" + key + "\"");
      }
      String id = k.asString();
      named.add(id);
      JsonNode existing = find(orig, key, id);
      String directive = item.path(PATCH).asString("");
      if (directive.equals("delete")) {
        continue;
      }
      ObjectNode merged =
          mergeMap(existing == null ? null : (ObjectNode) existing, (ObjectNode) item, path);
      if (merged != null) {
        result.add(merged);
      }
    }
    for (JsonNode item : orig) {
      JsonNode k = item.isObject() ? item.get(key) : null;
      if (k == null || !named.contains(k.asString())) {
        result.add(item);
      }
    }
    return result;
  }

  private static boolean anyLacks(ArrayNode patch, String key) {
    for (JsonNode item : patch) {
      if (item.isObject() && !item.has(key) && !item.has(PATCH)) {
        return true;
      }
    }
    return false;
  }

  /**
   * kustomize (kyaml) on a patch list with elements that lack the merge key: into an empty list
   * only those elements go; into a non-empty one only the keyed elements, merged with their
   * originals, and the originals the patch does not name are dropped.
   */
  private ArrayNode withoutKeys(ArrayNode orig, ArrayNode patch, String key, String path) {
    ArrayNode result = F.arrayNode();
    for (JsonNode item : patch) {
      if (!item.isObject()) {
        throw new PatchException(
            "list "
                + display(path)
                + " merges by \""
                + key
                + "\" but holds a "
                + item.getNodeType());
      }
      boolean keyed = item.has(key);
      if (orig.isEmpty() ? keyed : !keyed) {
        continue;
      }
      JsonNode existing = keyed ? find(orig, key, item.get(key).asString()) : null;
      ObjectNode merged =
          mergeMap(
              existing == null ? null : ((ObjectNode) existing).deepCopy(),
              (ObjectNode) item,
              path);
      if (merged != null) {
        result.add(merged);
      }
    }
    return result;
  }

  private static JsonNode find(ArrayNode list, String key, String id) {
    for (JsonNode item : list) {
      if (item.isObject() && item.has(key) && item.get(key).asString().equals(id)) {
        return item;
      }
    }
    return null;
  }

  private ArrayNode order(ArrayNode list, ArrayNode order, String field) {
    String key = null;
    for (JsonNode o : order) {
      if (o.isObject() && o.size() >= 1) {
        key = o.propertyNames().iterator().next();
        break;
      }
    }
    List<JsonNode> items = new ArrayList<>();
    list.forEach(items::add);
    List<JsonNode> sorted = new ArrayList<>();
    for (JsonNode o : order) {
      for (JsonNode item : items) {
        boolean match =
            key == null
                ? item.equals(o)
                : item.isObject()
                    && item.has(key)
                    && item.get(key).asString().equals(o.path(key).asString());
        if (match && !sorted.contains(item)) {
          sorted.add(item);
        }
      }
    }
    for (JsonNode item : items) {
      if (!sorted.contains(item)) {
        sorted.add(item);
      }
    }
    ArrayNode result = F.arrayNode();
    sorted.forEach(result::add);
    return result;
  }

  private static boolean contains(JsonNode list, JsonNode item) {
    for (JsonNode x : list) {
      if (x.equals(item)) {
        return true;
      }
    }
    return false;
  }

  /** A copy of {@code node} without SMP directives, at every depth. */
  static ObjectNode strip(ObjectNode node) {
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String k = e.getKey();
      if (k.equals(PATCH)
          || k.equals(RETAIN)
          || k.startsWith(ORDER)
          || k.startsWith(DELETE_PRIMITIVE)) {
        continue;
      }
      out.set(k, stripAny(e.getValue()));
    }
    return out;
  }

  private static JsonNode stripAny(JsonNode v) {
    if (v.isObject()) {
      return strip((ObjectNode) v);
    }
    if (v.isArray()) {
      ArrayNode a = F.arrayNode();
      for (JsonNode item : v) {
        if (item.isObject() && "delete".equals(item.path(PATCH).asString(null))) {
          continue;
        }
        a.add(stripAny(item));
      }
      return a;
    }
    return v.deepCopy();
  }

  private static String display(String path) {
    return path.isEmpty() ? "/" : path;
  }
}

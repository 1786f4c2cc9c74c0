package io.glidepath.kustomize.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields of a kustomization file (kustomize v5.5's {@code Kustomization} type). kustomize
 * decodes the file with Go's JSON rules, so a field name matches in any letter case ({@code
 * nameprefix} is {@code namePrefix}) and an unknown field is an error; {@link #normalize} applies
 * the first rule and {@link #firstUnknown} finds the second.
 */
final class Schema {
  /** What a field may hold. */
  sealed interface Type permits Any, MapOf, ListOf {}

  /** Anything (checked later where it matters); keys inside are left as they are. */
  record Any() implements Type {}

  /** A map with known fields. */
  record MapOf(Map<String, Type> fields) implements Type {}

  /** A list whose items are of one type. */
  record ListOf(Type item) implements Type {}

  static final Type ANY = new Any();

  static final MapOf KUSTOMIZATION;

  static {
    MapOf genOptions =
        map("labels", ANY, "annotations", ANY, "disableNameSuffixHash", ANY, "immutable", ANY);
    MapOf cmGenerator =
        map(
            "name",
            ANY,
            "namespace",
            ANY,
            "behavior",
            ANY,
            "literals",
            ANY,
            "files",
            ANY,
            "envs",
            ANY,
            "env",
            ANY,
            "options",
            genOptions);
    Map<String, Type> secretFields = new LinkedHashMap<>(cmGenerator.fields());
    secretFields.put("type", ANY);
    MapOf secretGenerator = new MapOf(secretFields);
    MapOf selector =
        map(
            "group",
            ANY,
            "version",
            ANY,
            "kind",
            ANY,
            "name",
            ANY,
            "namespace",
            ANY,
            "labelSelector",
            ANY,
            "annotationSelector",
            ANY);
    MapOf fieldSpec = map("path", ANY, "group", ANY, "version", ANY, "kind", ANY, "create", ANY);
    MapOf patch =
        map(
            "path",
            ANY,
            "patch",
            ANY,
            "target",
            selector,
            "options",
            map("allowNameChange", ANY, "allowKindChange", ANY));
    Map<String, Type> f = new LinkedHashMap<>();
    for (String any :
        new String[] {
          "apiVersion",
          "kind",
          "metadata",
          "openapi",
          "namePrefix",
          "nameSuffix",
          "namespace",
          "commonLabels",
          "commonAnnotations",
          "patchesStrategicMerge",
          "imageTags",
          "replacements",
          "vars",
          "resources",
          "crds",
          "bases",
          "components",
          "helmGlobals",
          "helmCharts",
          "helmChartInflationGenerator",
          "configurations",
          "generators",
          "transformers",
          "validators",
          "buildMetadata"
        }) {
      f.put(any, ANY);
    }
    f.put(
        "labels",
        new ListOf(
            map(
                "pairs",
                ANY,
                "includeSelectors",
                ANY,
                "includeTemplates",
                ANY,
                "fields",
                new ListOf(fieldSpec))));
    f.put(
        "images",
        new ListOf(
            map("name", ANY, "newName", ANY, "newTag", ANY, "digest", ANY, "tagSuffix", ANY)));
    f.put("replicas", new ListOf(map("name", ANY, "count", ANY)));
    f.put("patches", new ListOf(patch));
    f.put("patchesJson6902", new ListOf(patch));
    f.put("configMapGenerator", new ListOf(cmGenerator));
    f.put("secretGenerator", new ListOf(secretGenerator));
    f.put("generatorOptions", genOptions);
    f.put(
        "sortOptions",
        map("order", ANY, "legacySortOptions", map("orderFirst", ANY, "orderLast", ANY)));
    KUSTOMIZATION = new MapOf(f);
  }

  private Schema() {}

  private static MapOf map(Object... kv) {
    Map<String, Type> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Type) kv[i + 1]);
    }
    return new MapOf(m);
  }

  /**
   * A copy of {@code node} whose field names are the schema's spelling where they match one in
   * another letter case; a field given twice (in any spelling) keeps its last value.
   */
  static JsonNode normalize(JsonNode node, Type type) {
    if (type instanceof MapOf m && node.isObject()) {
      Map<String, String> folded = new LinkedHashMap<>();
      for (String known : m.fields().keySet()) {
        folded.putIfAbsent(known.toLowerCase(Locale.ROOT), known);
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String name = e.getKey();
        if (!m.fields().containsKey(name)) {
          name = folded.getOrDefault(name.toLowerCase(Locale.ROOT), name);
        }
        Type t = m.fields().get(name);
        out.remove(name);
        out.set(name, t == null ? e.getValue() : normalize(e.getValue(), t));
      }
      return out;
    }
    if (type instanceof ListOf l && node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : node) {
        out.add(normalize(item, l.item()));
      }
      return out;
    }
    return node;
  }

  /** The path of the first field {@code node} has that {@code type} does not know, or null. */
  static String firstUnknown(JsonNode node, Type type, String path) {
    if (type instanceof MapOf m && node.isObject()) {
      for (String name : node.propertyNames()) {
        String child = path.isEmpty() ? name : path + "." + name;
        Type t = m.fields().get(name);
        if (t == null) {
          return child;
        }
        String inner = firstUnknown(node.get(name), t, child);
        if (inner != null) {
          return inner;
        }
      }
    } else if (type instanceof ListOf l && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String inner = firstUnknown(node.get(i), l.item(), path + "[" + i + "]");
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }
}

package io.glidepath.kustomize.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The fields of a kustomization file (kustomize v5's {@code Kustomization} type), used to report
 * unknown fields with their path and fields Glidepath does not render.
 */
final class Schema {
  /** What a field may hold. */
  sealed interface Type permits Any, MapOf, ListOf {}

  /** Anything (checked later where it matters). */
  record Any() implements Type {}

  /** A map with known fields. */
  record MapOf(Map<String, Type> fields) implements Type {}

  /** A list whose items are of one type. */
  record ListOf(Type item) implements Type {}

  static final Type ANY = new Any();

  /** Fields kustomize knows but Glidepath does not render. */
  static final Set<String> UNSUPPORTED =
      Set.of(
          "vars",
          "replacements",
          "helmCharts",
          "helmGlobals",
          "helmChartInflationGenerator",
          "openapi",
          "buildMetadata",
          "crds",
          "configurations",
          "transformers",
          "generators",
          "validators",
          "replacementTransformer");

  static final MapOf KUSTOMIZATION;

  static {
    MapOf genOptions =
        map("labels", ANY, "annotations", ANY, "disableNameSuffixHash", ANY, "immutable", ANY);
    MapOf generator =
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
            "type",
            ANY,
            "options",
            genOptions);
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
    Map<String, Type> f = new LinkedHashMap<>();
    for (String any :
        new String[] {
          "apiVersion",
          "kind",
          "metadata",
          "resources",
          "bases",
          "components",
          "namespace",
          "namePrefix",
          "nameSuffix",
          "commonLabels",
          "commonAnnotations",
          "patchesStrategicMerge"
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
                new ListOf(
                    map("path", ANY, "group", ANY, "version", ANY, "kind", ANY, "create", ANY)))));
    f.put(
        "images",
        new ListOf(
            map("name", ANY, "newName", ANY, "newTag", ANY, "digest", ANY, "tagSuffix", ANY)));
    f.put("replicas", new ListOf(map("name", ANY, "count", ANY)));
    f.put(
        "patches",
        new ListOf(
            map(
                "path",
                ANY,
                "patch",
                ANY,
                "target",
                selector,
                "options",
                map("allowNameChange", ANY, "allowKindChange", ANY))));
    f.put("patchesJson6902", new ListOf(map("path", ANY, "patch", ANY, "target", selector)));
    f.put("configMapGenerator", new ListOf(generator));
    f.put("secretGenerator", new ListOf(generator));
    f.put("generatorOptions", genOptions);
    f.put(
        "sortOptions",
        map("order", ANY, "legacySortOptions", map("orderFirst", ANY, "orderLast", ANY)));
    for (String u : UNSUPPORTED) {
      f.put(u, ANY);
    }
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

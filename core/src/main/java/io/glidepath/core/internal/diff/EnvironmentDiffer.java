package io.glidepath.core.internal.diff;

import io.glidepath.core.diff.EnvironmentComparison;
import io.glidepath.core.diff.FieldDifference;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Field-by-field comparison of two rendered environments. */
public final class EnvironmentDiffer {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  private EnvironmentDiffer() {}

  public static EnvironmentComparison compare(
      String nameA, ResourceSet a, String nameB, ResourceSet b) {
    Map<ResourceKey, Resource> byA = index(a);
    Map<ResourceKey, Resource> byB = index(b);
    List<ResourceKey> onlyA = new ArrayList<>();
    List<ResourceKey> onlyB = new ArrayList<>();
    List<FieldDifference> diffs = new ArrayList<>();
    for (Map.Entry<ResourceKey, Resource> e : byA.entrySet()) {
      Resource other = byB.get(e.getKey());
      if (other == null) {
        onlyA.add(e.getKey());
        continue;
      }
      SecretShape.check(e.getValue());
      SecretShape.check(other);
      ObjectNode ta = Normalizer.normalize(e.getValue().body());
      ObjectNode tb = Normalizer.normalize(other.body());
      Set<String> sensitive = new LinkedHashSet<>(SecretMasker.sensitiveAnnotations(ta));
      sensitive.addAll(SecretMasker.sensitiveAnnotations(tb));
      boolean secret = e.getKey().group().isEmpty() && e.getKey().kind().equals("Secret");
      if (secret || !sensitive.isEmpty()) {
        SecretMasker.maskAll(List.of(ta, tb), secret, sensitive);
      }
      Map<String, JsonNode> fa = new LinkedHashMap<>();
      Map<String, JsonNode> fb = new LinkedHashMap<>();
      flatten("", ta, fa);
      flatten("", tb, fb);
      Set<String> paths = new LinkedHashSet<>(fa.keySet());
      paths.addAll(fb.keySet());
      for (String path : paths) {
        JsonNode va = fa.get(path);
        JsonNode vb = fb.get(path);
        if (va == null || vb == null || !leafEquals(path, va, vb)) {
          diffs.add(
              new FieldDifference(
                  e.getKey(), path, Optional.ofNullable(va), Optional.ofNullable(vb)));
        }
      }
    }
    for (ResourceKey k : byB.keySet()) {
      if (!byA.containsKey(k)) {
        onlyB.add(k);
      }
    }
    return new EnvironmentComparison(nameA, nameB, onlyA, onlyB, diffs);
  }

  /** Leaves by value; quantities ({@code 1} vs {@code 1000m}) by amount. */
  private static boolean leafEquals(String path, JsonNode a, JsonNode b) {
    int dot = path.lastIndexOf('.');
    String field = dot < 0 ? path : path.substring(dot + 1);
    String parent = "";
    if (dot > 0) {
      String before = path.substring(0, dot);
      int prev = before.lastIndexOf('.');
      parent = prev < 0 ? before : before.substring(prev + 1);
    }
    return Semantics.leafEquals(a, b, parent, field);
  }

  private static Map<ResourceKey, Resource> index(ResourceSet set) {
    Map<ResourceKey, Resource> out = new LinkedHashMap<>();
    for (Resource r : set) {
      out.putIfAbsent(r.key().withNamespace(""), r);
    }
    return out;
  }

  private static void flatten(String path, JsonNode node, Map<String, JsonNode> out) {
    if (node.isObject()) {
      if (node.isEmpty() && !path.isEmpty()) {
        out.put(path, node);
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String k = e.getKey();
        String child =
            PLAIN.matcher(k).matches()
                ? (path.isEmpty() ? k : path + "." + k)
                : path + "[\"" + k.replace("\"", "\\\"") + "\"]";
        flatten(child, e.getValue(), out);
      }
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.put(path, node);
      }
      boolean named = true;
      Set<String> names = new LinkedHashSet<>();
      for (JsonNode element : node) {
        if (!element.path("name").isString() || !names.add(element.path("name").stringValue())) {
          named = false;
          break;
        }
      }
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        String child =
            named
                ? path + "[name=" + element.path("name").stringValue() + "]"
                : path + "[" + i + "]";
        flatten(child, element, out);
      }
    } else {
      out.put(path, node);
    }
  }
}

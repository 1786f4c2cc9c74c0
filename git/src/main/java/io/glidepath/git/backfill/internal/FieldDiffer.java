package io.glidepath.git.backfill.internal;

import io.glidepath.git.writeback.YamlPath;
import io.glidepath.git.writeback.YamlPath.Index;
import io.glidepath.git.writeback.YamlPath.Key;
import io.glidepath.git.writeback.YamlPath.Segment;
import io.glidepath.git.writeback.YamlPath.Select;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The fields where a live object differs from the desired one, as {@link YamlPath}s a person (and
 * {@code SurgicalYaml}) can follow: list items with a merge key are addressed by it ({@code
 * containers[name=app]}), other lists by index when their length is unchanged, or as a whole.
 */
public final class FieldDiffer {
  /** Merge keys of Kubernetes lists, most common first. */
  static final List<String> MERGE_KEYS =
      List.of("name", "containerPort", "port", "mountPath", "devicePath", "ip", "topologyKey");

  private static final Set<String> IDENTITY = Set.of("apiVersion", "kind", "status");

  private FieldDiffer() {}

  /**
   * One differing field.
   *
   * @param path where it is
   * @param live the live value; empty when the field was removed live
   * @param desired the desired value; empty when the field was added live
   */
  public record Change(YamlPath path, Optional<JsonNode> live, Optional<JsonNode> desired) {}

  /** The changes that turn {@code desired} into {@code live}, in document order. */
  public static List<Change> diff(JsonNode desired, JsonNode live) {
    List<Change> out = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    desired.propertyNames().forEach(keys::add);
    live.propertyNames().forEach(keys::add);
    for (String k : keys) {
      if (IDENTITY.contains(k)) {
        continue;
      }
      List<Segment> path = List.of(new Key(k));
      if (k.equals("metadata")) {
        JsonNode dm = desired.path("metadata");
        JsonNode lm = live.path("metadata");
        if (dm.isObject() && lm.isObject()) {
          Set<String> mk = new LinkedHashSet<>();
          dm.propertyNames().forEach(mk::add);
          lm.propertyNames().forEach(mk::add);
          for (String m : mk) {
            if (!m.equals("name") && !m.equals("namespace")) {
              walk(append(path, new Key(m)), dm.get(m), lm.get(m), out);
            }
          }
          continue;
        }
      }
      walk(path, desired.get(k), live.get(k), out);
    }
    return out;
  }

  private static void walk(List<Segment> path, JsonNode d, JsonNode l, List<Change> out) {
    if (d == null && l == null) {
      return;
    }
    if (d == null || l == null) {
      out.add(new Change(new YamlPath(path), Optional.ofNullable(l), Optional.ofNullable(d)));
      return;
    }
    if (d.isObject() && l.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      d.propertyNames().forEach(keys::add);
      l.propertyNames().forEach(keys::add);
      for (String k : keys) {
        walk(append(path, new Key(k)), d.get(k), l.get(k), out);
      }
      return;
    }
    if (d.isArray() && l.isArray()) {
      Optional<String> key = mergeKey(d, l);
      if (key.isPresent()) {
        Map<String, JsonNode> dl = byKey(d, key.get());
        Map<String, JsonNode> ll = byKey(l, key.get());
        Set<String> all = new LinkedHashSet<>(dl.keySet());
        all.addAll(ll.keySet());
        for (String v : all) {
          walk(append(path, new Select(key.get(), v)), dl.get(v), ll.get(v), out);
        }
        return;
      }
      if (d.size() == l.size()) {
        for (int i = 0; i < d.size(); i++) {
          walk(append(path, new Index(i)), d.get(i), l.get(i), out);
        }
        return;
      }
      out.add(new Change(new YamlPath(path), Optional.of(l), Optional.of(d)));
      return;
    }
    if (!same(d, l)) {
      out.add(new Change(new YamlPath(path), Optional.of(l), Optional.of(d)));
    }
  }

  /** Scalars equal by kubectl's reading: numbers by value. */
  public static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** The text of a scalar as written in YAML (a string's characters, a number's digits). */
  public static String text(JsonNode scalar) {
    return scalar.isString() ? scalar.stringValue() : scalar.toString();
  }

  private static Optional<String> mergeKey(JsonNode d, JsonNode l) {
    for (String k : MERGE_KEYS) {
      if (keyed(d, k) && keyed(l, k)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static boolean keyed(JsonNode arr, String key) {
    Set<String> seen = new HashSet<>();
    for (JsonNode e : arr) {
      JsonNode v = e.get(key);
      if (!e.isObject() || v == null || v.isContainer() || v.isNull() || !seen.add(text(v))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, JsonNode> byKey(JsonNode arr, String key) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode e : arr) {
      out.put(text(e.get(key)), e);
    }
    return out;
  }

  private static List<Segment> append(List<Segment> path, Segment s) {
    List<Segment> out = new ArrayList<>(path);
    out.add(s);
    return out;
  }
}

package io.glidepath.git.backfill.internal;

import io.glidepath.git.writeback.YamlPath;
import io.glidepath.git.writeback.YamlPath.Index;
import io.glidepath.git.writeback.YamlPath.Key;
import io.glidepath.git.writeback.YamlPath.Segment;
import io.glidepath.git.writeback.YamlPath.Select;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a strategic-merge patch that makes a rendered object hold the live values of some fields.
 *
 * <p>Built-in Kubernetes kinds merge lists of objects by their merge key, so a changed container is
 * written as {@code containers: [{name: app, image: ...}]} and a removed one with {@code $patch:
 * delete}. Other kinds (custom resources) replace lists as a whole, so the whole live list is
 * written. A list without merge key is always written whole; a removed field is written as {@code
 * null}.
 */
public final class StrategicPatch {
  private static final Set<String> BUILTIN_GROUPS =
      Set.of(
          "",
          "apps",
          "batch",
          "policy",
          "autoscaling",
          "networking.k8s.io",
          "rbac.authorization.k8s.io",
          "storage.k8s.io",
          "scheduling.k8s.io");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final ObjectNode patch;
  private final JsonNode live;
  private final JsonNode desired;
  private final boolean mergeLists;

  /**
   * A patch for the object {@code desired} (its apiVersion, kind and name head the patch) whose
   * values come from {@code live}.
   */
  public StrategicPatch(String group, JsonNode desired, JsonNode live) {
    this.desired = desired;
    this.live = live;
    this.mergeLists = BUILTIN_GROUPS.contains(group);
    this.patch = F.objectNode();
    patch.put("apiVersion", desired.path("apiVersion").stringValue());
    patch.put("kind", desired.path("kind").stringValue());
    ObjectNode meta = patch.putObject("metadata");
    meta.put("name", desired.path("metadata").path("name").stringValue());
  }

  /** Adds the live value of {@code path} (absent live: the field is removed). */
  public void add(YamlPath path) {
    List<Segment> segs = path.segments();
    int cut = segs.size();
    for (int i = 0; i < segs.size(); i++) {
      if (segs.get(i) instanceof Index || (!mergeLists && segs.get(i) instanceof Select)) {
        cut = i; // the list itself is written whole
        break;
      }
    }
    List<Segment> target = segs.subList(0, cut);
    JsonNode node = patch;
    JsonNode liveAt = live;
    JsonNode desiredAt = desired;
    for (int i = 0; i < target.size(); i++) {
      Segment seg = target.get(i);
      boolean last = i == target.size() - 1;
      JsonNode liveNext = child(liveAt, seg);
      JsonNode desiredNext = child(desiredAt, seg);
      if (seg instanceof Key k) {
        ObjectNode o = (ObjectNode) node;
        if (last) {
          o.set(k.name(), liveNext == null ? NullNode.getInstance() : liveNext.deepCopy());
          return;
        }
        JsonNode existing = o.get(k.name());
        boolean listNext = target.get(i + 1) instanceof Select;
        if (existing == null || existing.isNull()) {
          existing = listNext ? o.putArray(k.name()) : o.putObject(k.name());
        }
        node = existing;
      } else {
        Select sel = (Select) seg;
        ArrayNode arr = (ArrayNode) node;
        ObjectNode element = null;
        for (JsonNode e : arr) {
          JsonNode v = e.get(sel.key());
          if (v != null && FieldDiffer.text(v).equals(sel.value())) {
            element = (ObjectNode) e;
          }
        }
        JsonNode keySource = liveNext != null ? liveNext : desiredNext;
        if (last) {
          if (element != null) {
            arr.remove(indexOf(arr, element));
          }
          if (liveNext != null) {
            arr.add(liveNext.deepCopy());
          } else {
            ObjectNode del = arr.addObject();
            del.set(sel.key(), keySource.get(sel.key()).deepCopy());
            del.put("$patch", "delete");
          }
          return;
        }
        if (element == null) {
          element = arr.addObject();
          element.set(sel.key(), keySource.get(sel.key()).deepCopy());
        }
        node = element;
      }
      liveAt = liveNext;
      desiredAt = desiredNext;
      if (liveAt == null && !last) {
        // removed live above this field: the removal of the parent is its own change
        return;
      }
    }
  }

  private static int indexOf(ArrayNode arr, JsonNode element) {
    for (int i = 0; i < arr.size(); i++) {
      if (arr.get(i) == element) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode child(JsonNode node, Segment seg) {
    if (node == null) {
      return null;
    }
    if (seg instanceof Key k) {
      return node.get(k.name());
    }
    if (seg instanceof Index idx) {
      return node.get(idx.index());
    }
    Select sel = (Select) seg;
    for (JsonNode e : node) {
      JsonNode v = e.get(sel.key());
      if (v != null && !v.isContainer() && FieldDiffer.text(v).equals(sel.value())) {
        return e;
      }
    }
    return null;
  }

  /** The patch built so far. */
  public ObjectNode tree() {
    return patch.deepCopy();
  }

  /**
   * {@code existing} (an earlier backfill patch of the same object) extended by {@code update}:
   * mappings merge, lists of objects merge by merge key when the kind merges lists, other values
   * are replaced.
   */
  public static ObjectNode merge(ObjectNode existing, ObjectNode update, String group) {
    ObjectNode out = existing.deepCopy();
    mergeInto(out, update, BUILTIN_GROUPS.contains(group));
    return out;
  }

  private static void mergeInto(ObjectNode target, ObjectNode update, boolean mergeLists) {
    for (Map.Entry<String, JsonNode> e : update.properties()) {
      JsonNode cur = target.get(e.getKey());
      JsonNode next = e.getValue();
      if (cur instanceof ObjectNode co && next instanceof ObjectNode no) {
        mergeInto(co, no, mergeLists);
      } else if (mergeLists && cur instanceof ArrayNode ca && next instanceof ArrayNode na) {
        Optional<String> key = listKey(ca, na);
        if (key.isPresent()) {
          for (JsonNode item : na) {
            String v = FieldDiffer.text(item.get(key.get()));
            int at = -1;
            for (int i = 0; i < ca.size(); i++) {
              if (FieldDiffer.text(ca.get(i).get(key.get())).equals(v)) {
                at = i;
              }
            }
            if (at < 0 || item.has("$patch") || ca.get(at).has("$patch")) {
              if (at >= 0) {
                ca.remove(at);
              }
              ca.add(item.deepCopy());
            } else {
              mergeInto((ObjectNode) ca.get(at), (ObjectNode) item, mergeLists);
            }
          }
        } else {
          target.set(e.getKey(), next.deepCopy());
        }
      } else {
        target.set(e.getKey(), next.deepCopy());
      }
    }
  }

  private static Optional<String> listKey(ArrayNode a, ArrayNode b) {
    for (String k : FieldDiffer.MERGE_KEYS) {
      if (all(a, k) && all(b, k)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static boolean all(ArrayNode arr, String key) {
    for (JsonNode e : arr) {
      if (!e.isObject() || e.get(key) == null || e.get(key).isContainer()) {
        return false;
      }
    }
    return true;
  }
}

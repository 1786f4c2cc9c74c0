package io.glidepath.kube.internal;

import io.glidepath.core.yaml.Yaml;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kubectl's client-side three-way merge as a JSON merge patch: fields in the desired state that
 * differ from the live state are set, fields that were last applied but are no longer desired are
 * deleted, and fields nobody applied (set by controllers or other tools) are left alone. Lists are
 * replaced whole.
 */
public final class ThreeWayMerge {
  private ThreeWayMerge() {}

  /** The patch from {@code current} towards {@code desired}; empty when nothing would change. */
  public static ObjectNode patch(JsonNode lastApplied, JsonNode desired, JsonNode current) {
    ObjectNode patch = Yaml.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String k = e.getKey();
      JsonNode want = e.getValue();
      JsonNode have = current == null ? null : current.get(k);
      if (want.isObject() && have != null && have.isObject()) {
        ObjectNode sub = patch(lastApplied == null ? null : lastApplied.get(k), want, have);
        if (!sub.isEmpty()) {
          patch.set(k, sub);
        }
      } else if (!want.equals(have)) {
        patch.set(k, want.deepCopy());
      }
    }
    if (lastApplied != null && lastApplied.isObject()) {
      for (Map.Entry<String, JsonNode> e : lastApplied.properties()) {
        String k = e.getKey();
        if (!desired.has(k) && current != null && current.has(k)) {
          patch.putNull(k);
        }
      }
    }
    return patch;
  }
}

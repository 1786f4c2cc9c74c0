package io.glidepath.core.internal.diff;

import io.glidepath.core.diff.PatchOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** An RFC 6902 patch turning one tree into another (add, remove, replace). */
public final class PatchBuilder {
  private PatchBuilder() {}

  public static List<PatchOperation> diff(JsonNode from, JsonNode to) {
    List<PatchOperation> ops = new ArrayList<>();
    diff("", from, to, ops);
    return List.copyOf(ops);
  }

  private static void diff(String pointer, JsonNode from, JsonNode to, List<PatchOperation> ops) {
    // no equality test of whole subtrees on the way down (quadratic in the depth): equal objects
    // and equal same-size arrays yield no operation anyway, so only leaves are compared
    if (from == to) {
      return;
    }
    if (from.isObject() && to.isObject()) {
      for (Map.Entry<String, JsonNode> e : from.properties()) {
        if (!to.has(e.getKey())) {
          ops.add(PatchOperation.remove(pointer + "/" + escape(e.getKey())));
        }
      }
      for (Map.Entry<String, JsonNode> e : to.properties()) {
        String child = pointer + "/" + escape(e.getKey());
        JsonNode old = from.get(e.getKey());
        if (old == null) {
          ops.add(PatchOperation.add(child, e.getValue()));
        } else {
          diff(child, old, e.getValue(), ops);
        }
      }
    } else if (from.isArray() && to.isArray() && from.size() == to.size()) {
      for (int i = 0; i < from.size(); i++) {
        diff(pointer + "/" + i, from.get(i), to.get(i), ops);
      }
    } else if (!from.equals(to)) {
      ops.add(PatchOperation.replace(pointer, to));
    }
  }

  private static String escape(String token) {
    return token.indexOf('~') < 0 && token.indexOf('/') < 0
        ? token
        : token.replace("~", "~0").replace("/", "~1");
  }
}

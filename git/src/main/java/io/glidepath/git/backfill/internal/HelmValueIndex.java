package io.glidepath.git.backfill.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Every scalar of a chart's layered values files, with the file that sets it last: the lookup that
 * maps a rendered value back to the values key it came from.
 */
public final class HelmValueIndex {
  /** One scalar values key. */
  public record Leaf(String key, JsonNode value, String file) {}

  private final Map<String, Leaf> leaves = new LinkedHashMap<>();

  /** Adds the scalars of one values file; later files override earlier ones, like Helm. */
  public void addLayer(JsonNode values, String file) {
    flatten("", values, file);
  }

  private void flatten(String path, JsonNode node, String file) {
    if (node.isObject()) {
      if (!path.isEmpty()) {
        // a map replaces a scalar set by an earlier file, and vice versa
        leaves.remove(path);
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String k = e.getKey().replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[");
        flatten(path.isEmpty() ? k : path + "." + k, e.getValue(), file);
      }
    } else if (node.isArray()) {
      // a list in a later file replaces the whole list
      leaves.keySet().removeIf(k -> k.startsWith(path + "["));
      for (int i = 0; i < node.size(); i++) {
        flatten(path + "[" + i + "]", node.get(i), file);
      }
    } else if (!node.isNull()) {
      leaves.keySet().removeIf(k -> k.startsWith(path + ".") || k.startsWith(path + "["));
      leaves.put(path, new Leaf(path, node, file));
    } else {
      leaves.remove(path);
    }
  }

  /**
   * The keys whose value is {@code rendered}: equal text, so that a number rendered from a quoted
   * value (and the reverse) still matches.
   */
  public List<Leaf> holding(JsonNode rendered) {
    String text = FieldDiffer.text(rendered);
    List<Leaf> out = new ArrayList<>();
    for (Leaf l : leaves.values()) {
      if (FieldDiffer.text(l.value()).equals(text)
          || (l.value().isNumber()
              && rendered.isNumber()
              && FieldDiffer.same(l.value(), rendered))) {
        out.add(l);
      }
    }
    return out;
  }
}

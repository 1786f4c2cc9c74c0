package io.glidepath.appset.internal;

import io.glidepath.appset.ApplicationSetException;
import io.glidepath.core.Origin;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;

/** Field checks with errors naming the file, line and dotted path of the field. */
public final class Strict {
  private final Origin origin;
  private final Map<String, Origin> positions;

  public Strict(Origin origin, Map<String, Origin> positions) {
    this.origin = origin;
    this.positions = positions;
  }

  public static Strict of(String text, Origin origin) {
    return new Strict(origin, positions(text, origin));
  }

  public Origin origin() {
    return origin;
  }

  public Origin at(String path) {
    Origin o = positions.get(path);
    return o != null ? o : origin;
  }

  public ApplicationSetException error(String path, String problem) {
    return new ApplicationSetException(at(path), path, problem);
  }

  /** Fails on any field of {@code node} (an object) not in {@code known}. */
  public void only(JsonNode node, String path, Set<String> known) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw error(path, "must be an object, but was " + type(node));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!known.contains(e.getKey())) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        throw error(child, "unknown field");
      }
    }
  }

  public void string(JsonNode node, String path) {
    if (node != null && !node.isMissingNode() && !node.isNull() && !node.isString()) {
      throw error(path, "must be a string, but was " + type(node));
    }
  }

  public void bool(JsonNode node, String path) {
    if (node != null && !node.isMissingNode() && !node.isNull() && !node.isBoolean()) {
      throw error(path, "must be true or false, but was " + type(node));
    }
  }

  public void list(JsonNode node, String path) {
    if (node != null && !node.isMissingNode() && !node.isNull() && !node.isArray()) {
      throw error(path, "must be a list, but was " + type(node));
    }
  }

  public void stringMap(JsonNode node, String path) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw error(path, "must be a map of strings, but was " + type(node));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      string(e.getValue(), path + "." + e.getKey());
    }
  }

  public void strings(JsonNode node, String path) {
    list(node, path);
    if (node != null && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        string(node.get(i), path + "[" + i + "]");
      }
    }
  }

  static String type(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isString()) {
      return "a string";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isNumber()) {
      return "a number";
    }
    return "null";
  }

  static Map<String, Origin> positions(String content, Origin source) {
    Map<String, Origin> out = new HashMap<>();
    if (content == null) {
      return out;
    }
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(source.source())
              .setAllowDuplicateKeys(true)
              .setUseMarks(true)
              .build();
      Iterator<Node> it =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, content)));
      if (it.hasNext()) {
        walk(it.next(), "", source, out, 0);
      }
    } catch (RuntimeException e) {
      return Map.of();
    }
    return out;
  }

  private static void walk(Node node, String path, Origin source, Map<String, Origin> out, int d) {
    if (d > 64) {
      return;
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple t : mapping.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode key)) {
          continue;
        }
        String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
        key.getStartMark()
            .ifPresent(m -> out.putIfAbsent(child, source.at(m.getLine() + 1, m.getColumn() + 1)));
        walk(t.getValueNode(), child, source, out, d + 1);
      }
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        String child = path + "[" + i + "]";
        Node item = items.get(i);
        item.getStartMark()
            .ifPresent(m -> out.putIfAbsent(child, source.at(m.getLine() + 1, m.getColumn() + 1)));
        walk(item, child, source, out, d + 1);
      }
    }
  }
}

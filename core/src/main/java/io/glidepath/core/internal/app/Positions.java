package io.glidepath.core.internal.app;

import io.glidepath.core.Origin;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Where each field of a YAML document starts, by the dotted path {@link Strict} names fields with
 * ({@code spec.source.helm.version}, {@code spec.info[0].name}), so that errors can say {@code
 * app.yaml:12:7}. Best effort: a document this cannot read gives no positions (the real reader
 * reports the YAML error).
 */
final class Positions {
  private Positions() {}

  static Map<String, Origin> of(String content, String source) {
    Map<String, Origin> out = new HashMap<>();
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(source)
              .setAllowDuplicateKeys(true)
              .setAllowRecursiveKeys(false)
              .setUseMarks(true)
              .build();
      Iterator<Node> it =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, content)));
      if (it.hasNext()) {
        walk(it.next(), "", Origin.of(source), out, 0);
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
        put(out, child, key, source);
        walk(t.getValueNode(), child, source, out, d + 1);
      }
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        String child = path + "[" + i + "]";
        put(out, child, items.get(i), source);
        walk(items.get(i), child, source, out, d + 1);
      }
    }
  }

  private static void put(Map<String, Origin> out, String path, Node node, Origin source) {
    node.getStartMark()
        .ifPresent(m -> out.putIfAbsent(path, source.at(m.getLine() + 1, m.getColumn() + 1)));
  }
}

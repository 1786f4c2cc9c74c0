package io.glidepath.core.yaml;

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
 * Where each field of each document of a YAML stream starts, by document index and dotted path
 * ({@code spec.strategy.canary.steps[2].setWeight}, {@code spec.info[0].name}), so that a refusal
 * of a field can name its line ({@code app.yaml:12:7}). Best effort: text this cannot read gives no
 * positions, or those of the documents before the unreadable one (the real reader reports the YAML
 * error); paths deeper than 64 levels are not indexed.
 */
public final class FieldPositions {
  private static final FieldPositions NONE = new FieldPositions(Map.of());
  private static final int MAX_DEPTH = 64;

  private final Map<Integer, Map<String, Origin>> byDocument;

  private FieldPositions(Map<Integer, Map<String, Origin>> byDocument) {
    this.byDocument = byDocument;
  }

  /** No positions: refusals name the document's origin. */
  public static FieldPositions none() {
    return NONE;
  }

  /** The positions of every document of {@code text}. */
  public static FieldPositions of(String text, String source) {
    Map<Integer, Map<String, Origin>> out = new HashMap<>();
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(source)
              .setAllowDuplicateKeys(true)
              .setAllowRecursiveKeys(false)
              .setUseMarks(true)
              .build();
      Iterator<Node> it =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      int index = 0;
      while (it.hasNext()) {
        Map<String, Origin> doc = new HashMap<>();
        walk(it.next(), "", new Origin(source, index, 0, 0), doc, 0);
        out.put(index, doc);
        index++;
      }
    } catch (RuntimeException e) {
      // positions are a courtesy; what was read so far is kept
    }
    return new FieldPositions(out);
  }

  /**
   * The positions of document {@code index} (0 for the first) by dotted path, each an {@link
   * Origin} of that document with its 1-based line and column; empty if unknown.
   */
  public Map<String, Origin> document(int index) {
    return byDocument.getOrDefault(index, Map.of());
  }

  private static void walk(Node node, String path, Origin doc, Map<String, Origin> out, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple t : mapping.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode key) {
          String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
          put(out, child, key, doc);
          walk(t.getValueNode(), child, doc, out, depth + 1);
        }
      }
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        String child = path + "[" + i + "]";
        put(out, child, items.get(i), doc);
        walk(items.get(i), child, doc, out, depth + 1);
      }
    }
  }

  private static void put(Map<String, Origin> out, String path, Node node, Origin doc) {
    node.getStartMark()
        .ifPresent(m -> out.putIfAbsent(path, doc.at(m.getLine() + 1, m.getColumn() + 1)));
  }
}

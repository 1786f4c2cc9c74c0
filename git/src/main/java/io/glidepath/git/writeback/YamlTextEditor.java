package io.glidepath.git.writeback;

import java.util.Optional;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * What the two surgical YAML editors ({@link SurgicalYaml}'s scalar editor and {@link TreeEdits})
 * share: the text being edited, the path, and the refusals and positions both need. Not
 * thread-safe; one instance per edit.
 */
abstract class YamlTextEditor {
  /** The whole text being edited. */
  protected final String text;

  /** The path being edited. */
  protected final YamlPath path;

  private final String where;

  /**
   * @param where how errors name the text, e.g. the file and, for a later document, its index
   */
  YamlTextEditor(String text, String where, YamlPath path) {
    this.text = text;
    this.where = where;
    this.path = path;
  }

  /** Refuses to edit through an anchored node: the edit would change every alias of it too. */
  protected final void refuseAnchor(Node node, int depth) {
    if (node.getAnchor().isPresent() || node.isRecursive()) {
      throw fail(
          (depth == 0 ? "the document" : path.prefix(depth))
              + " is anchored (&"
              + node.getAnchor().map(Object::toString).orElse("")
              + "); editing it would change every alias");
    }
  }

  protected static boolean isFlow(Node node) {
    return (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.FLOW)
        || (node instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.FLOW);
  }

  /** "mapping", "list" or "scalar", for messages. */
  protected static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return "scalar";
  }

  protected final Mark mark(Optional<Mark> mark) {
    return mark.orElseThrow(() -> fail("the parser gave no position for the value"));
  }

  /** Marks count code points; Java strings count UTF-16 units. */
  protected final int charIndex(Mark mark) {
    return text.offsetByCodePoints(0, mark.getIndex());
  }

  protected final YamlEditException fail(String reason) {
    return new YamlEditException(where, path.toString(), reason);
  }
}

package io.glidepath.git.writeback;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.git.writeback.YamlPath.Index;
import io.glidepath.git.writeback.YamlPath.Key;
import io.glidepath.git.writeback.YamlPath.Segment;
import io.glidepath.git.writeback.YamlPath.Select;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed edits of one document of a (multi-document) YAML text: set a scalar, map or list, add a key
 * or a list item, remove a key or a list item. Only the lines of the target change; the result is
 * read back with kubectl's YAML rules and must equal the expected tree.
 */
final class TreeEdits extends YamlTextEditor {
  private final String source;
  private final int document;

  TreeEdits(String text, String source, int document, YamlPath path) {
    super(text, source + (document == 0 ? "" : " (document " + document + ")"), path);
    this.source = source;
    this.document = document;
  }

  /** Where a path led: the node found, or the container where the first missing step is. */
  private record Located(Node container, int depth, Node found, NodeTuple tuple, int itemIndex) {}

  YamlEditResult set(JsonNode value) {
    Located at = locate();
    String edited;
    Optional<String> previous = Optional.empty();
    boolean added = false;
    if (at.found() != null) {
      Node node = at.found();
      if (node instanceof ScalarNode scalar && isScalar(value)) {
        if (scalarEquals(scalar, value)) {
          return new YamlEditResult(text, false, Optional.of(scalar.getValue()), false);
        }
        previous = Optional.of(scalar.getValue());
        edited = replaceScalar(scalar, value, inFlow());
      } else {
        edited = replaceEntry(at, value);
      }
    } else {
      added = true;
      edited = add(at, value);
    }
    verify(edited, Optional.of(value));
    return new YamlEditResult(edited, true, previous, added);
  }

  YamlEditResult remove() {
    Located at = locate();
    if (at.found() == null) {
      return new YamlEditResult(text, false, Optional.empty(), false);
    }
    int[] span = entrySpan(at);
    int count =
        at.container() instanceof MappingNode m
            ? m.getValue().size()
            : ((SequenceNode) at.container()).getValue().size();
    if (count == 1) {
      throw fail(
          "it is the only entry of its "
              + describe(at.container())
              + "; removing it would leave an empty value (remove the parent instead)");
    }
    String edited = text.substring(0, span[0]) + text.substring(span[1]);
    verify(edited, Optional.empty());
    Optional<String> previous =
        at.found() instanceof ScalarNode s ? Optional.of(s.getValue()) : Optional.empty();
    return new YamlEditResult(edited, true, previous, false);
  }

  // ---- navigation

  private Located locate() {
    Node node = documentRoot();
    List<Segment> segments = path.segments();
    for (int i = 0; i < segments.size(); i++) {
      refuseAnchor(node, i);
      Segment seg = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (seg instanceof Key k) {
        if (!(node instanceof MappingNode map)) {
          throw fail(path.prefix(i) + " is a " + describe(node) + ", not a mapping");
        }
        NodeTuple hit = null;
        for (NodeTuple t : map.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(k.name())) {
            hit = t;
          }
        }
        if (hit == null) {
          return new Located(map, i, null, null, -1);
        }
        if (last) {
          refuseAnchor(hit.getValueNode(), i + 1);
          return new Located(map, i, hit.getValueNode(), hit, -1);
        }
        node = hit.getValueNode();
      } else {
        if (!(node instanceof SequenceNode seq)) {
          throw fail(path.prefix(i) + " is a " + describe(node) + ", not a list");
        }
        int at = -1;
        if (seg instanceof Index idx) {
          at = idx.index() < seq.getValue().size() ? idx.index() : -1;
        } else {
          Select sel = (Select) seg;
          for (int j = 0; j < seq.getValue().size(); j++) {
            if (seq.getValue().get(j) instanceof MappingNode m && matches(m, sel)) {
              if (at >= 0) {
                throw fail(path.prefix(i + 1) + " matches more than one list item");
              }
              at = j;
            }
          }
        }
        if (at < 0) {
          return new Located(seq, i, null, null, -1);
        }
        Node item = seq.getValue().get(at);
        if (last) {
          refuseAnchor(item, i + 1);
          return new Located(seq, i, item, null, at);
        }
        node = item;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private boolean inFlow() {
    Node node = documentRoot();
    for (Segment seg : path.segments()) {
      if (isFlow(node)) {
        return true;
      }
      Node next = null;
      if (seg instanceof Key k && node instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(k.name())) {
            next = t.getValueNode();
          }
        }
      } else if (node instanceof SequenceNode s) {
        if (seg instanceof Index idx) {
          next = s.getValue().get(idx.index());
        } else {
          for (Node item : s.getValue()) {
            if (item instanceof MappingNode m && matches(m, (Select) seg)) {
              next = item;
            }
          }
        }
      }
      if (next == null) {
        return false;
      }
      node = next;
    }
    return false;
  }

  private static boolean matches(MappingNode m, Select sel) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k
          && k.getValue().equals(sel.key())
          && t.getValueNode() instanceof ScalarNode v
          && v.getValue().equals(sel.value())) {
        return true;
      }
    }
    return false;
  }

  // ---- edits

  private String replaceScalar(ScalarNode scalar, JsonNode value, boolean flow) {
    ScalarStyle style = scalar.getScalarStyle();
    if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
      throw fail("the value is a block scalar (| or >); replacing it is not supported");
    }
    String rendered;
    if (value.isString()) {
      String s = value.stringValue();
      if (style == ScalarStyle.DOUBLE_QUOTED) {
        rendered = YamlScalars.doubleQuoted(s);
      } else if (style == ScalarStyle.SINGLE_QUOTED && YamlScalars.singleQuotable(s)) {
        rendered = YamlScalars.singleQuoted(s);
      } else {
        rendered = YamlScalars.plainSafe(s, flow) ? s : YamlScalars.doubleQuoted(s);
      }
    } else {
      rendered = scalarText(value);
    }
    int start = charIndex(mark(scalar.getStartMark()));
    int end = charIndex(mark(scalar.getEndMark()));
    if (start == end && start > 0 && !Character.isWhitespace(text.charAt(start - 1))) {
      rendered = " " + rendered;
    }
    return text.substring(0, start) + rendered + text.substring(end);
  }

  /** Replaces a whole key or list item (a map or list is involved) by freshly written lines. */
  private String replaceEntry(Located at, JsonNode value) {
    if (isFlow(at.container())) {
      throw fail("the value is inside a flow collection ({...} or [...]); not supported");
    }
    int[] span = entrySpan(at);
    String lines;
    if (at.tuple() != null) {
      int indent = column(at.tuple().getKeyNode());
      lines = entry(key(at.tuple()), value, indent);
    } else {
      lines = item(value, dashColumn(at.found()));
    }
    return text.substring(0, span[0]) + lines + text.substring(span[1]);
  }

  private String add(Located at, JsonNode value) {
    List<Segment> segments = path.segments();
    Node container = at.container();
    if (isFlow(container)) {
      throw fail(
          path.prefix(at.depth() + 1)
              + " does not exist and its parent is a flow collection ({...} or [...])");
    }
    if (container instanceof MappingNode map) {
      if (map.getValue().isEmpty()) {
        throw fail(path.prefix(at.depth() + 1) + " does not exist and its parent is empty");
      }
      JsonNode wrapped = value;
      for (int i = segments.size() - 1; i > at.depth(); i--) {
        if (!(segments.get(i) instanceof Key k)) {
          throw fail(
              path.prefix(i + 1) + " does not exist and cannot be created inside a missing list");
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(k.name(), wrapped);
        wrapped = o;
      }
      String name = ((Key) segments.get(at.depth())).name();
      int indent = column(map.getValue().get(0).getKeyNode());
      return insertAfter(map, entry(name, wrapped, indent));
    }
    SequenceNode seq = (SequenceNode) container;
    if (at.depth() != segments.size() - 1) {
      throw fail(path.prefix(at.depth() + 1) + " matches no list item");
    }
    if (seq.getValue().isEmpty()) {
      throw fail(path.prefix(at.depth() + 1) + " does not exist and the list is empty");
    }
    Segment seg = segments.get(at.depth());
    if (seg instanceof Index idx && idx.index() != seq.getValue().size()) {
      throw fail(path.prefix(at.depth() + 1) + " is past the end of the list");
    }
    if (seg instanceof Select sel) {
      JsonNode keyValue = value.path(sel.key());
      if (!value.isObject() || !isScalar(keyValue) || !scalarText(keyValue).equals(sel.value())) {
        throw fail("the new list item must hold " + sel.key() + ": " + sel.value());
      }
    }
    int dash = dashColumn(seq.getValue().get(0));
    return insertAfter(seq, item(value, dash));
  }

  private String insertAfter(Node collection, String lines) {
    int end = endOfNode(collection);
    if (end == text.length() && !text.isEmpty() && text.charAt(end - 1) != '\n') {
      return text + "\n" + lines;
    }
    return text.substring(0, end) + lines + text.substring(end);
  }

  /** The characters of a key with its value, or of a list item: whole lines. */
  private int[] entrySpan(Located at) {
    if (isFlow(at.container())) {
      throw fail("the value is inside a flow collection ({...} or [...]); not supported");
    }
    int start;
    if (at.tuple() != null) {
      start = charIndex(mark(at.tuple().getKeyNode().getStartMark()));
    } else {
      start = charIndex(mark(at.found().getStartMark()));
      int dash = text.lastIndexOf('-', start);
      if (dash < 0 || !text.substring(dash + 1, start).isBlank()) {
        throw fail("the list item does not start with '- '; not supported");
      }
      start = dash;
    }
    int lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (!text.substring(lineStart, start).isBlank()) {
      throw fail(
          path
              + " does not start its own line (like the first key of a list item); replacing or"
              + " removing it is not supported");
    }
    int end = endOfNode(at.tuple() != null ? at.tuple().getValueNode() : at.found());
    return new int[] {lineStart, end};
  }

  /** The start of the line after the node's last character. */
  private int endOfNode(Node node) {
    Node last = lastLeaf(node);
    int end = charIndex(mark(last.getEndMark()));
    if (last instanceof ScalarNode s
        && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED)
        && end > 0
        && text.charAt(end - 1) == '\n') {
      return end;
    }
    int eol = text.indexOf('\n', end);
    return eol < 0 ? text.length() : eol + 1;
  }

  private static Node lastLeaf(Node node) {
    if (node instanceof MappingNode m && !m.getValue().isEmpty() && !isFlow(m)) {
      return lastLeaf(m.getValue().get(m.getValue().size() - 1).getValueNode());
    }
    if (node instanceof SequenceNode s && !s.getValue().isEmpty() && !isFlow(s)) {
      return lastLeaf(s.getValue().get(s.getValue().size() - 1));
    }
    return node;
  }

  private int column(Node node) {
    return mark(node.getStartMark()).getColumn();
  }

  private int dashColumn(Node item) {
    int start = charIndex(mark(item.getStartMark()));
    int dash = text.lastIndexOf('-', start);
    int lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (dash < lineStart) {
      throw fail("the list is not a block list of '- ' items; not supported");
    }
    return text.codePointCount(lineStart, dash);
  }

  private static String key(NodeTuple t) {
    return ((ScalarNode) t.getKeyNode()).getValue();
  }

  // ---- writing new lines

  static String entry(String key, JsonNode value, int indent) {
    StringBuilder sb = new StringBuilder();
    sb.append(" ".repeat(indent)).append(YamlScalars.key(key)).append(':');
    if (isScalar(value) || value.isEmpty()) {
      sb.append(' ').append(inline(value)).append('\n');
    } else if (value.isObject()) {
      sb.append('\n');
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        sb.append(entry(e.getKey(), e.getValue(), indent + 2));
      }
    } else {
      sb.append('\n');
      for (JsonNode element : value) {
        sb.append(item(element, indent + 2));
      }
    }
    return sb.toString();
  }

  static String item(JsonNode value, int dash) {
    String prefix = " ".repeat(dash) + "- ";
    if (isScalar(value) || value.isEmpty()) {
      return prefix + inline(value) + "\n";
    }
    StringBuilder body = new StringBuilder();
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        body.append(entry(e.getKey(), e.getValue(), dash + 2));
      }
    } else {
      for (JsonNode element : value) {
        body.append(item(element, dash + 2));
      }
    }
    return prefix + body.substring(dash + 2);
  }

  private static String inline(JsonNode value) {
    if (value.isObject()) {
      return "{}";
    }
    if (value.isArray()) {
      return "[]";
    }
    if (value.isString()) {
      String s = value.stringValue();
      return YamlScalars.plainSafe(s, false) ? s : YamlScalars.doubleQuoted(s);
    }
    return scalarText(value);
  }

  static boolean isScalar(JsonNode value) {
    return !value.isContainer();
  }

  /** The YAML literal of a non-string scalar, or a string's text. */
  static String scalarText(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isString()) {
      return value.stringValue();
    }
    return value.toString();
  }

  private boolean scalarEquals(ScalarNode scalar, JsonNode value) {
    JsonNode current = readScalar(scalar);
    return sameValue(current, value);
  }

  private JsonNode readScalar(ScalarNode scalar) {
    int start = charIndex(mark(scalar.getStartMark()));
    int end = charIndex(mark(scalar.getEndMark()));
    try {
      return Yaml.readTree("v: " + text.substring(start, end), source).get("v");
    } catch (YamlException e) {
      return JsonNodeFactory.instance.stringNode(scalar.getValue());
    }
  }

  /** Equal trees, numbers compared by value. */
  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!sameValue(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  // ---- verification

  private void verify(String edited, Optional<JsonNode> value) {
    List<YamlDocument> before = Yaml.readDocuments(text, source);
    List<YamlDocument> after;
    try {
      after = Yaml.readDocuments(edited, source);
    } catch (YamlException e) {
      throw fail("the edit would make the file invalid (" + e.getMessage() + "); nothing changed");
    }
    if (before.size() != after.size()) {
      throw fail("the edit would change the documents of the file; nothing changed");
    }
    for (int i = 0; i < before.size(); i++) {
      JsonNode b = before.get(i).content();
      JsonNode a = after.get(i).content();
      if (before.get(i).origin().documentIndex() == document) {
        b = expected(b.deepCopy(), value);
      }
      if (!sameValue(b, a)) {
        throw fail("the edit would change other values; nothing changed");
      }
    }
  }

  private JsonNode expected(JsonNode root, Optional<JsonNode> value) {
    List<Segment> segments = path.segments();
    JsonNode node = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      JsonNode next = child(node, segments.get(i));
      if (next == null) {
        if (value.isEmpty()) {
          return root;
        }
        next = JsonNodeFactory.instance.objectNode();
        ((ObjectNode) node).set(((Key) segments.get(i)).name(), next);
      }
      node = next;
    }
    Segment last = segments.get(segments.size() - 1);
    if (node instanceof ObjectNode o) {
      String name = ((Key) last).name();
      if (value.isPresent()) {
        o.set(name, value.get().deepCopy());
      } else {
        o.remove(name);
      }
    } else if (node instanceof ArrayNode arr) {
      int at = indexIn(arr, last);
      if (value.isPresent()) {
        if (at < 0) {
          arr.add(value.get().deepCopy());
        } else {
          arr.set(at, value.get().deepCopy());
        }
      } else if (at >= 0) {
        arr.remove(at);
      }
    }
    return root;
  }

  private static JsonNode child(JsonNode node, Segment seg) {
    if (seg instanceof Key k) {
      return node.isObject() ? node.get(k.name()) : null;
    }
    if (!node.isArray()) {
      return null;
    }
    int at = indexIn((ArrayNode) node, seg);
    return at < 0 ? null : node.get(at);
  }

  private static int indexIn(ArrayNode arr, Segment seg) {
    if (seg instanceof Index idx) {
      return idx.index() < arr.size() ? idx.index() : -1;
    }
    Select sel = (Select) seg;
    for (int i = 0; i < arr.size(); i++) {
      JsonNode v = arr.get(i).get(sel.key());
      if (v != null && isScalar(v) && scalarText(v).equals(sel.value())) {
        return i;
      }
    }
    return -1;
  }

  // ---- parsing and helpers

  private Node documentRoot() {
    LoadSettings settings =
        LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build();
    try {
      // within Glidepath's limits (depth, size, aliases) before the recursive composer runs
      Yaml.readDocuments(text, source); // duplicate keys and kubectl's reading
      Iterator<Node> it =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      List<Node> docs = new ArrayList<>();
      it.forEachRemaining(docs::add);
      if (document >= docs.size()) {
        throw fail(
            "the file holds " + docs.size() + " documents, there is no document " + document);
      }
      return docs.get(document);
    } catch (YamlEngineException | YamlException e) {
      throw fail("not valid YAML: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
    }
  }
}

package io.glidepath.git.writeback;

import io.glidepath.git.writeback.YamlPath.Index;
import io.glidepath.git.writeback.YamlPath.Key;
import io.glidepath.git.writeback.YamlPath.Segment;
import io.glidepath.git.writeback.YamlPath.Select;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
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

/**
 * Sets one scalar in YAML text by replacing only that scalar's characters: every other byte
 * (comments, blank lines, quoting, key order, indentation) stays as it was.
 *
 * <pre>{@code
 * YamlEditResult r = SurgicalYaml.set(Files.readString(values), "values.yaml",
 *     YamlPath.parse("image.tag"), "3f9c2ab");
 * if (r.changed()) { Files.writeString(values, r.text()); }
 * }</pre>
 *
 * <p>The value is a string and is written so that YAML 1.1 (kubectl, Helm) and YAML 1.2 both read
 * it back as that string: a double- or single-quoted scalar keeps its quotes, a plain one stays
 * plain when that is safe and is double-quoted otherwise ({@code yes}, {@code 0644}, {@code 1e3},
 * {@code 1234567}, anything with {@code ": "} or {@code " #"}). One exception keeps a value's type:
 * a plain number or boolean replaced by the canonical literal of the same type ({@code
 * replicaCount: 3} set to {@code 5}) stays plain.
 *
 * <p>A missing key is added when its parent is a block mapping: the new {@code key: value} line
 * goes after the mapping's last entry, at the column of its keys; missing parents are created as
 * nested block mappings indented by two spaces ({@code image.tag} in a file without {@code image}
 * appends {@code image:\n tag: value}). Not supported, refused with {@link YamlEditException}:
 * adding list items ({@code [N]} past the end, a {@code [key=value]} that matches nothing), adding
 * to flow mappings ({@code {a: 1}}) or under a null value, editing a scalar behind an anchor or
 * alias (it would change every alias), block-scalar targets, files with several documents, and text
 * that is not valid YAML. After the edit the text is parsed again and must hold the new value and
 * every other value unchanged, or nothing is returned but the exception.
 *
 * <p>{@link #setValue} and {@link #remove} edit one document of a multi-document file with typed
 * values, maps and lists included (used by drift backfill).
 *
 * <p>Stateless and thread-safe.
 */
public final class SurgicalYaml {
  private SurgicalYaml() {}

  /** {@link #set(String, String, YamlPath, String)} with a path in {@link YamlPath} syntax. */
  public static YamlEditResult set(String text, String source, String path, String value) {
    return set(text, source, YamlPath.parse(path), value);
  }

  /**
   * Sets the scalar at {@code path} to the string {@code value}.
   *
   * @param text the YAML text
   * @param source a name for messages (the file's path)
   * @throws YamlEditException when the text is not valid YAML or the edit is not supported
   */
  public static YamlEditResult set(String text, String source, YamlPath path, String value) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
    if (YamlScalars.hasLoneSurrogate(value)) {
      throw new IllegalArgumentException(
          "value must be valid Unicode text, but has a lone surrogate");
    }
    Editor editor = new Editor(text, source, path, value);
    YamlEditResult result = editor.edit();
    if (result.changed()) {
      editor.verify(result.text());
    }
    return result;
  }

  /**
   * Sets the value at {@code path} in document {@code document} (0-based, counted like {@link
   * io.glidepath.core.Origin#documentIndex()}) of a possibly multi-document text to a typed value:
   * a scalar keeps its type ({@code 15} stays a number, {@code "yes"} is quoted), a map or list is
   * written as block lines indented like its siblings. An existing scalar is replaced in place; an
   * existing key or list item holding a map or list is rewritten as a whole (its own lines only); a
   * missing key is added after its mapping's last entry; a {@code [key=value]} or {@code [N]} (N =
   * size) that matches nothing appends a list item. The result is read back with kubectl's YAML
   * rules and must differ from the input exactly there.
   *
   * <pre>{@code
   * SurgicalYaml.setValue(text, "deploy.yaml", 1,
   *     YamlPath.parse("spec.template.spec.containers[name=app].image"), TextNode.valueOf("app:2"));
   * }</pre>
   *
   * @throws YamlEditException when the text is not valid YAML or the edit is not supported (flow
   *     collections, anchors, block scalars, empty parents); nothing changed
   */
  public static YamlEditResult setValue(
      String text, String source, int document, YamlPath path, JsonNode value) {
    Objects.requireNonNull(value, "value");
    return edits(text, source, document, path).set(value);
  }

  /**
   * Removes the key or list item at {@code path} of document {@code document}, with its lines; no
   * change when it is absent. The only entry of a mapping or list is refused (it would leave an
   * empty value that reads as null).
   *
   * @throws YamlEditException when the text is not valid YAML or the removal is not supported
   */
  public static YamlEditResult remove(String text, String source, int document, YamlPath path) {
    return edits(text, source, document, path).remove();
  }

  private static TreeEdits edits(String text, String source, int document, YamlPath path) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
    if (document < 0) {
      throw new IllegalArgumentException("document must be >= 0, but was " + document);
    }
    return new TreeEdits(text, source, document, path);
  }

  private static final class Editor extends YamlTextEditor {
    private final String source;
    private final String value;

    Editor(String text, String source, YamlPath path, String value) {
      super(text, source, path);
      this.source = source;
      this.value = value;
    }

    YamlEditResult edit() {
      Node root = parse(text);
      Node node = root;
      boolean flow = false;
      List<Segment> segments = path.segments();
      for (int i = 0; i < segments.size(); i++) {
        refuseAnchor(node, i);
        flow |= isFlow(node);
        Segment seg = segments.get(i);
        Node next = step(node, seg, i);
        if (next == null) {
          return add(node, i);
        }
        node = next;
      }
      refuseAnchor(node, segments.size());
      if (!(node instanceof ScalarNode scalar)) {
        throw fail("the value is a " + describe(node) + ", not a scalar");
      }
      return replace(scalar, flow);
    }

    private Node step(Node node, Segment seg, int i) {
      if (seg instanceof Key k) {
        if (!(node instanceof MappingNode map)) {
          throw fail(path.prefix(i) + " is a " + describe(node) + ", not a mapping");
        }
        for (NodeTuple t : map.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(k.name())) {
            return t.getValueNode();
          }
        }
        return null;
      }
      if (!(node instanceof SequenceNode seq)) {
        throw fail(path.prefix(i) + " is a " + describe(node) + ", not a list");
      }
      if (seg instanceof Index idx) {
        if (idx.index() >= seq.getValue().size()) {
          throw fail(
              path.prefix(i + 1)
                  + " is past the end of a list of "
                  + seq.getValue().size()
                  + " (adding list items is not supported)");
        }
        return seq.getValue().get(idx.index());
      }
      Select sel = (Select) seg;
      Node found = null;
      for (Node item : seq.getValue()) {
        if (item instanceof MappingNode m && matches(m, sel)) {
          if (found != null) {
            throw fail(path.prefix(i + 1) + " matches more than one list item");
          }
          found = item;
        }
      }
      if (found == null) {
        throw fail(
            path.prefix(i + 1) + " matches no list item (adding list items is not supported)");
      }
      return found;
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

    private YamlEditResult replace(ScalarNode scalar, boolean flow) {
      ScalarStyle style = scalar.getScalarStyle();
      if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
        throw fail("the value is a block scalar (| or >); replacing it is not supported");
      }
      String current = scalar.getValue();
      YamlScalars.Kind currentKind =
          style == ScalarStyle.PLAIN ? YamlScalars.plainKind(current) : YamlScalars.Kind.STRING;
      boolean keepType =
          style == ScalarStyle.PLAIN && YamlScalars.canonicalLiteralOf(currentKind, value);
      boolean same = current.equals(value) && (keepType || currentKind == YamlScalars.Kind.STRING);
      if (same) {
        return new YamlEditResult(text, false, Optional.of(current), false);
      }
      String rendered;
      if (keepType) {
        rendered = value;
      } else if (style == ScalarStyle.DOUBLE_QUOTED) {
        rendered = YamlScalars.doubleQuoted(value);
      } else if (style == ScalarStyle.SINGLE_QUOTED && YamlScalars.singleQuotable(value)) {
        rendered = YamlScalars.singleQuoted(value);
      } else if (style == ScalarStyle.PLAIN && YamlScalars.plainSafe(value, flow)) {
        rendered = value;
      } else {
        rendered = YamlScalars.doubleQuoted(value);
      }
      int start = charIndex(mark(scalar.getStartMark()));
      int end = charIndex(mark(scalar.getEndMark()));
      if (start == end && start > 0 && !Character.isWhitespace(text.charAt(start - 1))) {
        // an empty value right after "key:" needs the separating space
        rendered = " " + rendered;
      }
      String edited = text.substring(0, start) + rendered + text.substring(end);
      Optional<String> previous =
          currentKind == YamlScalars.Kind.NULL ? Optional.empty() : Optional.of(current);
      return new YamlEditResult(edited, true, previous, false);
    }

    private YamlEditResult add(Node parent, int firstMissing) {
      List<Segment> segments = path.segments();
      List<String> keys = new ArrayList<>();
      for (int i = firstMissing; i < segments.size(); i++) {
        if (!(segments.get(i) instanceof Key k)) {
          throw fail(
              path.prefix(firstMissing + 1)
                  + " does not exist and adding list items is not supported");
        }
        keys.add(k.name());
      }
      if (!(parent instanceof MappingNode map)
          || map.getFlowStyle() == FlowStyle.FLOW
          || map.getValue().isEmpty()) {
        throw fail(
            path.prefix(firstMissing + 1)
                + " does not exist and its parent is not a block mapping to add it to");
      }
      int indent = mark(map.getValue().get(0).getKeyNode().getStartMark()).getColumn();
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < keys.size(); i++) {
        lines.append(" ".repeat(indent + 2 * i)).append(YamlScalars.key(keys.get(i))).append(':');
        if (i == keys.size() - 1) {
          lines
              .append(' ')
              .append(
                  YamlScalars.plainSafe(value, false) ? value : YamlScalars.doubleQuoted(value));
        }
        lines.append('\n');
      }
      Node last = lastLeaf(map);
      int end = charIndex(mark(last.getEndMark()));
      String edited;
      if (last instanceof ScalarNode s
          && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED)
          && end > 0
          && text.charAt(end - 1) == '\n') {
        edited = text.substring(0, end) + lines + text.substring(end);
      } else {
        int eol = text.indexOf('\n', end);
        if (eol < 0) {
          edited = text + "\n" + lines.substring(0, lines.length() - 1);
        } else {
          edited = text.substring(0, eol + 1) + lines + text.substring(eol + 1);
        }
      }
      return new YamlEditResult(edited, true, Optional.empty(), true);
    }

    private static Node lastLeaf(Node node) {
      if (node instanceof MappingNode m && !m.getValue().isEmpty()) {
        if (m.getFlowStyle() == FlowStyle.FLOW) {
          return m;
        }
        return lastLeaf(m.getValue().get(m.getValue().size() - 1).getValueNode());
      }
      if (node instanceof SequenceNode s && !s.getValue().isEmpty()) {
        if (s.getFlowStyle() == FlowStyle.FLOW) {
          return s;
        }
        return lastLeaf(s.getValue().get(s.getValue().size() - 1));
      }
      return node;
    }

    /** Parses the edited text and checks that only the target changed. */
    void verify(String edited) {
      Object before = load(text);
      Object after;
      try {
        after = load(edited);
      } catch (YamlEngineException e) {
        throw fail("the edit would make the file invalid (" + firstLine(e) + "); nothing changed");
      }
      Object expected = withValue(before, 0, after);
      if (!Objects.equals(expected, after)) {
        throw fail("the edit would change other values; nothing changed");
      }
      Object written = get(after, 0);
      boolean typed = !(written instanceof String);
      if (!(typed ? value.equals(String.valueOf(written)) : value.equals(written))) {
        throw fail("the edited value reads back as '" + written + "'; nothing changed");
      }
    }

    @SuppressWarnings("unchecked")
    private Object withValue(Object before, int i, Object after) {
      if (i == path.segments().size()) {
        return get(after, 0);
      }
      Segment seg = path.segments().get(i);
      if (seg instanceof Key k) {
        Map<Object, Object> copy =
            before instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<Object, Object>) m)
                : new LinkedHashMap<>();
        copy.put(k.name(), withValue(copy.get(k.name()), i + 1, after));
        return copy;
      }
      List<Object> copy = new ArrayList<>((List<Object>) before);
      int at = indexOf(copy, seg);
      copy.set(at, withValue(copy.get(at), i + 1, after));
      return copy;
    }

    @SuppressWarnings("unchecked")
    private Object get(Object tree, int from) {
      Object node = tree;
      for (int i = from; i < path.segments().size(); i++) {
        Segment seg = path.segments().get(i);
        if (seg instanceof Key k) {
          node = node instanceof Map<?, ?> m ? m.get(k.name()) : null;
        } else {
          List<Object> list = node instanceof List<?> l ? (List<Object>) l : List.of();
          int at = indexOf(list, seg);
          node = at < 0 ? null : list.get(at);
        }
      }
      return node;
    }

    private static int indexOf(List<Object> list, Segment seg) {
      if (seg instanceof Index idx) {
        return idx.index() < list.size() ? idx.index() : -1;
      }
      Select sel = (Select) seg;
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof Map<?, ?> m
            && m.get(sel.key()) != null
            && String.valueOf(m.get(sel.key())).equals(sel.value())) {
          return i;
        }
      }
      return -1;
    }

    private static Object load(String yaml) {
      return new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
          .loadFromString(yaml);
    }

    private Node parse(String yaml) {
      List<Node> docs = new ArrayList<>();
      try {
        // within Glidepath's limits (depth, size, aliases) before the recursive composer runs
        io.glidepath.core.yaml.Yaml.readDocuments(yaml, source);
      } catch (io.glidepath.core.yaml.YamlException e) {
        throw fail("not valid YAML: " + String.valueOf(e.getMessage()).strip());
      }
      try {
        LoadSettings settings =
            LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build();
        new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml)))
            .forEachRemaining(docs::add);
      } catch (YamlEngineException e) {
        throw fail("not valid YAML: " + firstLine(e));
      }
      if (docs.size() != 1) {
        throw fail("the file holds " + docs.size() + " YAML documents; exactly one is supported");
      }
      try {
        // duplicate keys are only detected when constructing
        load(yaml);
      } catch (YamlEngineException e) {
        throw fail("not valid YAML: " + firstLine(e));
      }
      return docs.get(0);
    }

    private static String firstLine(YamlEngineException e) {
      String m = String.valueOf(e.getMessage()).strip();
      return m.replace('\n', ' ').replaceAll("\\s+", " ");
    }
  }
}

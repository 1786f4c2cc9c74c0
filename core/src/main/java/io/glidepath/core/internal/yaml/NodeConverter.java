package io.glidepath.core.internal.yaml;

import io.glidepath.core.Origin;
import io.glidepath.core.Redaction;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.core.yaml.YamlLimits;
import io.glidepath.core.yaml.YamlReader;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a composed YAML node graph into a Jackson tree with kubectl's meaning: YAML 1.1 scalars
 * (see {@link Yaml11Resolver}), {@code <<} merge keys, duplicate keys refused, and the depth and
 * expanded-size limits enforced while aliases are expanded.
 *
 * <p>One converter per document; not thread-safe.
 */
public final class NodeConverter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Tag TIMESTAMP = new Tag(Tag.PREFIX + "timestamp");

  private final YamlLimits limits;
  private final Origin document;
  private final YamlReader.DuplicateKeys duplicateKeys;
  private final IdentityHashMap<Node, Boolean> onPath = new IdentityHashMap<>();
  private long nodes;

  public NodeConverter(YamlLimits limits, Origin document) {
    this(limits, document, YamlReader.DuplicateKeys.REFUSE);
  }

  /** A converter that treats a key given twice in one map as {@code duplicateKeys} says. */
  public NodeConverter(YamlLimits limits, Origin document, YamlReader.DuplicateKeys duplicateKeys) {
    this.limits = limits;
    this.document = document;
    this.duplicateKeys = duplicateKeys;
  }

  /** The origin of {@code node} within this converter's document. */
  public Origin originOf(Node node) {
    return origin(node.getStartMark());
  }

  private Origin origin(Optional<Mark> mark) {
    return mark.map(m -> document.at(m.getLine() + 1, m.getColumn() + 1)).orElse(document);
  }

  public JsonNode convert(Node node) {
    return convert(node, 0);
  }

  private JsonNode convert(Node node, int depth) {
    if (++nodes > limits.maxNodes()) {
      throw new YamlException(
          originOf(node),
          "document expands to more than "
              + limits.maxNodes()
              + " nodes (aliases nested in aliases, a \"billion laughs\" document?)");
    }
    if (depth > limits.maxDepth()) {
      throw new YamlException(
          originOf(node), "nesting deeper than " + limits.maxDepth() + " levels");
    }
    if (node instanceof ScalarNode scalar) {
      return scalar(scalar);
    }
    if (onPath.put(node, Boolean.TRUE) != null) {
      throw new YamlException(originOf(node), "recursive alias: a node contains itself");
    }
    try {
      if (node instanceof SequenceNode seq) {
        ArrayNode array = F.arrayNode(seq.getValue().size());
        for (Node item : seq.getValue()) {
          array.add(convert(item, depth + 1));
        }
        return array;
      }
      ObjectNode object = F.objectNode();
      mapping((MappingNode) node, object, depth, false);
      return object;
    } finally {
      onPath.remove(node);
    }
  }

  /**
   * Fills {@code into} with the entries of {@code mapping}. Explicit keys win over merged ones;
   * among merged mappings the first one listed wins, as YAML's merge key type says.
   */
  private void mapping(MappingNode mapping, ObjectNode into, int depth, boolean merging) {
    List<NodeTuple> tuples = mapping.getValue();
    ObjectNode explicit = merging ? F.objectNode() : into;
    List<Node> merges = new java.util.ArrayList<>();
    for (NodeTuple tuple : tuples) {
      Node keyNode = tuple.getKeyNode();
      if (isMergeKey(keyNode)) {
        merges.add(tuple.getValueNode());
        continue;
      }
      String key = key(keyNode);
      if (explicit.has(key) && duplicateKeys == YamlReader.DuplicateKeys.LAST_WINS) {
        explicit.remove(key);
      } else if (explicit.has(key) && duplicateKeys == YamlReader.DuplicateKeys.FIRST_WINS) {
        continue;
      } else if (explicit.has(key)) {
        throw new YamlException(originOf(keyNode), "duplicate key " + Redaction.excerpt(key));
      }
      explicit.set(key, convert(tuple.getValueNode(), depth + 1));
    }
    if (merging) {
      explicit.forEachEntry(
          (k, v) -> {
            if (!into.has(k)) {
              into.set(k, v);
            }
          });
    }
    for (Node merge : merges) {
      if (merge instanceof MappingNode m) {
        mergeInto(m, into, depth);
      } else if (merge instanceof SequenceNode seq) {
        for (Node item : seq.getValue()) {
          if (!(item instanceof MappingNode m)) {
            throw new YamlException(
                originOf(item), "merge key << takes mappings, but the list holds a scalar or list");
          }
          mergeInto(m, into, depth);
        }
      } else {
        throw new YamlException(
            originOf(merge), "merge key << takes a mapping or a list of mappings");
      }
    }
  }

  private void mergeInto(MappingNode source, ObjectNode into, int depth) {
    if (++nodes > limits.maxNodes()) {
      throw new YamlException(
          originOf(source), "document expands to more than " + limits.maxNodes() + " nodes");
    }
    if (onPath.put(source, Boolean.TRUE) != null) {
      throw new YamlException(originOf(source), "recursive alias in a merge key");
    }
    try {
      mapping(source, into, depth + 1, true);
    } finally {
      onPath.remove(source);
    }
  }

  private static boolean isMergeKey(Node key) {
    return key instanceof ScalarNode s
        && s.isPlain()
        && "<<".equals(s.getValue())
        && (s.getTag().equals(Tag.STR) || s.getTag().equals(Tag.MERGE));
  }

  /** Map keys become strings the way sigs.k8s.io/yaml turns them into JSON keys. */
  private String key(Node keyNode) {
    if (!(keyNode instanceof ScalarNode scalar)) {
      String hint =
          keyNode instanceof MappingNode
              ? " (a value starting with '{', such as {{args.x}}, needs quotes)"
              : "";
      throw new YamlException(
          originOf(keyNode),
          "a mapping key must be a scalar, not a " + keyNode.getNodeType() + hint);
    }
    JsonNode value = scalar(scalar);
    if (value.isString()) {
      return value.stringValue();
    }
    if (value.isNull()) {
      throw new YamlException(originOf(keyNode), "a mapping key must not be null");
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "true" : "false";
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    double d = value.doubleValue();
    if (Double.isNaN(d)) {
      return ".nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? ".inf" : "-.inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return Long.toString((long) d);
    }
    return Float.toString((float) d);
  }

  private JsonNode scalar(ScalarNode scalar) {
    Tag tag = scalar.getTag();
    String value = scalar.getValue();
    if (tag.equals(Tag.STR) || tag.equals(Tag.BINARY) || tag.equals(TIMESTAMP)) {
      return F.stringNode(value);
    }
    if (tag.equals(Tag.NULL)) {
      return F.nullNode();
    }
    if (tag.equals(Tag.BOOL)) {
      Object resolved = Yaml11Resolver.resolvePlain(value);
      if (resolved instanceof Boolean b) {
        return F.booleanNode(b);
      }
      throw new YamlException(originOf(scalar), tagged("!!bool", value, "a boolean"));
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      Object resolved = Yaml11Resolver.resolvePlain(value);
      if (resolved instanceof Long l) {
        return tag.equals(Tag.FLOAT) ? F.numberNode(l.doubleValue()) : integer(l);
      }
      if (resolved instanceof BigInteger big) {
        return tag.equals(Tag.FLOAT) ? F.numberNode(big.doubleValue()) : F.numberNode(big);
      }
      if (resolved instanceof Double d) {
        checkFinite(scalar, d);
        if (tag.equals(Tag.INT)) {
          throw new YamlException(originOf(scalar), tagged("!!int", value, "an integer"));
        }
        return F.numberNode(d);
      }
      throw new YamlException(
          originOf(scalar), tagged(tag.equals(Tag.INT) ? "!!int" : "!!float", value, "a number"));
    }
    // An unknown tag (!Ref, !!set, ...): keep the text, as go-yaml does for untyped targets.
    return scalar.isPlain() ? plainChecked(scalar) : F.stringNode(value);
  }

  /**
   * The error for an explicitly tagged scalar whose text is not of its type. The text is not
   * quoted: a tagged value may be a secret ({@code password: !!int hunter2}), and the position
   * names it well enough.
   */
  private static String tagged(String tag, String value, String what) {
    return "a scalar tagged "
        + tag
        + " is not "
        + what
        + " ("
        + value.length()
        + " characters; the value is not shown)";
  }

  /**
   * YAML has {@code .inf} and {@code .nan}; JSON has neither, and kubectl and Helm convert every
   * manifest and values file to JSON (sigs.k8s.io/yaml), failing with "json: unsupported value".
   */
  private void checkFinite(ScalarNode scalar, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new YamlException(
          originOf(scalar),
          Redaction.excerpt(scalar.getValue())
              + " is a YAML float JSON cannot hold; kubectl and Helm refuse it (json: unsupported"
              + " value): quote it to mean the string");
    }
  }

  private JsonNode plainChecked(ScalarNode scalar) {
    JsonNode node = plain(scalar.getValue());
    if (node.isDouble()) {
      checkFinite(scalar, node.doubleValue());
    }
    return node;
  }

  private static JsonNode plain(String value) {
    Object resolved = Yaml11Resolver.resolvePlain(value);
    if (resolved == Yaml11Resolver.Null.NULL) {
      return F.nullNode();
    }
    if (resolved instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (resolved instanceof Long l) {
      return integer(l);
    }
    if (resolved instanceof BigInteger big) {
      return F.numberNode(big);
    }
    if (resolved instanceof Double d) {
      return F.numberNode(d);
    }
    return F.stringNode(value);
  }

  /** The node type Jackson itself would pick for this number in JSON, so trees compare equal. */
  private static JsonNode integer(long l) {
    return l == (int) l ? F.numberNode((int) l) : F.numberNode(l);
  }
}

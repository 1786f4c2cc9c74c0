package io.glidepath.core.values;

import io.glidepath.core.Origin;
import io.glidepath.core.internal.values.SetParser;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Helm chart values: an immutable tree of maps, lists and scalars, merged by Helm's rules.
 *
 * <ul>
 *   <li>{@link #merge}: maps merge deeply, key by key; lists and scalars replace; a {@code null} in
 *       the overriding values deletes the key. The null stays in the merged tree as a tombstone, so
 *       that it also deletes the key from whatever lies beneath (a chart's own defaults); {@link
 *       #get} reads it as absent and {@link #compact} drops it.
 *   <li>Values remember their layers, the way {@code helm -f a.yaml -f b.yaml -f c.yaml} does, and
 *       the tree is the layers folded bottom to top. Merging stacks layers, so it is associative
 *       ({@code a.merge(b).merge(c)} equals {@code a.merge(b.merge(c))}, both being Helm's {@code
 *       -f a -f b -f c}) with the empty values as identity. Folding trees alone would not be:
 *       {@code b}'s {@code x: 5} under {@code c}'s {@code x: {z: 2}} must still wipe {@code a}'s
 *       {@code x: {y: 1}}. Equality compares the layers.
 *   <li>{@link #set} and {@link #setString}: Helm's {@code --set} and {@code --set-string} syntax,
 *       applied into the current tree (so {@code a[1].b=x} edits an existing list).
 * </ul>
 *
 * <pre>{@code
 * Values v = Values.read(app.resolve("values.yaml"))
 *     .merge(Values.read(app.resolve("values-production.yaml")))
 *     .set("image.tag=abc123");
 * v.get("replicaCount"); // Optional[10]
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class Values {
  private static final Values EMPTY = new Values(List.of());

  private final List<ObjectNode> layers;
  private final ObjectNode tree;

  private Values(List<ObjectNode> layers) {
    this.layers = List.copyOf(layers);
    ObjectNode folded = JsonNodeFactory.instance.objectNode();
    for (ObjectNode layer : this.layers) {
      mergeInto(folded, layer);
    }
    this.tree = folded;
  }

  private static Values single(ObjectNode tree) {
    return tree.isEmpty() ? EMPTY : new Values(List.of(tree));
  }

  public static Values empty() {
    return EMPTY;
  }

  /**
   * Values from a tree; {@code null} or an empty document gives the empty values.
   *
   * @throws IllegalArgumentException when {@code tree} is a list or a scalar
   */
  public static Values of(JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return EMPTY;
    }
    if (!tree.isObject()) {
      throw new IllegalArgumentException("values must be a map, but was a " + tree.getNodeType());
    }
    return single(((ObjectNode) tree).deepCopy());
  }

  /**
   * Values read from a YAML file.
   *
   * @throws YamlException when the file is not YAML or is not a map
   */
  public static Values read(Path file) {
    JsonNode tree = Yaml.readTree(file);
    if (!tree.isNull() && !tree.isObject()) {
      throw new YamlException(
          Origin.of(file.toString()), "values file must hold a map, not a " + tree.getNodeType());
    }
    return of(tree);
  }

  /** Values parsed from YAML text. */
  public static Values parse(String yaml, String source) {
    JsonNode tree = Yaml.readTree(yaml, source);
    if (!tree.isNull() && !tree.isObject()) {
      throw new YamlException(
          Origin.of(source), "values must be a map, not a " + tree.getNodeType());
    }
    return of(tree);
  }

  /** These values with {@code overrides} merged on top (Helm's rules, see above). */
  public Values merge(Values overrides) {
    if (overrides.layers.isEmpty()) {
      return this;
    }
    if (layers.isEmpty()) {
      return overrides;
    }
    List<ObjectNode> stacked = new java.util.ArrayList<>(layers);
    stacked.addAll(overrides.layers);
    return new Values(stacked);
  }

  private static void mergeInto(ObjectNode base, ObjectNode overrides) {
    overrides.forEachEntry(
        (key, value) -> {
          JsonNode existing = base.get(key);
          if (existing != null && existing.isObject() && value.isObject()) {
            ObjectNode child = (ObjectNode) existing.deepCopy();
            mergeInto(child, (ObjectNode) value);
            base.set(key, child);
          } else {
            base.set(key, value.deepCopy());
          }
        });
  }

  /**
   * Applies {@code --set} expressions, e.g. {@code image.tag=abc123,replicaCount=3}, to the merged
   * tree (as Helm applies {@code --set} after every {@code -f}); the result is one layer.
   */
  public Values set(String expression) {
    ObjectNode copy = tree.deepCopy();
    SetParser.apply(Objects.requireNonNull(expression, "expression"), true, copy);
    return single(copy);
  }

  /** Applies {@code --set-string} expressions: every value stays a string. */
  public Values setString(String expression) {
    ObjectNode copy = tree.deepCopy();
    SetParser.apply(Objects.requireNonNull(expression, "expression"), false, copy);
    return single(copy);
  }

  /**
   * The value at a dotted path ({@code image.tag}, {@code ingress.hosts[0].host}, {@code a\.b});
   * empty when absent or null.
   */
  public Optional<JsonNode> get(String path) {
    JsonNode current = tree;
    for (Object seg : SetParser.path(path)) {
      current = seg instanceof Integer i ? current.path(i) : current.path((String) seg);
    }
    return current.isMissingNode() || current.isNull() ? Optional.empty() : Optional.of(current);
  }

  /** These values with {@code value} at {@code path}, creating maps and lists on the way. */
  public Values with(String path, JsonNode value) {
    List<Object> segments = SetParser.path(path);
    if (segments.get(0) instanceof Integer) {
      throw new ValuesException(path, "the top level is a map; a list index needs a key");
    }
    ObjectNode copy = tree.deepCopy();
    SetParser.put(copy, segments, value.deepCopy());
    return single(copy);
  }

  /** These values without the null tombstones a merge leaves. */
  public Values compact() {
    ObjectNode copy = tree.deepCopy();
    dropNulls(copy);
    return single(copy);
  }

  private static void dropNulls(JsonNode node) {
    if (node.isObject()) {
      ((ObjectNode) node).properties().removeIf(e -> e.getValue().isNull());
      node.forEach(Values::dropNulls);
    } else if (node.isArray()) {
      node.forEach(Values::dropNulls);
    }
  }

  /** A mutable copy of the tree. */
  public ObjectNode toTree() {
    return tree.deepCopy();
  }

  public boolean isEmpty() {
    return tree.isEmpty();
  }

  /** How many layers (value files, {@code --set} results) these values stack. */
  public int layerCount() {
    return layers.size();
  }

  /** The values as YAML, as a values file holds them. */
  public String toYaml() {
    return tree.isEmpty() ? "{}\n" : Yaml.write(tree);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Values other && layers.equals(other.layers);
  }

  @Override
  public int hashCode() {
    return layers.hashCode();
  }

  @Override
  public String toString() {
    return "Values" + tree.propertyNames();
  }
}

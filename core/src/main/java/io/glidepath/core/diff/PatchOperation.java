package io.glidepath.core.diff;

import io.glidepath.core.yaml.Yaml;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One RFC 6902 operation of a drift patch: {@code add}, {@code remove} or {@code replace} at a JSON
 * Pointer. Values of Secrets are already masked when a {@link DriftDetector} builds the operation.
 *
 * <pre>{@code
 * PatchOperation op = PatchOperation.replace("/spec/replicas", IntNode.valueOf(10));
 * op.toJson(); // {"op":"replace","path":"/spec/replicas","value":10}
 * }</pre>
 *
 * <p>Immutable; the value tree is copied in and out.
 *
 * @param op the operation
 * @param path the RFC 6901 pointer it applies to
 * @param value the new value for {@code add} and {@code replace}; empty for {@code remove}
 */
public record PatchOperation(Op op, String path, Optional<JsonNode> value) {
  /** The RFC 6902 operations a drift patch uses. */
  public enum Op {
    ADD,
    REMOVE,
    REPLACE;

    /** The RFC 6902 spelling ({@code "add"}). */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public PatchOperation {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
    if (!path.isEmpty() && !path.startsWith("/")) {
      throw new IllegalArgumentException("path must be a JSON Pointer, but was \"" + path + "\"");
    }
    if ((op == Op.REMOVE) == value.isPresent()) {
      throw new IllegalArgumentException(
          op.wireName() + " at " + path + (op == Op.REMOVE ? " takes no value" : " needs a value"));
    }
    value = value.map(JsonNode::deepCopy);
  }

  public static PatchOperation add(String path, JsonNode value) {
    return new PatchOperation(Op.ADD, path, Optional.of(value));
  }

  public static PatchOperation remove(String path) {
    return new PatchOperation(Op.REMOVE, path, Optional.empty());
  }

  public static PatchOperation replace(String path, JsonNode value) {
    return new PatchOperation(Op.REPLACE, path, Optional.of(value));
  }

  /** The value, copied. */
  @Override
  public Optional<JsonNode> value() {
    return value.map(JsonNode::deepCopy);
  }

  /** This operation as an RFC 6902 JSON object. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("op", op.wireName());
    node.put("path", path);
    value.ifPresent(v -> node.set("value", v.deepCopy()));
    return node;
  }

  @Override
  public String toString() {
    return Yaml.toJson(toJson());
  }
}

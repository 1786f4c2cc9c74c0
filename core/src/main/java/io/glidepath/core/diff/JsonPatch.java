package io.glidepath.core.diff;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.internal.diff.TreePaths;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies and prints RFC 6902 patches made of {@link PatchOperation}s.
 *
 * <pre>{@code
 * JsonNode fixed = JsonPatch.apply(drift.comparedLive(), drift.patch());
 * String json = JsonPatch.toJson(drift.patch());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * A copy of {@code target} with {@code patch} applied.
   *
   * @throws GlidepathException when an operation's path does not exist in the target
   */
  public static JsonNode apply(JsonNode target, List<PatchOperation> patch) {
    JsonNode root = target.deepCopy();
    for (PatchOperation op : patch) {
      root = applyOne(root, op);
    }
    return root;
  }

  /** The patch as an RFC 6902 JSON array. */
  public static ArrayNode toJsonArray(List<PatchOperation> patch) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    patch.forEach(op -> array.add(op.toJson()));
    return array;
  }

  /** The patch as compact RFC 6902 JSON text. */
  public static String toJson(List<PatchOperation> patch) {
    return io.glidepath.core.yaml.Yaml.toJson(toJsonArray(patch));
  }

  private static JsonNode applyOne(JsonNode root, PatchOperation op) {
    List<String> tokens = TreePaths.parsePointer(op.path());
    if (tokens.isEmpty()) {
      if (op.op() == PatchOperation.Op.REMOVE) {
        throw new GlidepathException(
            "cannot remove the whole document (" + op.op().wireName() + ")");
      }
      return op.value().orElseThrow();
    }
    JsonNode parent = root;
    for (int i = 0; i < tokens.size() - 1; i++) {
      parent = step(parent, tokens.get(i), op);
    }
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ObjectNode object) {
      if (op.op() != PatchOperation.Op.ADD && !object.has(last)) {
        throw missing(op);
      }
      if (op.op() == PatchOperation.Op.REMOVE) {
        object.remove(last);
      } else {
        object.set(last, op.value().orElseThrow());
      }
    } else if (parent instanceof ArrayNode array) {
      int index = last.equals("-") ? array.size() : index(last, op);
      switch (op.op()) {
        case ADD -> {
          if (index > array.size()) {
            throw missing(op);
          }
          array.insert(index, op.value().orElseThrow());
        }
        case REMOVE -> {
          if (index >= array.size()) {
            throw missing(op);
          }
          array.remove(index);
        }
        case REPLACE -> {
          if (index >= array.size()) {
            throw missing(op);
          }
          array.set(index, op.value().orElseThrow());
        }
      }
    } else {
      throw missing(op);
    }
    return root;
  }

  private static JsonNode step(JsonNode node, String token, PatchOperation op) {
    JsonNode next = node.isArray() ? node.get(index(token, op)) : node.get(token);
    if (next == null) {
      throw missing(op);
    }
    return next;
  }

  private static int index(String token, PatchOperation op) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      throw missing(op);
    }
  }

  private static GlidepathException missing(PatchOperation op) {
    // the path only: the value may be (masked) Secret data
    return new GlidepathException(
        "cannot " + op.op().wireName() + " " + op.path() + ": the path does not exist");
  }
}

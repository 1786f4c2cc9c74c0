package io.glidepath.testkit.internal.cluster;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The JSON mapper and small tree helpers shared by the embedded cluster. */
public final class Json {
  /** Thread-safe once built. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  /** Parses JSON text. */
  public static JsonNode read(String json) {
    return MAPPER.readTree(json);
  }

  /** Writes compact JSON. */
  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The text at {@code field} of {@code node}, or "" when absent. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  /** {@code node.metadata}, created when absent. */
  public static ObjectNode metadata(ObjectNode node) {
    JsonNode m = node.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return node.putObject("metadata");
  }
}

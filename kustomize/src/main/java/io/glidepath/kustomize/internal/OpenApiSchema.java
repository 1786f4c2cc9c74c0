package io.glidepath.kustomize.internal;

import io.glidepath.core.yaml.Yaml;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The {@code openapi} field's custom schema (OpenAPI v2 {@code definitions}): the types named by
 * {@code x-kubernetes-group-version-kind} get the list merge keys ({@code
 * x-kubernetes-patch-merge-key} with {@code x-kubernetes-patch-strategy: merge}) that strategic
 * merge patches use, so lists of custom resources merge instead of being replaced.
 */
final class OpenApiSchema {
  private final JsonNode definitions;
  private final Map<Gvk, String> byType = new HashMap<>();

  private OpenApiSchema(JsonNode definitions) {
    this.definitions = definitions;
    for (Map.Entry<String, JsonNode> e : definitions.properties()) {
      for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
        byType.put(
            new Gvk(
                gvk.path("group").asString(""),
                gvk.path("version").asString(""),
                gvk.path("kind").asString("")),
            e.getKey());
      }
    }
  }

  static OpenApiSchema parse(String text, String file) {
    JsonNode doc = Yaml.readTree(text, file);
    JsonNode defs = doc.path("definitions");
    if (!defs.isObject()) {
      throw new IllegalArgumentException(file + " has no OpenAPI definitions");
    }
    return new OpenApiSchema(defs);
  }

  /**
   * The merge key of the list at {@code path} (field names from the object's root) in objects of
   * {@code gvk}, or null when the schema does not say it merges.
   */
  String mergeKey(Gvk gvk, List<String> path) {
    String type = byType.get(gvk);
    if (type == null) {
      return null;
    }
    JsonNode schema = definitions.get(type);
    JsonNode prop = null;
    for (String field : path) {
      schema = resolve(schema);
      if (schema == null) {
        return null;
      }
      if ("array".equals(schema.path("type").asString(""))) {
        schema = resolve(schema.get("items"));
        if (schema == null) {
          return null;
        }
      }
      prop = schema.path("properties").get(field);
      if (prop == null) {
        return null;
      }
      schema = prop;
    }
    if (prop == null || !prop.path("x-kubernetes-patch-strategy").asString("").contains("merge")) {
      return null;
    }
    String key = prop.path("x-kubernetes-patch-merge-key").asString("");
    return key.isEmpty() ? null : key;
  }

  private JsonNode resolve(JsonNode schema) {
    int hops = 0;
    while (schema != null && schema.has("$ref") && hops++ < 64) {
      String ref = schema.get("$ref").asString("");
      String name =
          ref.startsWith("#/definitions/") ? ref.substring("#/definitions/".length()) : ref;
      schema = definitions.get(name);
    }
    return schema;
  }
}

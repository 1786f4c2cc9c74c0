package io.glidepath.kustomize.internal;

import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code crds} field: OpenAPI definitions (a map of type name to {@code Schema}) whose
 * properties carry kustomize's extensions become transformer configuration: {@code
 * x-kubernetes-object-ref-kind} and {@code -api-version} (with {@code -name-key}, default {@code
 * name}) a name reference, {@code x-kubernetes-annotation} an annotation field, {@code
 * x-kubernetes-label-selector} a label field, {@code x-kubernetes-identity} a name-prefix field. A
 * type's kind is the last dot-separated part of its name; {@code $ref}s are followed.
 */
final class CrdConfig {
  private static final String X_ANNOTATION = "x-kubernetes-annotation";
  private static final String X_LABELS = "x-kubernetes-label-selector";
  private static final String X_IDENTITY = "x-kubernetes-identity";
  private static final String X_VERSION = "x-kubernetes-object-ref-api-version";
  private static final String X_KIND = "x-kubernetes-object-ref-kind";
  private static final String X_NAME_KEY = "x-kubernetes-object-ref-name-key";

  private CrdConfig() {}

  static TransformerConfig parse(String text, String file) {
    JsonNode defs = Yaml.readTree(text, file);
    if (!defs.isObject()) {
      throw new IllegalArgumentException(
          file + " must be a map of OpenAPI definitions (type name to {Schema: ...})");
    }
    TransformerConfig tc = TransformerConfig.empty();
    for (Map.Entry<String, JsonNode> e : defs.properties()) {
      JsonNode props = e.getValue().path("Schema").path("properties");
      if (!props.has("kind") || !props.has("apiVersion") || !props.has("metadata")) {
        continue;
      }
      String[] parts = e.getKey().split("\\.");
      Gvk gvk = new Gvk("", "", parts[parts.length - 1]);
      ObjectNode config = JsonNodeFactory.instance.objectNode();
      load(defs, e.getKey(), gvk, new ArrayList<>(), config, 0);
      tc = tc.merge(TransformerConfig.parse(config, file));
    }
    return tc;
  }

  private static void load(
      JsonNode defs, String type, Gvk gvk, List<String> path, ObjectNode config, int depth) {
    JsonNode def = defs.get(type);
    if (def == null || depth > 32) {
      return;
    }
    for (Map.Entry<String, JsonNode> p : def.path("Schema").path("properties").properties()) {
      JsonNode prop = p.getValue();
      List<String> at = new ArrayList<>(path);
      at.add(p.getKey());
      if (prop.path(X_ANNOTATION).isString()) {
        add(config, "commonAnnotations", gvk, String.join("/", at));
      }
      if (prop.path(X_LABELS).isString()) {
        add(config, "commonLabels", gvk, String.join("/", at));
      }
      if (prop.path(X_IDENTITY).isString()) {
        add(config, "namePrefix", gvk, String.join("/", at));
      }
      if (prop.path(X_VERSION).isString() && prop.path(X_KIND).isString()) {
        String nameKey = prop.path(X_NAME_KEY).asString("name");
        ObjectNode ref = config.withArrayProperty("nameReference").addObject();
        ref.put("kind", prop.get(X_KIND).stringValue());
        ref.put("version", prop.get(X_VERSION).stringValue());
        ObjectNode fs = ref.putArray("fieldSpecs").addObject();
        fs.put("kind", gvk.kind());
        fs.put("path", String.join("/", at) + "/" + nameKey);
      }
      JsonNode ref = prop.get("$ref");
      if (ref != null && ref.isString()) {
        load(defs, ref.stringValue(), gvk, at, config, depth + 1);
      }
    }
  }

  private static void add(ObjectNode config, String field, Gvk gvk, String path) {
    ObjectNode fs = config.withArrayProperty(field).addObject();
    fs.put("kind", gvk.kind());
    fs.put("path", path);
  }
}

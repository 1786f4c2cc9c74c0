package io.glidepath.appset.internal.gotemplate;

import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Template data as Go holds it after {@code json.Unmarshal} into {@code map[string]interface{}}:
 * maps, lists, strings, bools, nil, and every number a float64 ({@link Double}), as Argo CD's
 * generators hand parameters to templates.
 */
public final class Values {
  private Values() {}

  /** {@code node} as Go's decoded JSON (numbers as Double). */
  public static Object fromJson(JsonNode node) {
    return fromJson(node, 0);
  }

  private static Object fromJson(JsonNode node, int depth) {
    if (depth > 100) {
      throw new io.glidepath.appset.TemplateException(
          io.glidepath.appset.TemplateException.Kind.LIMIT,
          "value nests more than 100 levels deep");
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        m.put(e.getKey(), fromJson(e.getValue(), depth + 1));
      }
      return m;
    }
    if (node.isArray()) {
      List<Object> l = new ArrayList<>();
      for (JsonNode n : node) {
        l.add(fromJson(n, depth + 1));
      }
      return l;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.asString();
  }

  /** A template value back as JSON (Long and Double as numbers). */
  public static JsonNode toJson(Object v) {
    if (v == null || v == GoExec.MISSING) {
      return Yaml.mapper().nullNode();
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = Yaml.mapper().createObjectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = Yaml.mapper().createArrayNode();
      l.forEach(x -> a.add(toJson(x)));
      return a;
    }
    if (v instanceof Boolean b) {
      return Yaml.mapper().getNodeFactory().booleanNode(b);
    }
    if (v instanceof Long l) {
      return Yaml.mapper().getNodeFactory().numberNode(l);
    }
    if (v instanceof Double d) {
      return Yaml.mapper().getNodeFactory().numberNode(d);
    }
    return Yaml.mapper().getNodeFactory().stringNode(String.valueOf(v));
  }

  static Object fromJsonText(String text) {
    return fromJson(Yaml.mapper().readTree(text));
  }

  static Object fromYamlText(String text) {
    if (text.isBlank()) {
      return null;
    }
    return fromJson(Yaml.readTree(text, "fromYaml"));
  }
}

package io.glidepath.core.internal.diff;

import io.glidepath.core.Origin;
import io.glidepath.core.resource.InvalidResourceException;
import io.glidepath.core.resource.Resource;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Refuses a Secret the API server would refuse for its shape: {@code data} and {@code stringData}
 * must be maps whose values are strings (or null), as Kubernetes' {@code map[string][]byte} and
 * {@code map[string]string} are. The error names the Secret and the key, never the value.
 */
public final class SecretShape {
  private SecretShape() {}

  /** Whether {@code resource} is a core {@code v1} Secret. */
  public static boolean isSecret(Resource resource) {
    return resource.key().group().isEmpty() && resource.key().kind().equals("Secret");
  }

  /**
   * Checks a Secret's {@code data} and {@code stringData}.
   *
   * @throws InvalidResourceException naming the Secret and the key, and the kind of value found
   */
  public static void check(Resource resource) {
    if (!isSecret(resource)) {
      return;
    }
    for (String field : new String[] {"data", "stringData"}) {
      JsonNode value = resource.body().get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      if (!value.isObject()) {
        throw invalid(resource, field, "must be a map of key to value, but is " + kind(value));
      }
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        JsonNode v = e.getValue();
        if (!v.isString() && !v.isNull()) {
          throw invalid(
              resource,
              field + "." + e.getKey(),
              "must be a string, but is "
                  + kind(v)
                  + (v.isNumber() || v.isBoolean() ? " (quote it)" : ""));
        }
      }
    }
  }

  private static InvalidResourceException invalid(Resource r, String field, String problem) {
    Origin origin = r.origin();
    return new InvalidResourceException(
        origin,
        "Secret "
            + r.namespace().map(ns -> ns + "/").orElse("")
            + r.key().name()
            + ": "
            + field
            + " "
            + problem
            + "; its value is not shown");
  }

  private static String kind(JsonNode v) {
    if (v.isObject()) {
      return "a map";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return "a string";
  }
}

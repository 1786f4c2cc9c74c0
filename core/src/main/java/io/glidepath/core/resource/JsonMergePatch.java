package io.glidepath.core.resource;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON merge patch exactly as RFC 7386 defines it (kubectl's {@code patch --type merge}, Argo CD's
 * parameter override files): objects merge, null deletes, all else replaces.
 *
 * <pre>{@code
 * JsonNode merged = JsonMergePatch.apply(source, Yaml.readTree("helm: {releaseName: web}", "p"));
 * }</pre>
 */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  /** Returns {@code target} with {@code patch} applied; neither argument is modified. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }
}

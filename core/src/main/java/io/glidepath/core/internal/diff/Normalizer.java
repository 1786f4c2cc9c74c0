package io.glidepath.core.internal.diff;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Removes what the API server or Glidepath itself adds, on a copy of an object. */
public final class Normalizer {
  /** Metadata the API server fills in; never drift. */
  static final List<String> SERVER_METADATA =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "managedFields",
          "selfLink",
          "deletionTimestamp",
          "deletionGracePeriodSeconds");

  /** Annotations written by the apply machinery, not by the user. */
  public static final List<String> BOOKKEEPING_ANNOTATIONS =
      List.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          "glidepath.io/tracking-id",
          "argocd.argoproj.io/tracking-id");

  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private Normalizer() {}

  /** A normalized copy of {@code body}. */
  public static ObjectNode normalize(JsonNode body) {
    ObjectNode copy = (ObjectNode) body.deepCopy();
    normalizeInPlace(copy);
    return copy;
  }

  static void normalizeInPlace(ObjectNode copy) {
    copy.remove("status");
    JsonNode metadata = copy.get("metadata");
    if (metadata instanceof ObjectNode meta) {
      meta.remove(SERVER_METADATA);
      if (meta.get("annotations") instanceof ObjectNode annotations) {
        annotations.remove(BOOKKEEPING_ANNOTATIONS);
        if (annotations.isEmpty()) {
          meta.remove("annotations");
        }
      }
    }
    if (isSecret(copy)) {
      mergeStringData(copy);
    }
    dropDefaultProtocol(copy);
  }

  static boolean isSecret(JsonNode body) {
    return "Secret".equals(body.path("kind").asString(""))
        && "v1".equals(body.path("apiVersion").asString(""));
  }

  /** {@code stringData} is write-only: the API server stores it base64-encoded in {@code data}. */
  private static void mergeStringData(ObjectNode secret) {
    JsonNode stringData = secret.remove("stringData");
    if (stringData == null || !stringData.isObject() || stringData.isEmpty()) {
      return;
    }
    ObjectNode data = secret.withObjectProperty("data");
    for (Map.Entry<String, JsonNode> e : stringData.properties()) {
      String text = e.getValue().isNull() ? "" : e.getValue().asString();
      data.put(
          e.getKey(), Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** {@code protocol: TCP} is the API server's default for every port. */
  private static void dropDefaultProtocol(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        JsonNode value = e.getValue();
        if ("ports".equals(e.getKey()) && value instanceof ArrayNode ports) {
          for (JsonNode port : ports) {
            if (port instanceof ObjectNode p && "TCP".equals(p.path("protocol").asString(""))) {
              p.remove("protocol");
            }
          }
        }
        if (value.isContainer()) {
          dropDefaultProtocol(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        if (element.isContainer()) {
          dropDefaultProtocol(element);
        }
      }
    }
  }
}

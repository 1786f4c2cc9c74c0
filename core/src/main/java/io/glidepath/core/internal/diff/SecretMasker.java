package io.glidepath.core.internal.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Replaces Secret values with masks, like Argo CD: {@code ++++++++} for the first distinct value,
 * one more {@code +} for each further one. Equal values get equal masks within one comparison, so a
 * reader still sees which values changed. Every value under {@code data}/{@code stringData} is
 * masked whatever its shape (a map value, a number, a whole list or string in place of the map).
 */
public final class SecretMasker {
  /** Annotation listing (comma-separated) the annotations of an object whose values are masked. */
  public static final String SENSITIVE_ANNOTATIONS = "glidepath.io/sensitive-annotations";

  private static final String BASE = "++++++++";

  private final Map<String, String> masks = new HashMap<>();

  private final boolean secret;
  private final Set<String> sensitive;

  private SecretMasker(boolean secret, Set<String> sensitive) {
    this.secret = secret;
    this.sensitive = sensitive;
  }

  /** Masks, in place, the sensitive values of all {@code trees} (one desired/live pair). */
  public static void maskAll(
      List<? extends JsonNode> trees, boolean secret, Set<String> sensitiveAnnotations) {
    SecretMasker masker = new SecretMasker(secret, sensitiveAnnotations);
    List<JsonNode> values = new ArrayList<>();
    for (JsonNode tree : trees) {
      masker.collect(tree, values);
    }
    for (JsonNode v : values) {
      masker.masks.computeIfAbsent(text(v), k -> BASE + "+".repeat(masker.masks.size()));
    }
    for (JsonNode tree : trees) {
      masker.replace(tree);
    }
  }

  private void collect(JsonNode tree, List<JsonNode> out) {
    if (tree == null || !tree.isObject()) {
      return;
    }
    if (secret) {
      for (String field : List.of("data", "stringData")) {
        JsonNode data = tree.get(field);
        if (data != null && data.isObject()) {
          new TreeSet<>(data.propertyNames()).forEach(k -> out.add(data.get(k)));
        } else if (data != null && !data.isNull()) {
          // a list, a string, a number: masked whole, whatever it holds
          out.add(data);
        }
      }
    }
    JsonNode annotations = tree.path("metadata").path("annotations");
    for (String name : sensitive) {
      JsonNode v = annotations.get(name);
      if (v != null) {
        out.add(v);
      }
    }
  }

  private void replace(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      return;
    }
    if (secret) {
      for (String field : List.of("data", "stringData")) {
        JsonNode value = tree.get(field);
        if (value instanceof ObjectNode data) {
          for (String k : new ArrayList<>(data.propertyNames())) {
            data.set(k, StringNode.valueOf(masks.get(text(data.get(k)))));
          }
        } else if (value != null && !value.isNull() && tree instanceof ObjectNode object) {
          object.set(field, StringNode.valueOf(masks.get(text(value))));
        }
      }
    }
    if (tree.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      for (String name : sensitive) {
        JsonNode v = annotations.get(name);
        if (v != null) {
          annotations.set(name, StringNode.valueOf(masks.get(text(v))));
        }
      }
    }
  }

  /** A value's text for telling equal values apart: strings as they are, anything else as JSON. */
  private static String text(JsonNode v) {
    return v.isString() ? v.stringValue() : "\u0000" + v.toString();
  }

  /** The annotations {@code tree} marks as sensitive. */
  public static Set<String> sensitiveAnnotations(JsonNode tree) {
    return sensitiveAnnotationsIn(tree.path("metadata").path("annotations"));
  }

  /** The annotations an object with {@code annotations} marks as sensitive. */
  public static Set<String> sensitiveAnnotationsIn(JsonNode annotations) {
    JsonNode list = annotations.path(SENSITIVE_ANNOTATIONS);
    if (!list.isString()) {
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String n : list.stringValue().split(",")) {
      if (!n.isBlank()) {
        names.add(n.trim());
      }
    }
    return names;
  }
}

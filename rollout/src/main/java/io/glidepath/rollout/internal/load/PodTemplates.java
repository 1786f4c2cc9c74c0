package io.glidepath.rollout.internal.load;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The checks the API server makes on a pod template that Glidepath can make without one: a pod spec
 * with containers, each named once, and resource quantities that parse. A template that fails here
 * would be refused when its ReplicaSet is created; refusing it at load says so earlier.
 */
final class PodTemplates {
  // Kubernetes resource.Quantity: a decimal or exponent number with an optional SI or binary suffix
  private static final Pattern QUANTITY =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[numkMGTPE]|[KMGTPE]i)?");

  private PodTemplates() {}

  static void check(JsonNode template, String path, Refusals refusals) {
    if (!template.isObject()) {
      refusals.add(path, "must be a pod template (a mapping), but was " + Fields.type(template));
      return;
    }
    JsonNode spec = template.get("spec");
    if (spec == null || !spec.isObject()) {
      refusals.add(path + ".spec", "is required (a pod template needs a pod spec)");
      return;
    }
    JsonNode containers = spec.get("containers");
    if (containers == null || !containers.isArray() || containers.isEmpty()) {
      refusals.add(path + ".spec.containers", "must list at least one container");
      return;
    }
    Set<String> names = new HashSet<>();
    for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
      JsonNode items = spec.get(list);
      if (items == null || !items.isArray()) {
        continue;
      }
      for (int i = 0; i < items.size(); i++) {
        String at = path + ".spec." + list + "[" + i + "]";
        JsonNode c = items.get(i);
        String name = c.path("name").asString("");
        if (name.isBlank()) {
          refusals.add(at + ".name", "is required");
        } else if (!names.add(name)) {
          refusals.add(at + ".name", "repeats container name '" + name + "'");
        }
        for (String kind : new String[] {"requests", "limits"}) {
          JsonNode q = c.path("resources").path(kind);
          if (!q.isObject()) {
            continue;
          }
          for (var e : q.properties()) {
            JsonNode v = e.getValue();
            String text = v.isValueNode() ? v.asString().trim() : "";
            if (!QUANTITY.matcher(text).matches()) {
              refusals.add(
                  at + ".resources." + kind + "." + e.getKey(),
                  "must be a quantity such as 100m, 64Mi or 1, but was " + Fields.describe(v));
            }
          }
        }
      }
    }
  }
}

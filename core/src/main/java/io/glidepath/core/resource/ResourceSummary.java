package io.glidepath.core.resource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One line a person reads about a resource: its key and what matters most for its kind (replicas
 * and images of a workload, hosts of an Ingress, bounds of an autoscaler, ...).
 *
 * <pre>{@code
 * ResourceSummary.of(rollout)
 * // argoproj.io/Rollout:production/trade-service  replicas=10 image=registry.example.com/org/trade-service:abc123
 * }</pre>
 *
 * <p>Never prints the values of a Secret or a ConfigMap, only their keys.
 */
public final class ResourceSummary {
  private ResourceSummary() {}

  /** The key, two spaces, and the kind's details (if any). */
  public static String of(Resource r) {
    String details = details(r);
    return details.isEmpty() ? r.key().toString() : r.key() + "  " + details;
  }

  /** The kind's details alone. */
  public static String details(Resource r) {
    JsonNode b = r.body();
    List<String> parts = new ArrayList<>();
    switch (r.kind()) {
      case "Deployment", "StatefulSet", "ReplicaSet", "Rollout", "DaemonSet" -> {
        if (b.at("/spec/replicas").isNumber()) {
          parts.add("replicas=" + b.at("/spec/replicas").asString());
        }
        images(b.at("/spec/template/spec"), parts);
        JsonNode canary = b.at("/spec/strategy/canary/steps");
        if (canary.isArray()) {
          parts.add("canary=" + canary.size() + " steps");
        }
        if (b.at("/spec/strategy/blueGreen").isObject()) {
          parts.add("blueGreen");
        }
      }
      case "Pod" -> images(b.at("/spec"), parts);
      case "Job" -> images(b.at("/spec/template/spec"), parts);
      case "CronJob" -> {
        parts.add("schedule=" + b.at("/spec/schedule").asString());
        images(b.at("/spec/jobTemplate/spec/template/spec"), parts);
      }
      case "Service" -> {
        parts.add("type=" + b.at("/spec/type").asString("ClusterIP"));
        List<String> ports = new ArrayList<>();
        b.at("/spec/ports").forEach(p -> ports.add(p.path("port").asString()));
        if (!ports.isEmpty()) {
          parts.add("ports=" + String.join(",", ports));
        }
      }
      case "Ingress" -> {
        Set<String> hosts = new LinkedHashSet<>();
        b.at("/spec/rules").forEach(rule -> hosts.add(rule.path("host").asString("*")));
        parts.add("hosts=" + String.join(",", hosts));
      }
      case "HorizontalPodAutoscaler" -> {
        parts.add(
            "target="
                + b.at("/spec/scaleTargetRef/kind").asString()
                + "/"
                + b.at("/spec/scaleTargetRef/name").asString());
        parts.add(
            "replicas="
                + b.at("/spec/minReplicas").asString("1")
                + ".."
                + b.at("/spec/maxReplicas").asString());
        b.at("/spec/metrics")
            .forEach(
                m -> {
                  JsonNode target = m.at("/resource/target/averageUtilization");
                  if (target.isNumber()) {
                    parts.add(m.at("/resource/name").asString() + "=" + target.asString() + "%");
                  }
                });
        if (b.at("/spec/targetCPUUtilizationPercentage").isNumber()) {
          parts.add("cpu=" + b.at("/spec/targetCPUUtilizationPercentage").asString() + "%");
        }
      }
      case "PodDisruptionBudget" -> {
        if (!b.at("/spec/minAvailable").isMissingNode()) {
          parts.add("minAvailable=" + b.at("/spec/minAvailable").asString());
        }
        if (!b.at("/spec/maxUnavailable").isMissingNode()) {
          parts.add("maxUnavailable=" + b.at("/spec/maxUnavailable").asString());
        }
      }
      case "VirtualService" -> {
        List<String> hosts = new ArrayList<>();
        b.at("/spec/hosts").forEach(h -> hosts.add(h.asString()));
        parts.add("hosts=" + String.join(",", hosts));
        b.at("/spec/http")
            .forEach(
                route -> {
                  List<String> weights = new ArrayList<>();
                  route
                      .path("route")
                      .forEach(
                          d ->
                              weights.add(
                                  d.at("/destination/host").asString()
                                      + "="
                                      + d.path("weight").asString("100")));
                  parts.add(
                      "route "
                          + route.path("name").asString("-")
                          + ": "
                          + String.join(" ", weights));
                });
      }
      case "AnalysisTemplate", "ClusterAnalysisTemplate" -> {
        List<String> metrics = new ArrayList<>();
        b.at("/spec/metrics").forEach(m -> metrics.add(m.path("name").asString()));
        parts.add("metrics=" + String.join(",", metrics));
      }
      case "ConfigMap", "Secret" -> {
        Set<String> keys = new LinkedHashSet<>();
        b.path("data").propertyNames().forEach(keys::add);
        b.path("stringData").propertyNames().forEach(keys::add);
        b.path("binaryData").propertyNames().forEach(keys::add);
        parts.add("keys=" + String.join(",", keys));
      }
      default -> {}
    }
    return String.join(" ", parts);
  }

  private static void images(JsonNode podSpec, List<String> parts) {
    List<String> images = new ArrayList<>();
    podSpec.path("containers").forEach(c -> images.add(c.path("image").asString()));
    if (!images.isEmpty()) {
      parts.add((images.size() == 1 ? "image=" : "images=") + String.join(",", images));
    }
  }
}

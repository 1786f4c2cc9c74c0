package io.glidepath.core.internal.health;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * gitops-engine's HorizontalPodAutoscaler check and Argo CD's PodDisruptionBudget script. An HPA is
 * Degraded when any condition has one of the failure reasons, else Healthy when {@code AbleToScale}
 * or {@code ScalingLimited} is True, else Progressing ("Waiting to Autoscale"); autoscaling/v1
 * keeps its conditions as JSON in the {@code autoscaling.alpha.kubernetes.io/conditions}
 * annotation.
 */
final class AutoscalingChecks {
  private static final Set<String> DEGRADED =
      Set.of(
          "AbleToScale/FailedGetScale",
          "AbleToScale/FailedUpdateScale",
          "ScalingActive/FailedGetResourceMetric",
          "ScalingActive/FailedGetObjectMetric",
          "ScalingActive/FailedGetPodsMetric",
          "ScalingActive/FailedGetExternalMetric",
          "ScalingActive/FailedComputeMetricsReplicas",
          "ScalingActive/InvalidSelector");
  private static final Set<String> VERSIONS =
      Set.of("autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2");
  private static final Health WAITING = Health.of(HealthStatus.PROGRESSING, "Waiting to Autoscale");

  private AutoscalingChecks() {}

  static Health hpa(Resource live) {
    if (!VERSIONS.contains(live.apiVersion())) {
      throw Typed.unsupported(live);
    }
    Typed t = new Typed(live, "HorizontalPodAutoscaler");
    List<JsonNode> conditions;
    if (live.apiVersion().equals("autoscaling/v1")) {
      String annotation = live.annotations().get("autoscaling.alpha.kubernetes.io/conditions");
      if (annotation == null) {
        return WAITING;
      }
      JsonNode parsed;
      try {
        parsed = Yaml.mapper().readTree(annotation);
      } catch (RuntimeException e) {
        throw new GlidepathException(
            "failed to convert conditions annotation to typed: " + e.getMessage());
      }
      conditions =
          t.list(parsed, "metadata.annotations[autoscaling.alpha.kubernetes.io/conditions]");
      if (conditions.isEmpty()) {
        return WAITING;
      }
    } else {
      conditions = t.list("/status/conditions");
    }
    for (JsonNode c : conditions) {
      String key =
          t.string(c, "type", "status.conditions")
              + "/"
              + t.string(c, "reason", "status.conditions");
      if (DEGRADED.contains(key)) {
        return Health.of(HealthStatus.DEGRADED, t.string(c, "message", "status.conditions"));
      }
    }
    for (JsonNode c : conditions) {
      String type = t.string(c, "type", "status.conditions");
      if ((type.equals("AbleToScale") || type.equals("ScalingLimited"))
          && "True".equals(t.string(c, "status", "status.conditions"))) {
        return Health.of(HealthStatus.HEALTHY, t.string(c, "message", "status.conditions"));
      }
    }
    return WAITING;
  }

  /**
   * Argo CD's PodDisruptionBudget script: Progressing "Waiting for status" until a condition is
   * reported; a condition False for another reason than InsufficientPods degrades the budget
   * (InsufficientPods has valid uses); otherwise Healthy, naming the last condition's reason.
   */
  static Health podDisruptionBudget(Resource live) {
    Health health = Health.of(HealthStatus.PROGRESSING, "Waiting for status");
    JsonNode conditions = live.body().path("status").path("conditions");
    if (LuaValues.isNil(conditions)) {
      return health;
    }
    for (JsonNode c : conditions) {
      JsonNode reason = c.path("reason");
      if (!reason.isString() && !reason.isNumber()) {
        throw new GlidepathException(
            "attempt to concatenate a " + LuaValues.typeName(reason) + " value");
      }
      String text = reason.asString();
      boolean isFalse =
          c.path("status").isString() && c.path("status").stringValue().equals("False");
      if (isFalse && !text.equals("InsufficientPods")) {
        return Health.of(HealthStatus.DEGRADED, "PodDisruptionBudget has " + text);
      }
      health = Health.of(HealthStatus.HEALTHY, "PodDisruptionBudget has " + text);
    }
    return health;
  }
}

package io.glidepath.core.internal.health;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/**
 * Argo CD's checks for Argo Rollouts' Rollout (its Lua script) and Argo Workflows' Workflow
 * (gitops-engine).
 */
final class ArgoChecks {
  private static final String OBSERVED = "Waiting for rollout spec update to be observed";

  private ArgoChecks() {}

  static Health workflow(Resource live) {
    Typed t = new Typed(live, "Workflow");
    String message = t.string("/status/message");
    return switch (t.string("/status/phase")) {
      case "", "Pending", "Running" -> Health.of(HealthStatus.PROGRESSING, message);
      case "Succeeded" -> Health.of(HealthStatus.HEALTHY, message);
      case "Failed", "Error" -> Health.of(HealthStatus.DEGRADED, message);
      default -> Health.of(HealthStatus.UNKNOWN, message);
    };
  }

  /**
   * The Rollout script: the spec must be observed ({@code status.observedGeneration} equal to
   * {@code metadata.generation}; a non-numeric or larger value is an old controller's hash and
   * counts as observed) and, with a {@code workloadRef}, the referenced workload's generation too;
   * then Argo Rollouts' own {@code status.phase}/{@code message} (Paused read as Suspended); for
   * older controllers the {@code InvalidSpec}, aborted and timed-out conditions, pauses, replica
   * counts and the strategy's cut-over.
   */
  static Health rollout(Resource live) {
    JsonNode obj = live.body();
    JsonNode status = obj.path("status");
    if (LuaValues.isNil(status)) {
      return Health.of(HealthStatus.PROGRESSING, OBSERVED);
    }
    OptionalDouble observed = LuaValues.toNumber(status.path("observedGeneration"));
    if (observed.isPresent()) {
      JsonNode generation = obj.path("metadata").path("generation");
      double g = number(generation, "compare");
      if (observed.getAsDouble() <= g && observed.getAsDouble() != g) {
        return Health.of(HealthStatus.PROGRESSING, OBSERVED);
      }
    }
    JsonNode annotations = obj.path("metadata").path("annotations");
    if (!LuaValues.isNil(obj.path("spec").path("workloadRef")) && !LuaValues.isNil(annotations)) {
      OptionalDouble workloadGen =
          LuaValues.toNumber(annotations.path("rollout.argoproj.io/workload-generation"));
      OptionalDouble seen = LuaValues.toNumber(status.path("workloadObservedGeneration"));
      if (!workloadGen.equals(seen)) {
        return Health.of(HealthStatus.PROGRESSING, OBSERVED);
      }
    }
    JsonNode phase = status.path("phase");
    if (!LuaValues.isNil(phase)) {
      String word = phase.isString() ? phase.stringValue() : phase.asString();
      HealthStatus s =
          word.equals("Paused")
              ? HealthStatus.SUSPENDED
              : HealthStatus.parse(word)
                  .orElseThrow(
                      () -> new GlidepathException("Lua returned an invalid health status"));
      return Health.of(s, text(status.path("message")));
    }
    JsonNode conditions = status.path("conditions");
    if (LuaValues.isNil(conditions) || !(conditions.isArray() || conditions.isObject())) {
      throw new GlidepathException(
          "bad argument #1 to ipairs (table expected, got " + LuaValues.typeName(conditions) + ")");
    }
    Iterable<JsonNode> list = conditions.isArray() ? conditions : java.util.List.of();
    for (JsonNode c : list) {
      String type = c.path("type").asString("");
      String reason = c.path("reason").asString("");
      if (type.equals("InvalidSpec")
          || (type.equals("Progressing")
              && (reason.equals("RolloutAborted") || reason.equals("ProgressDeadlineExceeded")))) {
        return Health.of(HealthStatus.DEGRADED, text(c.path("message")));
      }
    }
    JsonNode pauses = status.path("pauseConditions");
    if ((!LuaValues.isNil(pauses) && LuaValues.length(pauses) > 0)
        || LuaValues.truthy(obj.path("spec").path("paused"))) {
      return Health.of(HealthStatus.SUSPENDED, "Rollout is paused");
    }
    JsonNode podHash = status.path("currentPodHash");
    if (LuaValues.isNil(podHash)) {
      return Health.of(
          HealthStatus.PROGRESSING,
          "Waiting for rollout to finish: status has not been reconciled.");
    }
    JsonNode spec = LuaValues.index(obj, "spec");
    double desired = orDefault(LuaValues.index(spec, "replicas"), 1);
    double replicas = orDefault(status.path("replicas"), 0);
    double updated = orDefault(status.path("updatedReplicas"), 0);
    double available = orDefault(status.path("availableReplicas"), 0);
    if (updated < desired) {
      return Health.of(
          HealthStatus.PROGRESSING,
          "Waiting for roll out to finish: More replicas need to be updated");
    }
    if (available < updated) {
      return Health.of(
          HealthStatus.PROGRESSING,
          "Waiting for roll out to finish: updated replicas are still becoming available");
    }
    JsonNode stable = status.path("stableRS");
    if (LuaValues.isNil(stable)) {
      stable =
          LuaValues.isNil(status.path("canary")) ? null : status.path("canary").path("stableRS");
    }
    boolean stableEmpty = stable == null || (stable.isString() && stable.stringValue().isEmpty());
    JsonNode strategy = LuaValues.index(spec, "strategy");
    if (!LuaValues.isNil(LuaValues.index(strategy, "blueGreen"))) {
      JsonNode blueGreen = status.path("blueGreen");
      if (LuaValues.isNil(blueGreen)
          || !LuaValues.equal(blueGreen.path("activeSelector"), podHash)) {
        return Health.of(HealthStatus.PROGRESSING, "active service cutover pending");
      }
      if (!stableEmpty && !LuaValues.equal(stable, podHash)) {
        return Health.of(HealthStatus.PROGRESSING, "waiting for analysis to complete");
      }
    } else if (!LuaValues.isNil(strategy.path("canary"))) {
      if (replicas > updated) {
        return Health.of(
            HealthStatus.PROGRESSING,
            "Waiting for roll out to finish: old replicas are pending termination");
      }
      if (stableEmpty || !LuaValues.equal(stable, podHash)) {
        return Health.of(HealthStatus.PROGRESSING, "Waiting for rollout to finish steps");
      }
    }
    return Health.of(HealthStatus.HEALTHY, "");
  }

  private static double number(JsonNode n, String op) {
    if (!n.isNumber()) {
      throw new GlidepathException("attempt to " + op + " number with " + LuaValues.typeName(n));
    }
    return n.doubleValue();
  }

  private static double orDefault(JsonNode n, double dflt) {
    if (LuaValues.isNil(n)) {
      return dflt;
    }
    return number(n, "compare");
  }

  private static String text(JsonNode n) {
    return LuaValues.isNil(n) ? "" : n.asString();
  }
}

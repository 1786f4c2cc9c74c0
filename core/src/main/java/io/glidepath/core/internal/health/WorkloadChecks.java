package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/** gitops-engine's checks for the apps/v1 workloads, with its messages. */
final class WorkloadChecks {
  private WorkloadChecks() {}

  private static Health progressing(String message) {
    return Health.of(HealthStatus.PROGRESSING, message);
  }

  private static void requireAppsV1(Resource live) {
    if (!"apps/v1".equals(live.apiVersion())) {
      throw Typed.unsupported(live);
    }
  }

  private static JsonNode condition(Typed t, String type) {
    for (JsonNode c : t.list("/status/conditions")) {
      if (type.equals(t.string(c, "type", "status.conditions"))) {
        return c;
      }
    }
    return null;
  }

  static Health deployment(Resource live) {
    requireAppsV1(live);
    Typed t = new Typed(live, "Deployment");
    if (t.bool("/spec/paused")) {
      return Health.of(HealthStatus.SUSPENDED, "Deployment is paused");
    }
    if (t.integer("/metadata/generation") > t.integer("/status/observedGeneration")) {
      return progressing(
          "Waiting for rollout to finish: observed deployment generation less than desired"
              + " generation");
    }
    JsonNode cond = condition(t, "Progressing");
    long updated = t.integer("/status/updatedReplicas");
    long replicas = t.integer("/status/replicas");
    long available = t.integer("/status/availableReplicas");
    if (cond != null
        && "ProgressDeadlineExceeded".equals(t.string(cond, "reason", "status.conditions"))) {
      return Health.of(
          HealthStatus.DEGRADED,
          "Deployment " + Typed.quote(live.name()) + " exceeded its progress deadline");
    }
    if (t.has("/spec/replicas") && updated < t.integer("/spec/replicas")) {
      return progressing(
          "Waiting for rollout to finish: "
              + updated
              + " out of "
              + t.integer("/spec/replicas")
              + " new replicas have been updated...");
    }
    if (replicas > updated) {
      return progressing(
          "Waiting for rollout to finish: "
              + (replicas - updated)
              + " old replicas are pending termination...");
    }
    if (available < updated) {
      return progressing(
          "Waiting for rollout to finish: "
              + available
              + " of "
              + updated
              + " updated replicas are available...");
    }
    return Health.healthy();
  }

  static Health statefulSet(Resource live) {
    requireAppsV1(live);
    Typed t = new Typed(live, "StatefulSet");
    long observed = t.integer("/status/observedGeneration");
    if (observed == 0 || t.integer("/metadata/generation") > observed) {
      return progressing("Waiting for statefulset spec update to be observed...");
    }
    boolean hasReplicas = t.has("/spec/replicas");
    long replicas = t.integer("/spec/replicas");
    long ready = t.integer("/status/readyReplicas");
    long updated = t.integer("/status/updatedReplicas");
    if (hasReplicas && ready < replicas) {
      return progressing("Waiting for " + (replicas - ready) + " pods to be ready...");
    }
    String strategy = t.string("/spec/updateStrategy/type");
    if ("RollingUpdate".equals(strategy)
        && !t.object("/spec/updateStrategy/rollingUpdate").isMissingNode()) {
      if (hasReplicas && t.has("/spec/updateStrategy/rollingUpdate/partition")) {
        long target = replicas - t.integer("/spec/updateStrategy/rollingUpdate/partition");
        if (updated < target) {
          return progressing(
              "Waiting for partitioned roll out to finish: "
                  + updated
                  + " out of "
                  + target
                  + " new pods have been updated...");
        }
      }
      return Health.of(
          HealthStatus.HEALTHY,
          "partitioned roll out complete: " + updated + " new pods have been updated...");
    }
    if ("OnDelete".equals(strategy)) {
      return Health.of(HealthStatus.HEALTHY, "statefulset has " + ready + " ready pods");
    }
    String updateRevision = t.string("/status/updateRevision");
    String currentRevision = t.string("/status/currentRevision");
    if (!updateRevision.equals(currentRevision)) {
      return progressing(
          "waiting for statefulset rolling update to complete "
              + updated
              + " pods at revision "
              + updateRevision
              + "...");
    }
    return Health.of(
        HealthStatus.HEALTHY,
        "statefulset rolling update complete "
            + t.integer("/status/currentReplicas")
            + " pods at revision "
            + currentRevision
            + "...");
  }

  static Health daemonSet(Resource live) {
    requireAppsV1(live);
    Typed t = new Typed(live, "DaemonSet");
    if (t.integer("/metadata/generation") > t.integer("/status/observedGeneration")) {
      return progressing(
          "Waiting for rollout to finish: observed daemon set generation less than desired"
              + " generation");
    }
    long updated = t.integer("/status/updatedNumberScheduled");
    long desired = t.integer("/status/desiredNumberScheduled");
    long available = t.integer("/status/numberAvailable");
    if ("OnDelete".equals(t.string("/spec/updateStrategy/type"))) {
      return Health.of(
          HealthStatus.HEALTHY,
          "daemon set " + updated + " out of " + desired + " new pods have been updated");
    }
    if (updated < desired) {
      return progressing(
          "Waiting for daemon set "
              + Typed.quote(live.name())
              + " rollout to finish: "
              + updated
              + " out of "
              + desired
              + " new pods have been updated...");
    }
    if (available < desired) {
      return progressing(
          "Waiting for daemon set "
              + Typed.quote(live.name())
              + " rollout to finish: "
              + available
              + " of "
              + desired
              + " updated pods are available...");
    }
    return Health.healthy();
  }

  static Health replicaSet(Resource live) {
    requireAppsV1(live);
    Typed t = new Typed(live, "ReplicaSet");
    if (t.integer("/metadata/generation") > t.integer("/status/observedGeneration")) {
      return progressing(
          "Waiting for rollout to finish: observed replica set generation less than desired"
              + " generation");
    }
    JsonNode failure = condition(t, "ReplicaFailure");
    if (failure != null && "True".equals(t.string(failure, "status", "status.conditions"))) {
      return Health.of(HealthStatus.DEGRADED, t.string(failure, "message", "status.conditions"));
    }
    long available = t.integer("/status/availableReplicas");
    if (t.has("/spec/replicas") && available < t.integer("/spec/replicas")) {
      return progressing(
          "Waiting for rollout to finish: "
              + available
              + " out of "
              + t.integer("/spec/replicas")
              + " new replicas are available...");
    }
    return Health.healthy();
  }
}

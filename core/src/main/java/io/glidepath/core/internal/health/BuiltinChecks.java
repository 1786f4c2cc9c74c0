package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthCheck;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The built-in health checks, after the rules of Argo CD's gitops-engine and Argo Rollouts. */
public final class BuiltinChecks {
  private static final Set<String> POD_FAILURE_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "ErrImagePull",
          "ImagePullBackOff",
          "CreateContainerConfigError",
          "InvalidImageName",
          "CreateContainerError",
          "RunContainerError");

  private BuiltinChecks() {}

  public static String key(String group, String kind) {
    return group + "/" + kind;
  }

  public static Map<String, HealthCheck> all() {
    Map<String, HealthCheck> m = new LinkedHashMap<>();
    m.put(key("apps", "Deployment"), BuiltinChecks::deployment);
    m.put(key("apps", "StatefulSet"), BuiltinChecks::statefulSet);
    m.put(key("apps", "DaemonSet"), BuiltinChecks::daemonSet);
    m.put(key("apps", "ReplicaSet"), BuiltinChecks::replicaSet);
    m.put(key("", "Pod"), BuiltinChecks::pod);
    m.put(key("", "Service"), BuiltinChecks::service);
    m.put(key("networking.k8s.io", "Ingress"), BuiltinChecks::ingress);
    m.put(key("extensions", "Ingress"), BuiltinChecks::ingress);
    m.put(key("", "PersistentVolumeClaim"), BuiltinChecks::pvc);
    m.put(key("batch", "Job"), BuiltinChecks::job);
    m.put(key("batch", "CronJob"), BuiltinChecks::cronJob);
    m.put(key("autoscaling", "HorizontalPodAutoscaler"), BuiltinChecks::hpa);
    m.put(key("policy", "PodDisruptionBudget"), BuiltinChecks::pdb);
    m.put(key("", "Namespace"), BuiltinChecks::namespace);
    m.put(key("argoproj.io", "Rollout"), BuiltinChecks::rollout);
    return m;
  }

  private static long num(Resource r, String pointer, long dflt) {
    JsonNode n = r.at(pointer);
    return n.isNumber() ? n.longValue() : dflt;
  }

  private static String str(Resource r, String pointer) {
    JsonNode n = r.at(pointer);
    return n.isValueNode() && !n.isNull() ? n.asString() : "";
  }

  private static Optional<JsonNode> condition(Resource r, String type) {
    for (JsonNode c : r.at("/status/conditions")) {
      if (type.equals(c.path("type").asString(""))) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static boolean conditionIs(Resource r, String type, String status) {
    return condition(r, type).map(c -> status.equals(c.path("status").asString(""))).orElse(false);
  }

  private static String message(JsonNode condition) {
    return condition.path("message").asString(condition.path("reason").asString(""));
  }

  private static Health progressing(String message) {
    return Health.of(HealthStatus.PROGRESSING, message);
  }

  /** Generation not yet observed by the controller. */
  private static Optional<Health> notObserved(Resource r) {
    long generation = num(r, "/metadata/generation", 0);
    long observed = num(r, "/status/observedGeneration", generation);
    return observed < generation
        ? Optional.of(progressing("Waiting for the controller to observe generation " + generation))
        : Optional.empty();
  }

  static Health deployment(Resource r) {
    if (r.at("/spec/paused").asBoolean(false)) {
      return Health.of(HealthStatus.SUSPENDED, "Deployment is paused");
    }
    Optional<Health> pending = notObserved(r);
    if (pending.isPresent()) {
      return pending.get();
    }
    Optional<JsonNode> progressing = condition(r, "Progressing");
    if (progressing.isPresent()
        && "ProgressDeadlineExceeded".equals(progressing.get().path("reason").asString(""))) {
      return Health.of(
          HealthStatus.DEGRADED,
          "Deployment exceeded its progress deadline: " + message(progressing.get()));
    }
    long replicas = num(r, "/spec/replicas", 1);
    long updated = num(r, "/status/updatedReplicas", 0);
    long total = num(r, "/status/replicas", 0);
    long available = num(r, "/status/availableReplicas", 0);
    if (updated < replicas) {
      return progressing(
          "Waiting for rollout to finish: "
              + updated
              + " out of "
              + replicas
              + " new replicas have been updated");
    }
    if (total > updated) {
      return progressing(
          "Waiting for rollout to finish: "
              + (total - updated)
              + " old replicas are pending termination");
    }
    if (available < updated) {
      return progressing(
          "Waiting for rollout to finish: "
              + available
              + " of "
              + updated
              + " updated replicas are available");
    }
    return Health.healthy();
  }

  static Health statefulSet(Resource r) {
    Optional<Health> pending = notObserved(r);
    if (pending.isPresent()) {
      return pending.get();
    }
    if ("OnDelete".equals(str(r, "/spec/updateStrategy/type"))) {
      return Health.of(HealthStatus.HEALTHY, "OnDelete update strategy: pods are updated by hand");
    }
    long replicas = num(r, "/spec/replicas", 1);
    long ready = num(r, "/status/readyReplicas", 0);
    if (ready < replicas) {
      return progressing("Waiting for " + replicas + " pods to be ready, " + ready + " are");
    }
    long partition = num(r, "/spec/updateStrategy/rollingUpdate/partition", 0);
    long updated = num(r, "/status/updatedReplicas", 0);
    if (partition > 0) {
      return updated < replicas - partition
          ? progressing(
              "Waiting for partitioned rollout: "
                  + updated
                  + " of "
                  + (replicas - partition)
                  + " updated")
          : Health.of(
              HealthStatus.HEALTHY, "Partitioned rollout complete: " + updated + " new pods");
    }
    String current = str(r, "/status/currentRevision");
    String update = str(r, "/status/updateRevision");
    if (!update.isEmpty() && !update.equals(current)) {
      return progressing("Waiting for rolling update to complete: " + updated + " pods updated");
    }
    return Health.healthy();
  }

  static Health daemonSet(Resource r) {
    Optional<Health> pending = notObserved(r);
    if (pending.isPresent()) {
      return pending.get();
    }
    if ("OnDelete".equals(str(r, "/spec/updateStrategy/type"))) {
      return Health.of(HealthStatus.HEALTHY, "OnDelete update strategy: pods are updated by hand");
    }
    long desired = num(r, "/status/desiredNumberScheduled", 0);
    long updated = num(r, "/status/updatedNumberScheduled", 0);
    long available = num(r, "/status/numberAvailable", 0);
    if (updated < desired) {
      return progressing(updated + " of " + desired + " pods updated");
    }
    if (available < desired) {
      return progressing(available + " of " + desired + " updated pods available");
    }
    return Health.healthy();
  }

  static Health replicaSet(Resource r) {
    Optional<Health> pending = notObserved(r);
    if (pending.isPresent()) {
      return pending.get();
    }
    Optional<JsonNode> failure = condition(r, "ReplicaFailure");
    if (failure.isPresent() && "True".equals(failure.get().path("status").asString(""))) {
      return Health.of(HealthStatus.DEGRADED, message(failure.get()));
    }
    long replicas = num(r, "/spec/replicas", 1);
    long available = num(r, "/status/availableReplicas", 0);
    if (available < replicas) {
      return progressing("Waiting for " + replicas + " replicas, " + available + " available");
    }
    return Health.healthy();
  }

  static Health pod(Resource r) {
    String phase = str(r, "/status/phase");
    for (String list :
        new String[] {"/status/initContainerStatuses", "/status/containerStatuses"}) {
      for (JsonNode cs : r.at(list)) {
        String reason = cs.path("state").path("waiting").path("reason").asString("");
        if (POD_FAILURE_REASONS.contains(reason)) {
          return Health.of(
              HealthStatus.DEGRADED, "container " + cs.path("name").asString("") + ": " + reason);
        }
      }
    }
    switch (phase) {
      case "Pending":
        return progressing(
            str(r, "/status/reason").isEmpty() ? "Pod is pending" : str(r, "/status/reason"));
      case "Succeeded":
        return Health.of(HealthStatus.HEALTHY, "Pod completed");
      case "Failed":
        return Health.of(
            HealthStatus.DEGRADED,
            str(r, "/status/message").isEmpty() ? "Pod failed" : str(r, "/status/message"));
      case "Running":
        String restart = str(r, "/spec/restartPolicy");
        if (!restart.isEmpty() && !restart.equals("Always")) {
          return progressing("Pod is running to completion");
        }
        return conditionIs(r, "Ready", "True")
            ? Health.healthy()
            : progressing("Pod is running but not ready");
      default:
        return Health.of(
            HealthStatus.UNKNOWN, phase.isEmpty() ? "Pod has no phase" : "Pod phase " + phase);
    }
  }

  private static boolean hasLoadBalancerIngress(Resource r) {
    JsonNode ingress = r.at("/status/loadBalancer/ingress");
    return ingress.isArray() && !ingress.isEmpty();
  }

  static Health service(Resource r) {
    if (!"LoadBalancer".equals(str(r, "/spec/type"))) {
      return Health.healthy();
    }
    return hasLoadBalancerIngress(r)
        ? Health.healthy()
        : progressing("Waiting for the load balancer to get an address");
  }

  static Health ingress(Resource r) {
    return hasLoadBalancerIngress(r)
        ? Health.healthy()
        : progressing("Waiting for the ingress controller to assign an address");
  }

  static Health pvc(Resource r) {
    return switch (str(r, "/status/phase")) {
      case "Bound" -> Health.healthy();
      case "Pending" -> progressing("Waiting for a volume to be bound");
      case "Lost" -> Health.of(HealthStatus.DEGRADED, "The bound volume was lost");
      default -> Health.of(HealthStatus.UNKNOWN, "PersistentVolumeClaim phase unknown");
    };
  }

  static Health job(Resource r) {
    Optional<JsonNode> failed = condition(r, "Failed");
    if (failed.isPresent() && "True".equals(failed.get().path("status").asString(""))) {
      return Health.of(HealthStatus.DEGRADED, "Job failed: " + message(failed.get()));
    }
    if (conditionIs(r, "Complete", "True")) {
      return Health.of(HealthStatus.HEALTHY, "Job completed");
    }
    if (r.at("/spec/suspend").asBoolean(false)) {
      return Health.of(HealthStatus.SUSPENDED, "Job is suspended");
    }
    return progressing("Job is running");
  }

  static Health cronJob(Resource r) {
    if (r.at("/spec/suspend").asBoolean(false)) {
      return Health.of(HealthStatus.SUSPENDED, "CronJob is suspended");
    }
    String lastSchedule = str(r, "/status/lastScheduleTime");
    String lastSuccess = str(r, "/status/lastSuccessfulTime");
    boolean active = r.at("/status/active").isArray() && !r.at("/status/active").isEmpty();
    // RFC 3339 timestamps in UTC compare as strings
    if (!lastSchedule.isEmpty() && !active && lastSuccess.compareTo(lastSchedule) < 0) {
      return Health.of(HealthStatus.DEGRADED, "The last scheduled job did not succeed");
    }
    return Health.healthy();
  }

  static Health hpa(Resource r) {
    JsonNode conditions = r.at("/status/conditions");
    if (!conditions.isArray() || conditions.isEmpty()) {
      return progressing("Waiting for the autoscaler to report its conditions");
    }
    for (JsonNode c : conditions) {
      String type = c.path("type").asString("");
      if ((type.equals("AbleToScale") || type.equals("ScalingActive"))
          && "False".equals(c.path("status").asString(""))) {
        String reason = c.path("reason").asString("");
        if (reason.startsWith("Failed") || reason.startsWith("Invalid")) {
          return Health.of(HealthStatus.DEGRADED, message(c));
        }
      }
    }
    return Health.healthy();
  }

  static Health pdb(Resource r) {
    Optional<Health> pending = notObserved(r);
    if (pending.isPresent()) {
      return pending.get();
    }
    if (!r.at("/status/currentHealthy").isNumber()) {
      return progressing("Waiting for the disruption controller to report");
    }
    long current = num(r, "/status/currentHealthy", 0);
    long desired = num(r, "/status/desiredHealthy", 0);
    if (current < desired) {
      return Health.of(
          HealthStatus.DEGRADED,
          "Only " + current + " of " + desired + " required pods are healthy");
    }
    return Health.healthy();
  }

  static Health namespace(Resource r) {
    return switch (str(r, "/status/phase")) {
      case "Active", "" -> Health.healthy();
      case "Terminating" -> progressing("Namespace is terminating");
      default -> Health.of(HealthStatus.UNKNOWN, "Namespace phase " + str(r, "/status/phase"));
    };
  }

  static Health rollout(Resource r) {
    if (r.at("/status/abort").asBoolean(false)) {
      String msg = str(r, "/status/message");
      return Health.of(HealthStatus.DEGRADED, msg.isEmpty() ? "Rollout aborted" : msg);
    }
    // Argo Rollouts writes the observed generation as a string
    String observed = str(r, "/status/observedGeneration");
    long generation = num(r, "/metadata/generation", 0);
    if (!observed.isEmpty() && generation > 0 && !observed.equals(Long.toString(generation))) {
      return progressing("Waiting for the rollout controller to observe generation " + generation);
    }
    if (r.at("/spec/paused").asBoolean(false)
        || (r.at("/status/pauseConditions").isArray()
            && !r.at("/status/pauseConditions").isEmpty())) {
      return Health.of(HealthStatus.SUSPENDED, "Rollout is paused");
    }
    switch (str(r, "/status/phase")) {
      case "Degraded":
        return Health.of(HealthStatus.DEGRADED, str(r, "/status/message"));
      case "Paused":
        return Health.of(HealthStatus.SUSPENDED, str(r, "/status/message"));
      case "Progressing":
        return progressing(str(r, "/status/message"));
      case "Healthy":
        return Health.healthy();
      default:
        break;
    }
    long replicas = num(r, "/spec/replicas", 1);
    long updated = num(r, "/status/updatedReplicas", 0);
    long available = num(r, "/status/availableReplicas", 0);
    if (updated < replicas) {
      return progressing(updated + " of " + replicas + " replicas updated");
    }
    if (available < replicas) {
      return progressing(available + " of " + replicas + " replicas available");
    }
    return Health.healthy();
  }
}

package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/** gitops-engine's Job check and Argo CD's CronJob check (as of #24430), with their messages. */
final class BatchChecks {
  private BatchChecks() {}

  static Health job(Resource live) {
    if (!"batch/v1".equals(live.apiVersion())) {
      throw Typed.unsupported(live);
    }
    Typed t = new Typed(live, "Job");
    boolean failed = false;
    boolean complete = false;
    boolean suspended = false;
    String failMessage = "";
    String message = "";
    for (JsonNode c : t.list("/status/conditions")) {
      String type = t.string(c, "type", "status.conditions");
      switch (type) {
        case "Failed" -> {
          failed = true;
          complete = true;
          failMessage = t.string(c, "message", "status.conditions");
        }
        case "Complete" -> {
          complete = true;
          message = t.string(c, "message", "status.conditions");
        }
        case "Suspended" -> {
          complete = true;
          message = t.string(c, "message", "status.conditions");
          suspended |= "True".equals(t.string(c, "status", "status.conditions"));
        }
        default -> {}
      }
    }
    if (!complete) {
      return Health.of(HealthStatus.PROGRESSING, message);
    }
    if (failed) {
      return Health.of(HealthStatus.DEGRADED, failMessage);
    }
    if (suspended) {
      return Health.of(HealthStatus.SUSPENDED, failMessage);
    }
    return Health.of(HealthStatus.HEALTHY, message);
  }

  /**
   * Argo CD's CronJob script: a suspended CronJob is Healthy with a message (not Suspended, which
   * would suspend the whole app); the last run failed when its schedule is later than the last
   * success and no job is active. Timestamps compare as strings, as the script compares them.
   */
  static Health cronJob(Resource live) {
    JsonNode body = live.body();
    if (body.path("spec").path("suspend").isBoolean()
        && body.path("spec").path("suspend").booleanValue()) {
      return Health.of(HealthStatus.HEALTHY, "CronJob is Suspended");
    }
    JsonNode status = body.path("status");
    if (!status.isObject()) {
      return Health.of(HealthStatus.PROGRESSING, "Waiting for CronJob");
    }
    JsonNode lastSchedule = status.path("lastScheduleTime");
    if (LuaValues.isNil(lastSchedule)) {
      return Health.of(HealthStatus.HEALTHY, "CronJob has not been scheduled yet");
    }
    JsonNode lastSuccess = status.path("lastSuccessfulTime");
    if (LuaValues.isNil(lastSuccess)) {
      return Health.of(
          HealthStatus.HEALTHY, "The Cronjob never completed succesfully. It may not be healthy");
    }
    JsonNode active = status.path("active");
    if (!LuaValues.isNil(active) && LuaValues.length(active) > 0) {
      return Health.of(
          HealthStatus.HEALTHY,
          "The job is running. Its last execution may not have been successful");
    }
    if (LuaValues.lessThan(lastSuccess, lastSchedule)) {
      return Health.of(
          HealthStatus.DEGRADED, "CronJob has not completed its last execution successfully");
    }
    return Health.of(HealthStatus.HEALTHY, "CronJob has completed its last execution successfully");
  }
}

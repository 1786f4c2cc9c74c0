package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * gitops-engine's Pod check. Waiting containers (reasons {@code Err*}, {@code *Error}, {@code
 * *BackOff}) degrade the pod only under {@code restartPolicy: Always}: a hook pod whose image is
 * not there yet must not fail its sync phase. Pods with {@code OnFailure}/{@code Never} run to
 * completion and are Progressing while running, unless they carry Argo CD's {@code
 * argocd.argoproj.io/ignore-restart-policy} annotation (and are not hooks): those are judged as if
 * their policy were {@code Always}.
 */
final class PodCheck {
  static final String IGNORE_RESTART_POLICY = "argocd.argoproj.io/ignore-restart-policy";

  private PodCheck() {}

  static Health pod(Resource live) {
    if (!"v1".equals(live.apiVersion())) {
      throw Typed.unsupported(live);
    }
    Typed t = new Typed(live, "Pod");
    String policy = t.string("/spec/restartPolicy");
    boolean always =
        "Always".equals(policy)
            || (live.annotations().containsKey(IGNORE_RESTART_POLICY) && !Hooks.isHook(live));
    String message = t.string("/status/message");
    List<JsonNode> containers = t.list("/status/containerStatuses");
    if (always) {
      List<String> messages = new ArrayList<>();
      for (JsonNode cs : containers) {
        JsonNode waiting = cs.path("state").path("waiting");
        if (waiting.isObject()) {
          String reason = t.string(waiting, "reason", "status.containerStatuses.state.waiting");
          if (reason.startsWith("Err") || reason.endsWith("Error") || reason.endsWith("BackOff")) {
            messages.add(t.string(waiting, "message", "status.containerStatuses.state.waiting"));
          }
        }
      }
      if (!messages.isEmpty()) {
        return Health.of(HealthStatus.DEGRADED, String.join(", ", messages));
      }
    }
    switch (t.string("/status/phase")) {
      case "Pending":
        return Health.of(HealthStatus.PROGRESSING, message);
      case "Succeeded":
        return Health.of(HealthStatus.HEALTHY, message);
      case "Failed":
        if (!message.isEmpty()) {
          return Health.of(HealthStatus.DEGRADED, message);
        }
        List<JsonNode> all = new ArrayList<>(t.list("/status/initContainerStatuses"));
        all.addAll(containers);
        for (JsonNode c : all) {
          String fail = failMessage(t, c);
          if (!fail.isEmpty()) {
            return Health.of(HealthStatus.DEGRADED, fail);
          }
        }
        return Health.of(HealthStatus.DEGRADED, "");
      case "Running":
        if (always) {
          if (ready(t)) {
            return Health.of(HealthStatus.HEALTHY, message);
          }
          for (JsonNode cs : containers) {
            if (cs.path("lastState").path("terminated").isObject()) {
              return Health.of(HealthStatus.DEGRADED, message);
            }
          }
          return Health.of(HealthStatus.PROGRESSING, message);
        }
        if ("OnFailure".equals(policy) || "Never".equals(policy)) {
          return Health.of(HealthStatus.PROGRESSING, message);
        }
        break;
      default:
        break;
    }
    return Health.of(HealthStatus.UNKNOWN, message);
  }

  private static boolean ready(Typed t) {
    for (JsonNode c : t.list("/status/conditions")) {
      if ("Ready".equals(t.string(c, "type", "status.conditions"))) {
        return "True".equals(t.string(c, "status", "status.conditions"));
      }
    }
    return false;
  }

  private static String failMessage(Typed t, JsonNode container) {
    JsonNode term = container.path("state").path("terminated");
    if (!term.isObject()) {
      return "";
    }
    String where = "status.containerStatuses.state.terminated";
    String message = t.string(term, "message", where);
    if (!message.isEmpty()) {
      return message;
    }
    if ("OOMKilled".equals(t.string(term, "reason", where))) {
      return "OOMKilled";
    }
    long exit = t.integer(term.path("exitCode"), where + ".exitCode");
    if (exit != 0) {
      return "container "
          + Typed.quote(t.string(container, "name", "status.containerStatuses"))
          + " failed with exit code "
          + exit;
    }
    return "";
  }
}

package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/**
 * Java checks for the custom resources platform teams run most, from their projects' documented
 * status fields, answering as Argo CD's bundled Lua scripts for them answer (same statuses and
 * messages), so a cluster reads the same in Glidepath and in Argo CD without an {@code argocd-cm}.
 */
final class CustomResourceChecks {
  private CustomResourceChecks() {}

  private static Iterable<JsonNode> conditions(Resource live) {
    JsonNode c = live.body().path("status").path("conditions");
    return c.isArray() ? c : java.util.List.of();
  }

  private static boolean is(JsonNode c, String type, String status) {
    return type.equals(c.path("type").asString(null))
        && status.equals(c.path("status").asString(null));
  }

  private static String message(JsonNode c) {
    return c.path("message").isValueNode() ? c.path("message").asString() : "";
  }

  /** cert-manager Certificate: Issuing True first (Progressing), then Ready True/False. */
  static Health certificate(Resource live) {
    for (JsonNode c : conditions(live)) {
      if (is(c, "Issuing", "True")) {
        return Health.of(HealthStatus.PROGRESSING, message(c));
      }
    }
    for (JsonNode c : conditions(live)) {
      if (is(c, "Ready", "False")) {
        return Health.of(HealthStatus.DEGRADED, message(c));
      }
      if (is(c, "Ready", "True")) {
        return Health.of(HealthStatus.HEALTHY, message(c));
      }
    }
    return Health.of(HealthStatus.PROGRESSING, "Waiting for certificate");
  }

  /** cert-manager Issuer and ClusterIssuer: the Ready condition. */
  static Health issuer(Resource live) {
    for (JsonNode c : conditions(live)) {
      if (is(c, "Ready", "False")) {
        return Health.of(HealthStatus.DEGRADED, message(c));
      }
      if (is(c, "Ready", "True")) {
        return Health.of(HealthStatus.HEALTHY, message(c));
      }
    }
    return Health.of(HealthStatus.PROGRESSING, "Initializing issuer");
  }

  /**
   * Flux (Kustomization, HelmRelease, GitRepository, OCIRepository, HelmRepository, HelmChart,
   * Bucket): {@code spec.suspend} is Suspended; Ready Unknown while Reconciling is Progressing,
   * Ready True Healthy, anything else Degraded; the message is the Ready condition's reason.
   */
  static Health flux(Resource live) {
    JsonNode suspend = live.body().path("spec").path("suspend");
    if (suspend.isBoolean() && suspend.booleanValue()) {
      return Health.of(HealthStatus.SUSPENDED, live.kind() + " is suspended");
    }
    JsonNode list = live.body().path("status").path("conditions");
    if (LuaValues.isNil(list)) {
      return Health.of(HealthStatus.PROGRESSING, "Status unknown");
    }
    int progressing = 0;
    int succeeded = 0;
    String message = "";
    for (JsonNode c : conditions(live)) {
      String type = c.path("type").asString("");
      String status = c.path("status").asString("");
      if (type.equals("Ready")) {
        if (status.equals("True")) {
          succeeded++;
        } else if (status.equals("Unknown")) {
          progressing++;
        }
        message = c.path("reason").asString("");
      } else if (type.equals("Reconciling") && status.equals("True")) {
        progressing++;
      }
    }
    if (progressing == 2) {
      return Health.of(HealthStatus.PROGRESSING, message);
    }
    return Health.of(succeeded == 1 ? HealthStatus.HEALTHY : HealthStatus.DEGRADED, message);
  }

  /**
   * External Secrets ExternalSecret: the Ready condition; with {@code refreshPolicy: OnChange} only
   * a Ready condition not older than {@code status.refreshTime} counts.
   */
  static Health externalSecret(Resource live) {
    boolean onChange =
        "OnChange".equals(live.body().path("spec").path("refreshPolicy").asString(""));
    JsonNode refreshTime = live.body().path("status").path("refreshTime");
    for (JsonNode c : conditions(live)) {
      if (!"Ready".equals(c.path("type").asString(""))) {
        continue;
      }
      if (onChange && LuaValues.lessThan(c.path("lastTransitionTime"), refreshTime)) {
        continue;
      }
      String status = c.path("status").asString("");
      if (status.equals("False")) {
        return Health.of(HealthStatus.DEGRADED, message(c));
      }
      if (status.equals("True")) {
        return Health.of(HealthStatus.HEALTHY, message(c));
      }
      throw new io.glidepath.core.GlidepathException(
          "expect table output from Lua script, not nil");
    }
    return Health.of(HealthStatus.PROGRESSING, "Waiting for ExternalSecret");
  }

  /** Sealed Secrets SealedSecret: the Synced condition. */
  static Health sealedSecret(Resource live) {
    for (JsonNode c : conditions(live)) {
      if (is(c, "Synced", "False")) {
        return Health.of(HealthStatus.DEGRADED, message(c));
      }
      if (is(c, "Synced", "True")) {
        return Health.of(HealthStatus.HEALTHY, message(c));
      }
    }
    return Health.of(HealthStatus.PROGRESSING, "Waiting for Sealed Secret to be decrypted");
  }

  /**
   * KEDA ScaledObject: Ready False or Fallback True is Degraded; Ready True is Healthy, or
   * Suspended when Paused is True; the message is the last such condition's.
   */
  static Health scaledObject(Resource live) {
    boolean healthy = false;
    boolean degraded = false;
    boolean paused = false;
    String message = null;
    for (JsonNode c : conditions(live)) {
      if (is(c, "Ready", "False") || is(c, "Fallback", "True")) {
        degraded = true;
        message = message(c);
      } else if (is(c, "Ready", "True")) {
        healthy = true;
        message = message(c);
      } else if (is(c, "Paused", "True")) {
        paused = true;
        message = message(c);
      }
    }
    if (degraded) {
      return Health.of(HealthStatus.DEGRADED, message);
    }
    if (healthy) {
      return Health.of(paused ? HealthStatus.SUSPENDED : HealthStatus.HEALTHY, message);
    }
    return Health.of(HealthStatus.PROGRESSING, "Creating HorizontalPodAutoscaler Object");
  }

  /**
   * Crossplane (every {@code *.crossplane.io} and {@code *.upbound.io} kind: packages, providers,
   * compositions, managed resources): kinds without status are Healthy; LastAsyncOperation or
   * Synced False is Degraded; Ready, Healthy, Offered, Established, ValidPipeline or
   * RevisionHealthy True is Healthy; otherwise Progressing.
   */
  static Health crossplane(Resource live) {
    Health provisioning = Health.of(HealthStatus.PROGRESSING, "Provisioning ...");
    JsonNode status = live.body().path("status");
    boolean emptyStatus = LuaValues.isNil(status) || (status.isObject() && status.isEmpty());
    java.util.Set<String> noStatus =
        java.util.Set.of(
            "Composition",
            "CompositionRevision",
            "DeploymentRuntimeConfig",
            "ClusterProviderConfig",
            "ProviderConfig",
            "ProviderConfigUsage",
            "ControllerConfig");
    if (LuaValues.isNil(status) || (emptyStatus && noStatus.contains(live.kind()))) {
      return Health.of(HealthStatus.HEALTHY, "Resource is up-to-date.");
    }
    if (emptyStatus || LuaValues.isNil(status.path("conditions"))) {
      if ((live.kind().equals("ProviderConfig") || live.kind().equals("ClusterProviderConfig"))
          && !LuaValues.isNil(status.path("users"))) {
        return Health.of(HealthStatus.HEALTHY, "Resource is in use.");
      }
      return provisioning;
    }
    java.util.Set<String> healthy =
        java.util.Set.of(
            "Ready", "Healthy", "Offered", "Established", "ValidPipeline", "RevisionHealthy");
    for (JsonNode c : conditions(live)) {
      if (is(c, "LastAsyncOperation", "False") || is(c, "Synced", "False")) {
        return Health.of(HealthStatus.DEGRADED, message(c));
      }
      if (healthy.contains(c.path("type").asString(""))
          && "True".equals(c.path("status").asString(""))) {
        return Health.of(HealthStatus.HEALTHY, "Resource is up-to-date.");
      }
    }
    return provisioning;
  }

  /**
   * Knative Service: Healthy when ConfigurationsReady, RoutesReady and Ready are all True;
   * otherwise each False or Unknown condition is described, one per line, and any False degrades.
   */
  static Health knativeService(Resource live) {
    JsonNode list = live.body().path("status").path("conditions");
    if (LuaValues.isNil(list)) {
      return Health.of(HealthStatus.PROGRESSING, "Waiting for status update.");
    }
    int ok = 0;
    int failed = 0;
    int unknown = 0;
    StringBuilder message = new StringBuilder();
    for (JsonNode c : conditions(live)) {
      String type = c.path("type").asString("");
      String status = c.path("status").asString("");
      if (status.equals("True")
          && (type.equals("ConfigurationsReady")
              || type.equals("RoutesReady")
              || type.equals("Ready"))) {
        ok++;
      } else if (status.equals("False") || status.equals("Unknown")) {
        message.append(type).append(" is ").append(status);
        String reason = c.path("reason").asString("");
        if (!reason.isEmpty()) {
          message.append(", since ").append(reason).append('.');
        }
        String m = message(c);
        if (!m.isEmpty()) {
          message.append(' ').append(m);
        }
        message.append('\n');
        if (status.equals("False")) {
          failed++;
        } else {
          unknown++;
        }
      }
    }
    if (ok == 3 && failed == 0 && unknown == 0) {
      return Health.of(HealthStatus.HEALTHY, "Knative Service is healthy.");
    }
    return Health.of(
        failed > 0 ? HealthStatus.DEGRADED : HealthStatus.PROGRESSING, message.toString());
  }

  /** Strimzi Kafka: NotReady True (other than while Creating) is Degraded; Ready True Healthy. */
  static Health kafka(Resource live) {
    for (JsonNode c : conditions(live)) {
      if (is(c, "NotReady", "True") && !"Creating".equals(c.path("reason").asString(null))) {
        return Health.of(HealthStatus.DEGRADED, message(c));
      }
      if (is(c, "Ready", "True")) {
        return Health.of(HealthStatus.HEALTHY, "");
      }
    }
    return Health.of(HealthStatus.PROGRESSING, "Waiting for Kafka Cluster");
  }

  /**
   * Prometheus Operator Prometheus, PrometheusAgent, Alertmanager and ThanosRuler: the Available
   * condition (SomePodsNotReady is Progressing); the last one listed wins.
   */
  static Health prometheusOperator(Resource live) {
    Health health = Health.of(HealthStatus.PROGRESSING, "Waiting for initialization");
    for (JsonNode c : conditions(live)) {
      if (!"Available".equals(c.path("type").asString(""))) {
        continue;
      }
      if ("True".equals(c.path("status").asString(""))) {
        health = Health.of(HealthStatus.HEALTHY, "All instances are available");
      } else {
        String reason = c.path("reason").asString("");
        String m = c.path("message").isValueNode() ? c.path("message").asString() : reason;
        health =
            Health.of(
                reason.equals("SomePodsNotReady")
                    ? HealthStatus.PROGRESSING
                    : HealthStatus.DEGRADED,
                m);
      }
    }
    return health;
  }
}

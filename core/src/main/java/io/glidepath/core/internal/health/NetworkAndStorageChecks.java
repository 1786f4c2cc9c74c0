package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import tools.jackson.databind.JsonNode;

/** gitops-engine's checks for Service, Ingress, PersistentVolumeClaim and APIService. */
final class NetworkAndStorageChecks {
  private NetworkAndStorageChecks() {}

  static Health service(Resource live) {
    if (!"v1".equals(live.apiVersion())) {
      throw Typed.unsupported(live);
    }
    Typed t = new Typed(live, "Service");
    if ("LoadBalancer".equals(t.string("/spec/type"))
        && t.list("/status/loadBalancer/ingress").isEmpty()) {
      return Health.of(HealthStatus.PROGRESSING, "");
    }
    return Health.healthy();
  }

  /** Any Ingress version: gitops-engine reads the list unstructured. */
  static Health ingress(Resource live) {
    JsonNode ingress = live.at("/status/loadBalancer/ingress");
    return ingress.isArray() && !ingress.isEmpty()
        ? Health.healthy()
        : Health.of(HealthStatus.PROGRESSING, "");
  }

  static Health persistentVolumeClaim(Resource live) {
    if (!"v1".equals(live.apiVersion())) {
      throw Typed.unsupported(live);
    }
    Typed t = new Typed(live, "PersistentVolumeClaim");
    HealthStatus status =
        switch (t.string("/status/phase")) {
          case "Lost" -> HealthStatus.DEGRADED;
          case "Pending" -> HealthStatus.PROGRESSING;
          case "Bound" -> HealthStatus.HEALTHY;
          default -> HealthStatus.UNKNOWN;
        };
    return Health.of(status, "");
  }

  static Health apiService(Resource live) {
    String v = live.apiVersion();
    if (!v.equals("apiregistration.k8s.io/v1") && !v.equals("apiregistration.k8s.io/v1beta1")) {
      throw Typed.unsupported(live);
    }
    Typed t = new Typed(live, "APIService");
    for (JsonNode c : t.list("/status/conditions")) {
      if ("Available".equals(t.string(c, "type", "status.conditions"))) {
        String message =
            t.string(c, "reason", "status.conditions")
                + ": "
                + t.string(c, "message", "status.conditions");
        return Health.of(
            "True".equals(t.string(c, "status", "status.conditions"))
                ? HealthStatus.HEALTHY
                : HealthStatus.PROGRESSING,
            message);
      }
    }
    return Health.of(HealthStatus.PROGRESSING, "Waiting to be processed");
  }
}

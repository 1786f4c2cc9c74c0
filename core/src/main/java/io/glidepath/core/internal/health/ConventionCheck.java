package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The generic check for kinds no other check covers: the status conventions most controllers follow
 * (Kubernetes API conventions, kstatus). An object that follows none of them (no {@code
 * status.observedGeneration}, no {@code Ready}, {@code Available}, {@code Reconciling} or {@code
 * Stalled} condition) has no health.
 *
 * <ol>
 *   <li>{@code status.observedGeneration} below {@code metadata.generation}: Progressing.
 *   <li>{@code Stalled} True: Degraded.
 *   <li>{@code Reconciling} True: Progressing.
 *   <li>{@code Ready}, else {@code Available}: True Healthy, False Degraded, Unknown Progressing.
 *   <li>Otherwise (an up-to-date {@code observedGeneration}, Reconciling and Stalled False):
 *       Healthy.
 * </ol>
 *
 * <p>Messages are the condition's message, or its reason when it has none.
 */
final class ConventionCheck {
  static final String NAME = "conventions";

  private ConventionCheck() {}

  static Optional<Health> assess(Resource live) {
    JsonNode status = live.body().path("status");
    JsonNode observed = status.path("observedGeneration");
    boolean hasObserved = observed.isIntegralNumber();
    JsonNode stalled = null;
    JsonNode reconciling = null;
    JsonNode ready = null;
    JsonNode available = null;
    for (JsonNode c : status.path("conditions")) {
      if (!c.isObject() || !c.path("type").isString()) {
        continue;
      }
      switch (c.path("type").stringValue()) {
        case "Stalled" -> stalled = c;
        case "Reconciling" -> reconciling = c;
        case "Ready" -> ready = c;
        case "Available" -> available = c;
        default -> {}
      }
    }
    if (!hasObserved
        && stalled == null
        && reconciling == null
        && ready == null
        && available == null) {
      return Optional.empty();
    }
    JsonNode generation = live.body().path("metadata").path("generation");
    if (hasObserved
        && generation.isIntegralNumber()
        && observed.longValue() < generation.longValue()) {
      return Optional.of(
          Health.of(
              HealthStatus.PROGRESSING,
              "Waiting for the controller to observe generation "
                  + generation.longValue()
                  + " (observed "
                  + observed.longValue()
                  + ")"));
    }
    if (isTrue(stalled)) {
      return Optional.of(Health.of(HealthStatus.DEGRADED, message(stalled)));
    }
    if (isTrue(reconciling)) {
      return Optional.of(Health.of(HealthStatus.PROGRESSING, message(reconciling)));
    }
    JsonNode c = ready != null ? ready : available;
    if (c != null) {
      String s = c.path("status").asString("");
      HealthStatus hs =
          switch (s) {
            case "True" -> HealthStatus.HEALTHY;
            case "False" -> HealthStatus.DEGRADED;
            default -> HealthStatus.PROGRESSING;
          };
      return Optional.of(Health.of(hs, message(c)));
    }
    return Optional.of(Health.healthy());
  }

  private static boolean isTrue(JsonNode c) {
    return c != null && "True".equals(c.path("status").asString(""));
  }

  private static String message(JsonNode c) {
    String m = c.path("message").asString("");
    return m.isEmpty() ? c.path("reason").asString("") : m;
  }
}

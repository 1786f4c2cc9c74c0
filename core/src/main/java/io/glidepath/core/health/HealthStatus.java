package io.glidepath.core.health;

import java.util.Collection;

/**
 * The health of a resource or an application, ordered from best to worst as Argo CD orders it:
 * Healthy, Suspended, Progressing, Missing, Degraded, Unknown.
 *
 * <pre>{@code
 * HealthStatus.DEGRADED.isWorseThan(HealthStatus.PROGRESSING); // true
 * HealthStatus.worst(List.of(HEALTHY, PROGRESSING));          // PROGRESSING
 * }</pre>
 */
public enum HealthStatus {
  /** Running as declared. */
  HEALTHY("Healthy"),
  /** Paused on purpose (a paused rollout, a suspended CronJob). */
  SUSPENDED("Suspended"),
  /** Not yet healthy, but may become so (a rollout in progress, a pending volume claim). */
  PROGRESSING("Progressing"),
  /** Declared in Git, absent in the cluster. */
  MISSING("Missing"),
  /** Failed, or cannot become healthy without a change (deadline exceeded, crash loop). */
  DEGRADED("Degraded"),
  /** The health could not be assessed. */
  UNKNOWN("Unknown");

  private final String displayName;

  HealthStatus(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** Whether this status is more severe than {@code other}. */
  public boolean isWorseThan(HealthStatus other) {
    return compareTo(other) > 0;
  }

  /** The most severe of {@code statuses}; {@link #HEALTHY} when empty. */
  public static HealthStatus worst(Collection<HealthStatus> statuses) {
    HealthStatus worst = HEALTHY;
    for (HealthStatus s : statuses) {
      if (s.isWorseThan(worst)) {
        worst = s;
      }
    }
    return worst;
  }
}

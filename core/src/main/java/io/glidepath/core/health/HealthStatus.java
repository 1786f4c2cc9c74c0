package io.glidepath.core.health;

import java.util.Collection;
import java.util.Optional;

/**
 * The health of a resource or an application, ordered from best to worst as Argo CD orders it:
 * Healthy, Suspended, Progressing, Missing, Degraded, Unknown.
 *
 * <pre>{@code
 * HealthStatus.DEGRADED.isWorseThan(HealthStatus.PROGRESSING); // true
 * HealthStatus.worst(List.of(HEALTHY, PROGRESSING));          // PROGRESSING
 * HealthStatus.parse("Degraded");                             // Optional[DEGRADED]
 * }</pre>
 */
public enum HealthStatus {
  /** Running as declared. */
  HEALTHY("Healthy"),
  /** Paused on purpose (a paused Deployment or Rollout, a suspended Job). */
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

  /** Argo CD's word for this status ({@code "Healthy"}). */
  public String displayName() {
    return displayName;
  }

  /** The status Argo CD spells {@code word} (exact case, as Argo CD compares), if any. */
  public static Optional<HealthStatus> parse(String word) {
    for (HealthStatus s : values()) {
      if (s.displayName.equals(word)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
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

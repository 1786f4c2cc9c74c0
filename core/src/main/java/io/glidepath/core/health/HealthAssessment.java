package io.glidepath.core.health;

import java.util.Objects;
import java.util.Optional;

/**
 * The health of one live resource and the check that answered, as {@link HealthAssessor#explain}
 * gives it.
 *
 * @param health the health; empty when no check answers for the resource's kind (Argo CD then
 *     reports no health for it)
 * @param origin the check that answered; {@link CheckOrigin#NONE} when none did
 */
public record HealthAssessment(Optional<Health> health, CheckOrigin origin) {
  public HealthAssessment {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(origin, "origin");
  }

  /** An answer by {@code origin}. */
  public static HealthAssessment of(Health health, CheckOrigin origin) {
    return new HealthAssessment(Optional.of(health), origin);
  }

  /** No check answers. */
  public static HealthAssessment none() {
    return new HealthAssessment(Optional.empty(), CheckOrigin.NONE);
  }
}

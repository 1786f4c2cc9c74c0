package io.glidepath.core.health;

import java.util.Objects;

/**
 * A health status with a message saying why ({@code "Waiting for rollout to finish: 3 of 10 updated
 * replicas are available"}).
 *
 * @param status the status
 * @param message why, for people; {@code ""} when there is nothing to say
 */
public record Health(HealthStatus status, String message) {
  public Health {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  public static Health healthy() {
    return new Health(HealthStatus.HEALTHY, "");
  }

  public static Health of(HealthStatus status, String message) {
    return new Health(status, message);
  }

  @Override
  public String toString() {
    return message.isEmpty() ? status.displayName() : status.displayName() + ": " + message;
  }
}

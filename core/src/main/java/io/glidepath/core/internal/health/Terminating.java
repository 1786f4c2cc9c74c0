package io.glidepath.core.internal.health;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Health of an object being deleted ({@code metadata.deletionTimestamp} set), as Argo CD answers
 * since its checks run for terminating objects: always Progressing; the message is the check's when
 * a check given by the user answers the deletion, the finalizers still pending for the kinds Argo
 * CD checks with its bundled scripts, and {@code "Pending deletion"} otherwise. An object held by
 * Argo CD's hook finalizer is not terminating here: its check judges it as usual.
 */
public final class Terminating {
  static final String PENDING_DELETION = "Pending deletion";

  /** What a check's kind answers while its objects are deleted. */
  public enum Answer {
    /** Progressing, "Pending deletion" (Argo CD's Go checks, kinds without a check). */
    PENDING_DELETION,
    /**
     * Progressing, "Pending deletion; blocked by finalizers: a, b" (the deletion branch of Argo
     * CD's bundled Lua scripts, which Glidepath's Java checks for those kinds answer as).
     */
    BLOCKED_BY_FINALIZERS,
    /**
     * The check runs; its answer counts when it is Progressing with a message, otherwise
     * Progressing, "Pending deletion" (checks written without a deletion branch).
     */
    RUN_CHECK
  }

  private Terminating() {}

  /** Whether health treats {@code live} as being deleted. */
  static boolean is(Resource live) {
    return !live.body().path("metadata").path("deletionTimestamp").asString("").isEmpty()
        && !Hooks.hasHookFinalizer(live);
  }

  static Health pendingDeletion() {
    return Health.of(HealthStatus.PROGRESSING, PENDING_DELETION);
  }

  /** The answer of the deletion branch of Argo CD's bundled scripts. */
  static Health blockedBy(Resource live) {
    List<String> finalizers = new ArrayList<>();
    for (JsonNode f : live.body().path("metadata").path("finalizers")) {
      if (f.isValueNode()) {
        finalizers.add(f.asString(""));
      }
    }
    return finalizers.isEmpty()
        ? pendingDeletion()
        : Health.of(
            HealthStatus.PROGRESSING,
            PENDING_DELETION + "; blocked by finalizers: " + String.join(", ", finalizers));
  }

  /** A user's check's answer for a terminating object. */
  static Health fromCheck(Health answer) {
    return answer.status() == HealthStatus.PROGRESSING && !answer.message().isBlank()
        ? answer
        : pendingDeletion();
  }
}

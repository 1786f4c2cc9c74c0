package io.glidepath.rollout.driver;

import io.glidepath.analysis.Measurement;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something a {@link RolloutDriver} did or saw, for {@link RolloutListener}s.
 *
 * @param namespace the rollout's namespace
 * @param rollout the rollout's name
 * @param type what happened
 * @param at when (on the driver's clock)
 * @param stepIndex the step index at that moment
 * @param weight the canary weight at that moment
 * @param message details: the step, the verdict, the reason
 * @param metric the metric of a measurement event
 * @param measurement the measurement of a measurement event
 */
public record RolloutEvent(
    String namespace,
    String rollout,
    Type type,
    Instant at,
    int stepIndex,
    int weight,
    String message,
    Optional<String> metric,
    Optional<Measurement> measurement) {
  /** The kinds of event. */
  public enum Type {
    /** A new revision started rolling out. */
    STARTED,
    /** A step started. */
    STEP_STARTED,
    /** The traffic router's canary weight was written. */
    WEIGHT_CHANGED,
    /** The rollout paused (indefinite pause, inconclusive analysis, user). */
    PAUSED,
    /** The rollout continues after a pause. */
    RESUMED,
    /** An analysis (step or background) started. */
    ANALYSIS_STARTED,
    /** A measurement was taken. */
    MEASUREMENT,
    /** An analysis completed with a verdict. */
    ANALYSIS_COMPLETED,
    /** The rollout was aborted and rolled back. */
    ABORTED,
    /**
     * The update made no progress (a ReplicaSet did not become available) within
     * progressDeadlineSeconds; with progressDeadlineAbort an ABORTED event follows.
     */
    PROGRESS_DEADLINE_EXCEEDED,
    /** The canary became stable. */
    PROMOTED,
    /** Acting failed (API server, traffic router); the driver retries after the poll interval. */
    ERROR
  }

  public RolloutEvent {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(measurement, "measurement");
  }

  @Override
  public String toString() {
    return at
        + " "
        + namespace
        + "/"
        + rollout
        + " "
        + type
        + " step "
        + stepIndex
        + " weight "
        + weight
        + (message.isEmpty() ? "" : ": " + message);
  }
}

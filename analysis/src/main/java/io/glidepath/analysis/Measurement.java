package io.glidepath.analysis;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One completed measurement of a metric: its phase, when it was taken, the value the provider
 * returned (absent on error) and a message (the error, or empty).
 *
 * <p>Build histories for {@link AnalysisEvaluator} in tests with {@code
 * Measurement.of(AnalysisPhase.FAILED)}. Immutable.
 *
 * @param phase Successful, Failed, Inconclusive or Error
 * @param startedAt when the measurement started
 * @param finishedAt when it finished
 * @param value the provider's value, if the provider returned one
 * @param message the error or another note; empty if none
 */
public record Measurement(
    AnalysisPhase phase,
    Instant startedAt,
    Instant finishedAt,
    Optional<MetricValue> value,
    String message) {
  public Measurement {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(message, "message");
    if (!phase.isCompleted()) {
      throw new IllegalArgumentException("phase must be a completed phase, but was " + phase);
    }
    if (finishedAt.isBefore(startedAt)) {
      throw new IllegalArgumentException(
          "finishedAt must not be before startedAt " + startedAt + ", but was " + finishedAt);
    }
  }

  /** A measurement with the given phase, no value, at the epoch: for evaluator tests. */
  public static Measurement of(AnalysisPhase phase) {
    return new Measurement(phase, Instant.EPOCH, Instant.EPOCH, Optional.empty(), "");
  }

  /** A measurement at {@code at} with a value. */
  public static Measurement of(AnalysisPhase phase, Instant at, MetricValue value) {
    return new Measurement(phase, at, at, Optional.of(value), "");
  }

  /** An errored measurement at {@code at}. */
  public static Measurement error(Instant at, String message) {
    return new Measurement(AnalysisPhase.ERROR, at, at, Optional.empty(), message);
  }
}

package io.glidepath.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The state of one metric in an analysis: its phase, counters and the retained measurements.
 *
 * <p>Counters follow Argo Rollouts: {@code count} counts Successful, Failed and Inconclusive
 * measurements (errors do not count); {@code consecutiveError} resets on any non-error measurement;
 * {@code consecutiveSuccess} resets on any measurement that is not Successful. Only the newest
 * measurements are retained (10 unless the template's {@code measurementRetention} says otherwise);
 * the counters cover all of them.
 *
 * <p>Immutable. Produced by {@link AnalysisEvaluator}.
 *
 * @param name the metric's name
 * @param phase the metric's phase
 * @param measurements the retained measurements, oldest first
 * @param count Successful + Failed + Inconclusive measurements
 * @param successful number of Successful measurements
 * @param failed number of Failed measurements
 * @param inconclusive number of Inconclusive measurements
 * @param error number of Error measurements
 * @param consecutiveError errors since the last non-error measurement
 * @param consecutiveSuccess successes since the last measurement that was not Successful
 * @param message why the metric is in its phase (e.g. {@code failed (3) > failureLimit (2)}), or
 *     the last measurement's error; empty if none
 * @param dryRun true if the metric runs in dry-run mode and does not affect the run's phase
 */
public record MetricResult(
    String name,
    AnalysisPhase phase,
    List<Measurement> measurements,
    int count,
    int successful,
    int failed,
    int inconclusive,
    int error,
    int consecutiveError,
    int consecutiveSuccess,
    String message,
    boolean dryRun) {
  public MetricResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    measurements = List.copyOf(measurements);
  }

  /** The result of a metric that has no measurement yet. */
  public static MetricResult pending(String name, boolean dryRun) {
    return new MetricResult(
        name, AnalysisPhase.PENDING, List.of(), 0, 0, 0, 0, 0, 0, 0, "", dryRun);
  }

  /** Total measurements taken, errors included. */
  public int measurementsTaken() {
    return count + error;
  }

  MetricResult with(AnalysisPhase newPhase, String newMessage) {
    return new MetricResult(
        name,
        newPhase,
        measurements,
        count,
        successful,
        failed,
        inconclusive,
        error,
        consecutiveError,
        consecutiveSuccess,
        newMessage,
        dryRun);
  }
}

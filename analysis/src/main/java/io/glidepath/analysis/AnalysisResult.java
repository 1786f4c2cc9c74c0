package io.glidepath.analysis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome (or current state) of an analysis: the run's phase, each metric's result and a
 * message naming the metric that decided a failed, errored or inconclusive run.
 *
 * <p>Immutable.
 *
 * @param phase the run's phase: the worst completed non-dry-run metric's, or Running
 * @param metrics the metrics' results, in template order
 * @param message e.g. {@code Metric "success-rate" assessed Failed due to failed (3) > failureLimit
 *     (2)}; empty when there is nothing to say
 */
public record AnalysisResult(AnalysisPhase phase, List<MetricResult> metrics, String message) {
  public AnalysisResult {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    metrics = List.copyOf(metrics);
  }

  /** The result of the metric named {@code name}. */
  public Optional<MetricResult> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** True when the run has completed. */
  public boolean isCompleted() {
    return phase.isCompleted();
  }
}

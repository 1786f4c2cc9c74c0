package io.glidepath.analysis.provider;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.MetricValue;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider has seen when it starts or polls a measurement: a value for the metric's
 * conditions to judge, a verdict it reached itself, or "still running, look again later".
 *
 * <p>Most providers answer at once with a {@link Value} (Prometheus, Datadog, ...). Argo's {@code
 * job} provider judges by the Job's outcome and {@code kayenta} by its score thresholds: they give
 * a {@link Judged} verdict and their templates' conditions are not evaluated, as in Argo Rollouts.
 * A measurement that takes time (a Job that runs, a Kayenta judgement) is {@link Running}: the run
 * polls it again after {@link Running#pollAfter()}.
 */
public sealed interface Observation
    permits Observation.Value, Observation.Judged, Observation.Running {

  /** A value; the metric's success and failure conditions judge it. */
  record Value(MetricValue value) implements Observation {
    public Value {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A verdict the provider reached itself; the metric's conditions are not evaluated.
   *
   * @param phase Successful, Failed or Inconclusive (a provider that cannot measure throws {@link
   *     MetricProviderException} instead)
   * @param value the value to record, if any
   * @param message a note for people (e.g. which Job failed), or empty
   */
  record Judged(AnalysisPhase phase, Optional<MetricValue> value, String message)
      implements Observation {
    public Judged {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(message, "message");
      if (phase != AnalysisPhase.SUCCESSFUL
          && phase != AnalysisPhase.FAILED
          && phase != AnalysisPhase.INCONCLUSIVE) {
        throw new IllegalArgumentException(
            "phase must be Successful, Failed or Inconclusive, but was " + phase);
      }
    }
  }

  /**
   * The measurement is still being taken.
   *
   * @param pollAfter how long to wait before {@link MetricProvider#poll} looks again; > 0
   * @param metadata what the provider needs to find its measurement again (Argo's measurement
   *     metadata, e.g. {@code job-name}); never secret
   */
  record Running(Duration pollAfter, Map<String, String> metadata) implements Observation {
    public Running {
      Objects.requireNonNull(pollAfter, "pollAfter");
      if (pollAfter.isNegative() || pollAfter.isZero()) {
        throw new IllegalArgumentException("pollAfter must be > 0, but was " + pollAfter);
      }
      metadata = Map.copyOf(metadata);
    }
  }

  /** A value for the conditions to judge. */
  static Observation value(MetricValue value) {
    return new Value(value);
  }

  /** A verdict without a value. */
  static Observation judged(AnalysisPhase phase, String message) {
    return new Judged(phase, Optional.empty(), message);
  }

  /** A verdict with a value. */
  static Observation judged(AnalysisPhase phase, MetricValue value, String message) {
    return new Judged(phase, Optional.of(value), message);
  }

  /** Still running; poll again after {@code pollAfter}. */
  static Observation running(Duration pollAfter, Map<String, String> metadata) {
    return new Running(pollAfter, metadata);
  }
}

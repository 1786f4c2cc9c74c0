package io.glidepath.analysis.provider;

import io.glidepath.analysis.Metric;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.RunIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * What a provider is asked to measure: the (resolved) metric, the time the measurement stands for,
 * the run it belongs to and which attempt of the metric it is.
 *
 * <p>In a live run {@code evaluationTime} is the scheduler's now; when replaying history it is the
 * past instant the measurement stands for, and providers that can (Prometheus) query at that time.
 *
 * @param template the template's name, for messages
 * @param metric the metric with its arguments substituted
 * @param evaluationTime the instant the measurement stands for
 * @param run the run taking the measurement
 * @param attempt 1 for the metric's first measurement, then one more for every measurement taken,
 *     errors included (Argo numbers its Jobs {@code <run uid>.<metric>.<attempt>} this way)
 */
public record MeasurementRequest(
    String template, Metric metric, Instant evaluationTime, RunIdentity run, int attempt) {
  public MeasurementRequest {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(evaluationTime, "evaluationTime");
    Objects.requireNonNull(run, "run");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, but was " + attempt);
    }
  }

  /** A first attempt in a run named after the template. */
  public MeasurementRequest(String template, Metric metric, Instant evaluationTime) {
    this(template, metric, evaluationTime, RunIdentity.of(template), 1);
  }

  /** The metric's provider block. */
  public ProviderSpec provider() {
    return metric.provider();
  }
}

package io.glidepath.analysis.provider;

import io.glidepath.analysis.Metric;
import io.glidepath.analysis.ProviderSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * What a provider is asked to measure: the (resolved) metric and the time the measurement stands
 * for.
 *
 * <p>In a live run {@code evaluationTime} is the scheduler's now; when replaying history it is the
 * past instant the measurement stands for, and providers that can (Prometheus) query at that time.
 *
 * @param template the template's name, for messages
 * @param metric the metric with its arguments substituted
 * @param evaluationTime the instant the measurement stands for
 */
public record MeasurementRequest(String template, Metric metric, Instant evaluationTime) {
  public MeasurementRequest {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(evaluationTime, "evaluationTime");
  }

  /** The metric's provider block. */
  public ProviderSpec provider() {
    return metric.provider();
  }
}

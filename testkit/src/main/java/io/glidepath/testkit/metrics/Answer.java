package io.glidepath.testkit.metrics;

import java.util.Objects;

/**
 * What a backend of {@link FakeMetricsServer} answers to a query, rendered in that backend's
 * documented response shape: values, no data, an error with a status and message, or throttling
 * (HTTP 429, or the service's throttling error).
 *
 * <p>Example: {@code server.datadog().respond(Answer.throttled(), Answer.values(0.004))} answers
 * the first query with 429 and every later one with 0.004.
 */
public sealed interface Answer {
  /** Data points (one per series, or the points of one series, as the backend shapes them). */
  record Values(double[] values) implements Answer {
    public Values {
      values = values.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }
  }

  /** A successful answer without data. */
  record Empty() implements Answer {}

  /** An error answer. */
  record Failure(int status, String message) implements Answer {
    public Failure {
      Objects.requireNonNull(message, "message");
    }
  }

  /** The backend's throttling answer. */
  record Throttled() implements Answer {}

  static Answer values(double... values) {
    return new Values(values);
  }

  static Answer empty() {
    return new Empty();
  }

  static Answer error(int status, String message) {
    return new Failure(status, message);
  }

  static Answer throttled() {
    return new Throttled();
  }
}

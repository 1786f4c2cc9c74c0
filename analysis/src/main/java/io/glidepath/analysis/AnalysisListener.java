package io.glidepath.analysis;

/**
 * Events of an {@link AnalysisRun}: every measurement, every metric that completes, and the run's
 * completion.
 *
 * <p>Methods are called on the scheduler's thread, in order for one metric; they must be fast and
 * never throw. All have no-op defaults: override what you need.
 */
public interface AnalysisListener {
  /** A listener that ignores every event. */
  AnalysisListener NONE = new AnalysisListener() {};

  /** A measurement was taken (and judged) for {@code metric}. */
  default void measurementTaken(String metric, Measurement measurement) {}

  /** {@code metric} reached a completed phase. */
  default void metricCompleted(MetricResult result) {}

  /** The run completed with {@code result}. */
  default void runCompleted(AnalysisResult result) {}
}

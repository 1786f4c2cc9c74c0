package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;

/**
 * The SPI for metric sources: takes one measurement of a metric whose {@code provider} block has
 * this provider's {@link #type()}.
 *
 * <p>Glidepath ships {@link PrometheusProvider} ({@code prometheus}), {@link WebProvider} ({@code
 * web}) and {@link RecordedProvider} ({@code recorded}, or any type, for replays). Implement it for
 * another backend and register it with {@link MetricProviders#of(MetricProvider...)}:
 *
 * <pre>{@code
 * MetricProvider constant = new MetricProvider() {
 *   public String type() { return "constant"; }
 *   public MetricValue measure(MeasurementRequest r) { return MetricValue.scalar(1); }
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe: an analysis may measure several metrics at once. They
 * block until the measurement is taken or their timeout passes.
 */
public interface MetricProvider {
  /** The provider block key this provider serves, e.g. {@code prometheus}. */
  String type();

  /**
   * Takes one measurement.
   *
   * @throws MetricProviderException if no value can be had; the measurement becomes Error
   */
  MetricValue measure(MeasurementRequest request);
}

package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;

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
 * <p>{@link #validate(ProviderSpec)} checks a metric's options when its template is loaded (or a
 * plan built), so that an option the provider cannot honour is refused then, not at the first
 * measurement; {@link MetricProviders#validate(io.glidepath.analysis.Metric)} calls it.
 *
 * <p>Implementations must be thread-safe: an analysis may measure several metrics at once. They
 * block until the measurement is taken or their timeout passes.
 */
public interface MetricProvider {
  /** The provider block key this provider serves, e.g. {@code prometheus}. */
  String type();

  /**
   * Checks a metric's provider options when a template is loaded or a plan built; throws
   * TemplateException naming the field it refuses. Accepts everything by default.
   *
   * <p>The exception's path is relative to the provider's block ({@code authentication}, {@code
   * headers[0].key}); {@link MetricProviders#validate(io.glidepath.analysis.Metric)} prefixes it
   * with {@code provider.<type>} and names the metric. Options may still hold unresolved {@code
   * {{args.NAME}}} placeholders, which a provider must accept where it accepts text.
   */
  default void validate(ProviderSpec spec) {}

  /**
   * Takes one measurement.
   *
   * @throws MetricProviderException if no value can be had; the measurement becomes Error
   */
  MetricValue measure(MeasurementRequest request);
}

package io.glidepath.analysis.provider;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;

/**
 * The SPI for metric sources: takes one measurement of a metric whose {@code provider} block has
 * this provider's {@link #type()}.
 *
 * <p>Glidepath ships providers for Argo Rollouts' {@code prometheus}, {@code web}, {@code datadog},
 * {@code newRelic}, {@code wavefront}, {@code graphite}, {@code influxdb}, {@code kayenta} and
 * {@code skywalking} (this module), {@code cloudWatch} ({@code glidepath-analysis-aws}) and {@code
 * job} ({@code glidepath-analysis-kube}), and {@link RecordedProvider} for replays. Implement it
 * for another backend and register it with {@link MetricProviders#of(MetricProvider...)}, or
 * publish a {@link MetricProviderFactory} through {@link java.util.ServiceLoader} so that {@link
 * MetricProviders#discover(ProviderContext)} finds it by type:
 *
 * <pre>{@code
 * MetricProvider constant = new MetricProvider() {
 *   public String type() { return "constant"; }
 *   public MetricValue measure(MeasurementRequest r) { return MetricValue.scalar(1); }
 * };
 * }</pre>
 *
 * <p>A measurement that takes time (a Kubernetes Job) overrides {@link #start}, {@link #poll} and
 * {@link #terminate}: {@code start} returns {@link Observation.Running} and the run polls until the
 * provider gives a value or a verdict, as Argo's Run/Resume/Terminate do.
 *
 * <p>{@link #validate(ProviderSpec)} checks a metric's options when its template is loaded (or a
 * plan built), so that an option the provider cannot honour is refused then, not at the first
 * measurement; {@link MetricProviders#validate(io.glidepath.analysis.Metric)} calls it.
 *
 * <p>Implementations must be thread-safe: an analysis may measure several metrics at once. They
 * block until the measurement is taken or their timeout passes. Messages never contain secrets.
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

  /**
   * Starts a measurement: a value, a verdict, or {@link Observation.Running} to be polled. The
   * default takes the measurement at once with {@link #measure}.
   *
   * @throws MetricProviderException if the measurement cannot be taken; it becomes Error
   */
  default Observation start(MeasurementRequest request) {
    return Observation.value(measure(request));
  }

  /**
   * Looks again at a running measurement. Only called for providers whose {@link #start} returned
   * {@link Observation.Running}.
   *
   * @throws MetricProviderException if the measurement failed to complete; it becomes Error
   */
  default Observation poll(MeasurementRequest request, Observation.Running running) {
    throw new MetricProviderException(type(), "this provider has no running measurements to poll");
  }

  /**
   * Stops a running measurement because its run ends (a Job is deleted). The measurement then
   * counts as Successful with the message {@code Metric Terminated}, as in Argo Rollouts.
   *
   * @throws MetricProviderException if it cannot be stopped; the measurement becomes Error
   */
  default void terminate(MeasurementRequest request, Observation.Running running) {}

  /**
   * Removes what the provider created for measurements older than the newest {@code limit} of the
   * run (Argo deletes old Jobs this way); called when a metric's retained measurements exceed its
   * retention. No-op by default.
   */
  default void garbageCollect(MeasurementRequest request, int limit) {}
}

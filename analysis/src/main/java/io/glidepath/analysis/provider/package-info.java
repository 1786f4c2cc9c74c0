/**
 * Metric providers: the {@link io.glidepath.analysis.provider.MetricProvider} SPI and the
 * Prometheus, web and recorded providers.
 */
package io.glidepath.analysis.provider;

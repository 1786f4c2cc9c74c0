/**
 * A real Prometheus for tests: {@link io.glidepath.testkit.prometheus.PrometheusServer} imports
 * samples the test defines and serves them on 127.0.0.1.
 */
package io.glidepath.testkit.prometheus;

/**
 * Local stand-ins for metric backends: {@link io.glidepath.testkit.metrics.FakeMetricsServer}
 * speaks the query APIs of Datadog, New Relic, Wavefront, Graphite, InfluxDB, Kayenta, SkyWalking,
 * Prometheus (OAuth2, SigV4) and CloudWatch and checks every request against their documented
 * contracts; {@link io.glidepath.testkit.metrics.Sigv4Verifier} checks AWS signatures.
 */
package io.glidepath.testkit.metrics;

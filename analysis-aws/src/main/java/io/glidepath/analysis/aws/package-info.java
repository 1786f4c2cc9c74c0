/**
 * AWS metric providers: {@link io.glidepath.analysis.aws.CloudWatchProvider} ({@code cloudWatch},
 * GetMetricData) and {@link io.glidepath.analysis.aws.AwsSigv4Signer}, which signs the Prometheus
 * provider's queries for Amazon Managed Prometheus. Both are found through {@link
 * java.util.ServiceLoader} when this module is on the class path.
 */
package io.glidepath.analysis.aws;

package io.glidepath.analysis.aws;

import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderFactory;
import io.glidepath.analysis.provider.ProviderContext;

/**
 * Publishes {@link CloudWatchProvider} ({@code cloudWatch}) through {@link
 * java.util.ServiceLoader}: credentials, region and endpoint from the context's environment, then
 * the SDK's chains.
 */
public final class CloudWatchProviderFactory implements MetricProviderFactory {
  @Override
  public String type() {
    return CloudWatchProvider.TYPE;
  }

  @Override
  public MetricProvider create(ProviderContext context) {
    return CloudWatchProvider.fromEnvironment(context.environment());
  }
}

package io.glidepath.analysis.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderFactory;
import io.glidepath.analysis.provider.ProviderContext;

/**
 * Publishes {@link JobProvider} ({@code job}) through {@link java.util.ServiceLoader}: on the
 * context's {@link KubernetesClient} service, else on a client from the kubeconfig (or the
 * in-cluster configuration) made on first use.
 */
public final class JobProviderFactory implements MetricProviderFactory {
  @Override
  public String type() {
    return JobProvider.TYPE;
  }

  @Override
  public MetricProvider create(ProviderContext context) {
    return context
        .service(KubernetesClient.class)
        .map(JobProvider::of)
        .orElseGet(() -> JobProvider.newBuilder(new LazyClient()).build());
  }

  /** A client from the default configuration, made once on first use. */
  static final class LazyClient implements java.util.function.Supplier<KubernetesClient> {
    private volatile KubernetesClient client;

    @Override
    public KubernetesClient get() {
      KubernetesClient c = client;
      if (c == null) {
        synchronized (this) {
          c = client;
          if (c == null) {
            c = new KubernetesClientBuilder().build();
            client = c;
          }
        }
      }
      return c;
    }
  }
}

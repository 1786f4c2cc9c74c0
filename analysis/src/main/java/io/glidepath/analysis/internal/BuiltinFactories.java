package io.glidepath.analysis.internal;

import io.glidepath.analysis.provider.DatadogProvider;
import io.glidepath.analysis.provider.GraphiteProvider;
import io.glidepath.analysis.provider.InfluxDbProvider;
import io.glidepath.analysis.provider.KayentaProvider;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviderFactory;
import io.glidepath.analysis.provider.NewRelicProvider;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.analysis.provider.Sigv4Signer;
import io.glidepath.analysis.provider.SkyWalkingProvider;
import io.glidepath.analysis.provider.WavefrontProvider;
import io.glidepath.analysis.provider.WebProvider;

/**
 * The {@link MetricProviderFactory factories} of the providers in this module, published in {@code
 * META-INF/services}. Each reads what Argo reads: Secrets from the context's {@code SecretSource},
 * environment variables from its environment.
 */
public final class BuiltinFactories {
  private BuiltinFactories() {}

  /** {@code prometheus}: {@code ARGO_ROLLOUTS_PROMETHEUS_ADDRESS} from the environment. */
  public static final class Prometheus implements MetricProviderFactory {
    @Override
    public String type() {
      return PrometheusProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      PrometheusProvider.Builder b =
          PrometheusProvider.newBuilder().environment(context.environment());
      Sigv4Signer.discover()
          .ifPresent(s -> b.sigv4Signer(s.withEnvironment(context.environment())));
      return b.build();
    }
  }

  /** {@code web}. */
  public static final class Web implements MetricProviderFactory {
    @Override
    public String type() {
      return WebProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return WebProvider.ofDefaults();
    }
  }

  /** {@code datadog}: Secrets and {@code DD_*} variables. */
  public static final class Datadog implements MetricProviderFactory {
    @Override
    public String type() {
      return DatadogProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return DatadogProvider.newBuilder()
          .secrets(context.secrets())
          .environment(context.environment())
          .build();
    }
  }

  /** {@code newRelic}: the {@code newrelic} (or profile) Secret. */
  public static final class NewRelic implements MetricProviderFactory {
    @Override
    public String type() {
      return NewRelicProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return NewRelicProvider.newBuilder().secrets(context.secrets()).build();
    }
  }

  /** {@code wavefront}: the {@code wavefront-api-tokens} Secret. */
  public static final class Wavefront implements MetricProviderFactory {
    @Override
    public String type() {
      return WavefrontProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return WavefrontProvider.newBuilder().secrets(context.secrets()).build();
    }
  }

  /** {@code graphite}. */
  public static final class Graphite implements MetricProviderFactory {
    @Override
    public String type() {
      return GraphiteProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return GraphiteProvider.ofDefaults();
    }
  }

  /** {@code influxdb}: the {@code influxdb} (or profile) Secret. */
  public static final class InfluxDb implements MetricProviderFactory {
    @Override
    public String type() {
      return InfluxDbProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return InfluxDbProvider.newBuilder().secrets(context.secrets()).build();
    }
  }

  /** {@code kayenta}. */
  public static final class Kayenta implements MetricProviderFactory {
    @Override
    public String type() {
      return KayentaProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return KayentaProvider.ofDefaults();
    }
  }

  /** {@code skywalking}. */
  public static final class SkyWalking implements MetricProviderFactory {
    @Override
    public String type() {
      return SkyWalkingProvider.TYPE;
    }

    @Override
    public MetricProvider create(ProviderContext context) {
      return SkyWalkingProvider.ofDefaults();
    }
  }
}

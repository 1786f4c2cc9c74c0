package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.TemplateException;
import io.glidepath.core.yaml.Yaml;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Load-time checks: unknown types, plugins and options each provider refuses, by field. */
class ProviderValidationTest {
  private final MetricProviders providers =
      MetricProviders.discover(ProviderContext.newBuilder().environment(Map.of()).build());

  static final MetricProviders PROMETHEUS_AND_WEB =
      MetricProviders.of(PrometheusProvider.ofDefaults(), WebProvider.ofDefaults());

  static Metric metric(String type, String json) {
    return Metric.newBuilder("success-rate")
        .provider(new ProviderSpec(type, (ObjectNode) Yaml.mapper().readTree(json)))
        .build();
  }

  static TemplateException refusal(MetricProviders providers, Metric m) {
    try {
      providers.validate(m);
    } catch (TemplateException e) {
      return e;
    }
    throw new AssertionError("expected " + m + " to be refused");
  }

  @Test
  void refusesAMetricWhoseProviderTypeIsNotRegistered() {
    TemplateException e = refusal(PROMETHEUS_AND_WEB, metric("datadog", "{\"query\": \"avg:x\"}"));
    assertThat(e.source()).isEqualTo("metric 'success-rate'");
    assertThat(e.path()).isEqualTo("provider.datadog");
    assertThat(e.problem())
        .contains("no metric provider is registered for type 'datadog'")
        .contains("[prometheus, web]");
  }

  @Test
  void prefixesTheProvidersOwnFieldPathAndNamesTheMetric() {
    MetricProvider strict =
        new MetricProvider() {
          @Override
          public String type() {
            return "constant";
          }

          @Override
          public void validate(ProviderSpec spec) {
            if (spec.config().has("value")) {
              throw new TemplateException(type(), "value", "must not be set");
            }
          }

          @Override
          public MetricValue measure(MeasurementRequest request) {
            return MetricValue.scalar(1);
          }
        };
    TemplateException e = refusal(MetricProviders.of(strict), metric("constant", "{\"value\": 3}"));
    assertThat(e).hasMessage("metric 'success-rate': provider.constant.value: must not be set");
    assertThatCode(() -> MetricProviders.of(strict).validate(metric("constant", "{}")))
        .doesNotThrowAnyException();
  }

  @Test
  void aProviderWithoutValidateAcceptsEveryOption() {
    MetricProvider lax =
        new MetricProvider() {
          @Override
          public String type() {
            return "lax";
          }

          @Override
          public MetricValue measure(MeasurementRequest request) {
            return MetricValue.scalar(1);
          }
        };
    assertThatCode(
            () -> MetricProviders.of(lax).validate(metric("lax", "{\"anything\": {\"a\": 1}}")))
        .doesNotThrowAnyException();
  }

  @Test
  void prometheusAndWebRefuseUnknownOptionsAndNeedTheirQueryOrUrl() {
    assertThat(
            refusal(
                    PROMETHEUS_AND_WEB,
                    metric("prometheus", "{\"server\": \"http://p:9090\", \"query\": \"up\"}"))
                .path())
        .isEqualTo("provider.prometheus.server");
    assertThat(
            refusal(PROMETHEUS_AND_WEB, metric("prometheus", "{\"address\": \"http://p:9090\"}"))
                .path())
        .isEqualTo("provider.prometheus.query");
    assertThat(refusal(PROMETHEUS_AND_WEB, metric("web", "{\"jsonPath\": \"{$.a}\"}")).path())
        .isEqualTo("provider.web.url");
    assertThatCode(
            () ->
                PROMETHEUS_AND_WEB.validate(
                    metric(
                        "web",
                        "{\"url\": \"{{args.url}}\", \"method\": \"POST\","
                            + " \"jsonBody\": {\"q\": 1}, \"timeoutSeconds\": 20,"
                            + " \"jsonPath\": \"{$.data}\"}")))
        .doesNotThrowAnyException();
  }

  @Test
  void aTemplatesRefusalNamesTheSourceAndTheMetricsIndex() {
    assertThatThrownBy(
            () ->
                MetricProviders.of(PrometheusProvider.ofDefaults())
                    .validate(
                        AnalysisTemplate.parse(
                            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\n"
                                + "metadata: {name: t}\nspec:\n  metrics:\n"
                                + "  - name: ok\n    provider: {prometheus: {address: 'http://p', query: up}}\n"
                                + "  - name: bad\n    provider: {web: {url: 'http://w'}}\n",
                            "t.yaml")))
        .isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("t.yaml")
        .hasMessageContaining("spec.metrics[1].provider.web: no metric provider is registered");
  }

  private static AnalysisTemplate template(String provider) {
    return AnalysisTemplate.parse(
        "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: t}\nspec:\n"
            + "  metrics:\n  - name: m\n    provider:\n      "
            + provider.replace("\n", "\n      ")
            + "\n",
        "t.yaml");
  }

  @Test
  void serviceLoaderFindsEveryBuiltInProviderByType() {
    assertThat(providers.types())
        .contains(
            "prometheus",
            "web",
            "datadog",
            "newRelic",
            "wavefront",
            "graphite",
            "influxdb",
            "kayenta",
            "skywalking");
  }

  @Test
  void aPlatformProviderReplacesNothingButAddsItsType() {
    MetricProviders more =
        providers.with(
            new MetricProvider() {
              @Override
              public String type() {
                return "splunk";
              }

              @Override
              public MetricValue measure(MeasurementRequest r) {
                return MetricValue.scalar(1);
              }
            });
    more.validate(template("splunk: {search: errors}"));
    assertThatThrownBy(() -> providers.validate(template("splunk: {search: errors}")))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining(
            "spec.metrics[0].provider.splunk: no metric provider is registered for type");
  }

  @Test
  void pluginProvidersAreRefusedWhenLoadingNamingThePlugin() {
    assertThatThrownBy(() -> template("plugin:\n  argoproj-labs/sample-prometheus: {query: up}"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("spec.metrics[0].provider.plugin")
        .hasMessageContaining("argoproj-labs/sample-prometheus")
        .hasMessageContaining("not supported");
  }

  @Test
  void refusedOptionsNameTheirField() {
    assertRefused(
        "datadog: {apiVersion: v2, query: 'a', aggregator: median}",
        "provider.datadog.aggregator: must be one of");
    assertRefused(
        "datadog: {query: 'a', formula: 'a * 2'}",
        "provider.datadog.formula: needs apiVersion: v2");
    assertRefused(
        "datadog: {apiVersion: v2, queries: {a: x, b: y}}",
        "provider.datadog.formula: is required with more than one query");
    assertRefused(
        "datadog: {apiVersion: v2, query: q, queries: {a: x}}",
        "provider.datadog.queries: cannot be used together with query");
    assertRefused(
        "prometheus: {address: 'http://p', query: up, timeout: -1}",
        "provider.prometheus.timeout: must be >= 0");
    assertRefused(
        "prometheus: {query: up, authentication: {sigv4: {region: x, role: y}}}",
        "provider.prometheus.authentication.sigv4.role: unknown field");
    assertRefused(
        "prometheus: {query: up, authentication: {oauth2: {tokenUrl: 'http://t'}}}",
        "provider.prometheus.authentication.oauth2: tokenUrl needs clientId and clientSecret");
    assertRefused(
        "web: {url: 'http://w', body: x}", "provider.web.body: can only be used with POST or PUT");
    assertRefused("web: {url: 'http://w', method: DELETE}", "provider.web.method: must be one of");
    assertRefused(
        "skywalking: {address: 'http://s', query: q}", "provider.skywalking.interval: is required");
    assertRefused(
        "kayenta: {address: 'http://k', application: a, canaryConfigName: c,"
            + " metricsAccountName: m, configurationAccountName: c, storageAccountName: s,"
            + " threshold: {pass: 'high'}}",
        "provider.kayenta.threshold.pass: must be an integer");
    assertRefused("newRelic: {profile: p}", "provider.newRelic.query: is required");
    assertRefused("wavefront: {query: q}", "provider.wavefront.address: is required");
  }

  @Test
  void argumentsAreCheckedOnlyForPresenceBeforeTheyAreResolved() {
    providers.validate(
        template(
            "datadog: {apiVersion: v2, query: q, aggregator: '{{args.agg}}', interval: '{{args.i}}'}"));
  }

  @Test
  void aPlatformCanForbidInsecure() {
    MetricProviders strict =
        MetricProviders.of(PrometheusProvider.newBuilder().allowInsecure(false).build());
    assertThatThrownBy(
            () ->
                strict.validate(
                    template("prometheus: {address: 'https://p', query: up, insecure: true}")))
        .hasMessageContaining(
            "provider.prometheus.insecure: skipping TLS verification is disabled");
  }

  private void assertRefused(String provider, String message) {
    assertThatThrownBy(() -> providers.validate(template(provider)))
        .isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("t.yaml")
        .hasMessageContaining("spec.metrics[0]." + message);
  }
}

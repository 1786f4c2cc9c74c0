package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.TemplateException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Load-time checks: unknown types, plugins and options each provider refuses, by field. */
class ProviderValidationTest {
  private final MetricProviders providers =
      MetricProviders.discover(ProviderContext.newBuilder().environment(Map.of()).build());

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
        .hasMessageContaining("spec.metrics[0].provider.splunk: no metric provider serves");
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

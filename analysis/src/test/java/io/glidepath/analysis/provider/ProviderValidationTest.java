package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.TemplateException;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ProviderValidationTest {
  static final MetricProviders DEFAULTS =
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
    TemplateException e = refusal(DEFAULTS, metric("datadog", "{\"query\": \"avg:x\"}"));
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
  void prometheusRefusesAuthenticationInsecureAndUnknownOptions() {
    assertThat(
            refusal(
                    DEFAULTS,
                    metric(
                        "prometheus",
                        "{\"address\": \"http://p:9090\", \"query\": \"up\","
                            + " \"authentication\": {\"sigv4\": {\"region\": \"eu-west-1\"}}}"))
                .path())
        .isEqualTo("provider.prometheus.authentication");
    assertThat(
            refusal(
                    DEFAULTS,
                    metric(
                        "prometheus",
                        "{\"address\": \"https://p\", \"query\": \"up\", \"insecure\": true}"))
                .path())
        .isEqualTo("provider.prometheus.insecure");
    assertThat(
            refusal(
                    DEFAULTS,
                    metric("prometheus", "{\"server\": \"http://p:9090\", \"query\": \"up\"}"))
                .path())
        .isEqualTo("provider.prometheus.server");
    assertThat(refusal(DEFAULTS, metric("prometheus", "{\"address\": \"http://p:9090\"}")).path())
        .isEqualTo("provider.prometheus.query");
    assertThat(
            refusal(
                    DEFAULTS,
                    metric(
                        "prometheus",
                        "{\"address\": \"http://p\", \"query\": \"up\","
                            + " \"rangeQuery\": {\"start\": \"now()\"}}"))
                .path())
        .isEqualTo("provider.prometheus.rangeQuery.step");
  }

  @Test
  void prometheusAcceptsWhatItRunsIncludingPlaceholdersAndInsecureFalse() {
    assertThatCode(
            () ->
                DEFAULTS.validate(
                    metric(
                        "prometheus",
                        "{\"address\": \"{{args.prometheus}}\", \"query\": \"up\","
                            + " \"timeout\": \"{{args.timeout}}\", \"insecure\": false,"
                            + " \"headers\": [{\"key\": \"X-Scope-OrgID\", \"value\": \"t1\"}],"
                            + " \"rangeQuery\": {\"start\": \"now() - duration(\\\"5m\\\")\","
                            + " \"end\": \"now()\", \"step\": \"1m\"}}")))
        .doesNotThrowAnyException();
  }

  @Test
  void prometheusNeedsAnAddressOnlyWhenTheBuilderGaveNone() {
    Metric noAddress = metric("prometheus", "{\"query\": \"up\"}");
    assertThat(refusal(DEFAULTS, noAddress).path()).isEqualTo("provider.prometheus.address");
    MetricProviders pinned =
        MetricProviders.of(
            PrometheusProvider.newBuilder().address(URI.create("http://127.0.0.1:9090")).build());
    assertThatCode(() -> pinned.validate(noAddress)).doesNotThrowAnyException();
  }

  @Test
  void webRefusesAuthenticationBodiesOnGetAndBadMethods() {
    assertThat(
            refusal(
                    DEFAULTS,
                    metric("web", "{\"url\": \"https://x\", \"authentication\": {\"oauth2\": {}}}"))
                .path())
        .isEqualTo("provider.web.authentication");
    assertThat(
            refusal(DEFAULTS, metric("web", "{\"url\": \"https://x\", \"body\": \"{}\"}"))
                .problem())
        .isEqualTo("a GET request cannot have a body");
    assertThat(
            refusal(DEFAULTS, metric("web", "{\"url\": \"https://x\", \"method\": \"DELETE\"}"))
                .path())
        .isEqualTo("provider.web.method");
    assertThat(refusal(DEFAULTS, metric("web", "{\"jsonPath\": \"{$.a}\"}")).path())
        .isEqualTo("provider.web.url");
    assertThat(
            refusal(
                    DEFAULTS,
                    metric("web", "{\"url\": \"https://x\", \"headers\": [{\"value\": \"v\"}]}"))
                .path())
        .isEqualTo("provider.web.headers[0].key");
    assertThatCode(
            () ->
                DEFAULTS.validate(
                    metric(
                        "web",
                        "{\"url\": \"{{args.url}}\", \"method\": \"POST\","
                            + " \"jsonBody\": {\"q\": 1}, \"timeoutSeconds\": 20,"
                            + " \"jsonPath\": \"{$.data}\"}")))
        .doesNotThrowAnyException();
  }

  @Test
  void validationFailuresAreTemplateExceptionsNotRuntimeErrors() {
    assertThatThrownBy(
            () -> DEFAULTS.validate(metric("web", "{\"url\": 3, \"timeoutSeconds\": -1}")))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("provider.web.timeoutSeconds");
  }
}

package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.MetricResult;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.testkit.metrics.Answer;
import io.glidepath.testkit.metrics.FakeMetricsServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HTTP provider of this module in an AnalysisTemplate, run by an AnalysisRun against a local
 * server that checks each request against the backend's documented API: Successful, Failed,
 * Inconclusive and Error outcomes, throttling retried, no data, and not one contract violation.
 */
class BackendProvidersIT {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private FakeMetricsServer server;
  private MetricProviders providers;

  /**
   * A provider under test: its template block, the conditions that judge it, and the backend and
   * the values that make it pass, fail and be inconclusive.
   */
  record Case(
      String name,
      Function<FakeMetricsServer, String> provider,
      String success,
      String failure,
      Function<FakeMetricsServer, FakeMetricsServer.Backend> backend,
      double pass,
      double fail,
      double inconclusive) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "datadog v1",
            s -> "datadog: {interval: 5m, query: 'sum:requests.error.rate{service:trade}'}",
            "default(result, 1) <= 0.01",
            "default(result, 1) > 0.05",
            FakeMetricsServer::datadog,
            0.004,
            0.2,
            0.03),
        new Case(
            "datadog v2 queries and formula",
            s ->
                "datadog:\n  apiVersion: v2\n  interval: 5m\n  aggregator: sum\n  queries:\n"
                    + "    a: 'sum:requests.errors{service:trade}.as_count()'\n"
                    + "    b: 'sum:requests{service:trade}.as_count()'\n  formula: 'a / b'",
            "default(result, 1) <= 0.01",
            "default(result, 1) > 0.05",
            FakeMetricsServer::datadog,
            0.004,
            0.2,
            0.03),
        new Case(
            "newRelic",
            s ->
                "newRelic: {query: \"FROM Transaction SELECT percentage(count(*), WHERE error IS"
                    + " false) AS value WHERE appName = 'trade'\", timeout: 10}",
            "result.value >= 0.99",
            "result.value < 0.9",
            FakeMetricsServer::newRelic,
            0.995,
            0.5,
            0.95),
        new Case(
            "wavefront",
            s -> "wavefront: {address: '" + s.uri() + "', query: 'ts(trade.success.rate)'}",
            "result >= 0.99",
            "result < 0.9",
            FakeMetricsServer::wavefront,
            0.995,
            0.5,
            0.95),
        new Case(
            "graphite",
            s ->
                "graphite:\n  address: "
                    + s.uri()
                    + "\n  query: |\n    target=summarize(\n"
                    + "      asPercent(sumSeries(stats.trade.*.ok), sumSeries(stats.trade.*.all)),\n"
                    + "      '5min', 'avg')&from=-5min",
            "result[0] >= 99",
            "result[0] < 90",
            FakeMetricsServer::graphite,
            99.5,
            50,
            95),
        new Case(
            "influxdb",
            s ->
                "influxdb:\n  query: |\n    from(bucket: \"app\") |> range(start: -5m)\n"
                    + "      |> filter(fn: (r) => r._measurement == \"http\")",
            "result[0] >= 0.99",
            "result[0] < 0.9",
            FakeMetricsServer::influxDb,
            0.995,
            0.5,
            0.95),
        new Case(
            "skywalking",
            s ->
                "skywalking:\n  address: "
                    + s.uri()
                    + "\n  interval: 5m\n  query: 'query ($duration: Duration!) { result:"
                    + " readMetricsValues(condition: {name: \"service_sla\", entity: {scope:"
                    + " Service, serviceName: \"trade\", normal: true}}, duration: $duration) {"
                    + " values { values { value } } } }'",
            "result.result.values.values[0].value >= 9900",
            "result.result.values.values[0].value < 9000",
            FakeMetricsServer::skyWalking,
            9950,
            5000,
            9500),
        new Case(
            "kayenta",
            s ->
                "kayenta:\n  address: "
                    + s.uri()
                    + "\n  application: trade\n  canaryConfigName: "
                    + FakeMetricsServer.KAYENTA_CONFIG
                    + "\n  metricsAccountName: prom\n  configurationAccountName: configs\n"
                    + "  storageAccountName: store\n  threshold: {pass: 90, marginal: 75}\n"
                    + "  scopes:\n  - name: default\n    controlScope: {scope: app=trade-stable,"
                    + " step: 60, start: '2026-03-01T09:50:00Z', end: '2026-03-01T10:00:00Z'}\n"
                    + "    experimentScope: {scope: app=trade-canary, step: 60, start:"
                    + " '2026-03-01T09:50:00Z', end: '2026-03-01T10:00:00Z'}",
            null,
            null,
            FakeMetricsServer::kayenta,
            95,
            40,
            80),
        new Case(
            "prometheus",
            s -> "prometheus: {address: '" + s.uri() + "', query: 'sum(rate(ok[5m]))'}",
            "result[0] >= 0.99",
            "result[0] < 0.9",
            FakeMetricsServer::prometheus,
            0.995,
            0.5,
            0.95));
  }

  @BeforeEach
  void start() {
    server = FakeMetricsServer.start();
    String base = server.uri().toString();
    SecretSource secrets =
        SecretSource.of(
            Map.of(
                "datadog",
                Map.of(
                    "address", base,
                    "api-key", FakeMetricsServer.DATADOG_API_KEY,
                    "app-key", FakeMetricsServer.DATADOG_APP_KEY),
                "newrelic",
                Map.of(
                    "personal-api-key",
                    FakeMetricsServer.NEWRELIC_API_KEY,
                    "account-id",
                    Long.toString(FakeMetricsServer.NEWRELIC_ACCOUNT_ID),
                    "base-url-nerdgraph",
                    base + FakeMetricsServer.NERDGRAPH_PATH),
                "influxdb",
                Map.of(
                    "address", base,
                    "authToken", FakeMetricsServer.INFLUX_TOKEN,
                    "org", FakeMetricsServer.INFLUX_ORG),
                "wavefront-api-tokens",
                Map.of(base, FakeMetricsServer.WAVEFRONT_TOKEN)));
    providers =
        MetricProviders.discover(
            ProviderContext.newBuilder().secrets(secrets).environment(Map.of()).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private AnalysisTemplate template(Case c, String extra) {
    String block = c.provider().apply(server).replace("\n", "\n        ");
    String yaml =
        "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: "
            + c.name().replace(' ', '-')
            + "}\nspec:\n  metrics:\n  - name: m\n"
            + (c.success() == null ? "" : "    successCondition: \"" + c.success() + "\"\n")
            + (c.failure() == null ? "" : "    failureCondition: \"" + c.failure() + "\"\n")
            + extra
            + "    provider:\n      "
            + block
            + "\n";
    return AnalysisTemplate.parse(yaml, "it.yaml");
  }

  private AnalysisResult run(AnalysisTemplate t) {
    providers.validate(t);
    return AnalysisRun.replay(t, providers, T0, AnalysisListener.NONE);
  }

  private AnalysisResult live(AnalysisTemplate t) {
    providers.validate(t);
    VirtualScheduler s = VirtualScheduler.at(T0);
    AnalysisRun run = AnalysisRun.start(t, providers, s, AnalysisListener.NONE);
    s.runUntilIdle(1000);
    return run.result();
  }

  static Stream<Arguments> outcomes() {
    return cases()
        .flatMap(
            c ->
                Stream.of(
                    Arguments.of(c, AnalysisPhase.SUCCESSFUL),
                    Arguments.of(c, AnalysisPhase.FAILED),
                    Arguments.of(c, AnalysisPhase.INCONCLUSIVE),
                    Arguments.of(c, AnalysisPhase.ERROR)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("outcomes")
  void eachOutcome(Case c, AnalysisPhase expected) {
    FakeMetricsServer.Backend b = c.backend().apply(server);
    switch (expected) {
      case SUCCESSFUL -> b.respond(Answer.values(c.pass()));
      case FAILED -> b.respond(Answer.values(c.fail()));
      case INCONCLUSIVE -> b.respond(Answer.values(c.inconclusive()));
      default -> b.respond(Answer.error(400, "bad query: unknown metric"));
    }
    AnalysisResult r = live(template(c, "    consecutiveErrorLimit: 0\n"));
    assertThat(r.phase()).as(r.message()).isEqualTo(expected);
    MetricResult m = r.metrics().get(0);
    Measurement last = m.measurements().get(m.measurements().size() - 1);
    if (expected == AnalysisPhase.ERROR) {
      assertThat(last.message()).contains("bad query: unknown metric");
    } else {
      assertThat(last.phase()).isEqualTo(expected);
      assertThat(last.value()).isPresent();
    }
    assertThat(server.violations()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void throttlingIsAnErrorRetriedTenSecondsLater(Case c) {
    FakeMetricsServer.Backend b = c.backend().apply(server);
    b.respond(Answer.throttled(), Answer.values(c.pass()));
    AnalysisResult r = live(template(c, ""));
    assertThat(r.phase()).as(r.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    List<Measurement> ms = r.metrics().get(0).measurements();
    assertThat(ms.get(0).phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(ms.get(0).message()).containsAnyOf("429", "Rate", "rate", "Too Many", "too many");
    assertThat(ms.get(1).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(ms.get(1).startedAt())
        .isAfterOrEqualTo(ms.get(0).finishedAt().plusSeconds(AnalysisRun.ERROR_RETRY_SECONDS));
    assertThat(server.violations()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noDataIsWhatArgoGivesConditions(Case c) {
    c.backend().apply(server).respond(Answer.empty());
    AnalysisResult r = live(template(c, "    consecutiveErrorLimit: 0\n"));
    Measurement m = r.metrics().get(0).measurements().get(0);
    switch (c.name()) {
      // Datadog gives nil (default(result, 1) then fails the metric), Prometheus an empty vector
      case "datadog v1", "datadog v2 queries and formula" -> {
        assertThat(m.phase()).isEqualTo(AnalysisPhase.FAILED);
        assertThat(m.value().orElseThrow().toString()).isEqualTo("<nil>");
      }
      case "prometheus" -> {
        assertThat(m.phase()).isEqualTo(AnalysisPhase.ERROR);
        assertThat(m.message()).contains("Index out of bounds");
      }
      case "kayenta" -> assertThat(m.phase()).isEqualTo(AnalysisPhase.FAILED);
      default -> {
        assertThat(m.phase()).isEqualTo(AnalysisPhase.ERROR);
        assertThat(m.message()).containsAnyOf("no result", "No TimeSeries", "no values");
      }
    }
    assertThat(server.violations()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void replaysQueryAtThePastTime(Case c) {
    c.backend().apply(server).respond(Answer.values(c.pass()));
    assertThat(run(template(c, "")).phase()).isIn(AnalysisPhase.SUCCESSFUL, AnalysisPhase.ERROR);
    assertThat(server.violations()).isEmpty();
  }
}

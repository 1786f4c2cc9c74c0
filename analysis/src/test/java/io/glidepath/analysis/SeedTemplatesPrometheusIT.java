package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's two AnalysisTemplates, unchanged, against a real Prometheus holding backfilled traffic
 * of several services; queries run at fixed past times, so results are deterministic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedTemplatesPrometheusIT {
  private static final Duration STEP = Duration.ofSeconds(15);
  private static final int POINTS = 4 * 40; // 40 minutes of samples
  private static final double[] LE = {0.1, 0.25, 0.5, 1, 1.5, 2.5, Double.POSITIVE_INFINITY};

  private PrometheusServer prometheus;
  private Instant start;
  private Instant at;
  private List<AnalysisTemplate> seed;

  static void requirePrometheus() {
    ExternalTool.require(ExternalTool.PROMETHEUS);
  }

  @BeforeAll
  void startPrometheus() {
    requirePrometheus();
    start = PrometheusServer.blockAlignedStart(Clock.systemUTC());
    at = start.plus(Duration.ofMinutes(10));
    PrometheusServer.Builder b = PrometheusServer.newBuilder();
    traffic(b, "healthy", 99.8, 0.2, new double[] {80, 95, 99.5, 100, 100, 100, 100});
    traffic(b, "errors-8", 92, 8, new double[] {80, 95, 99.5, 100, 100, 100, 100});
    traffic(b, "errors-3", 97, 3, new double[] {80, 95, 99.5, 100, 100, 100, 100});
    traffic(b, "slow", 99.9, 0.1, new double[] {50, 70, 85, 98.6, 99.6, 100, 100});
    // a service that receives no traffic: its counters never move, so rate() is 0 and 0/0 is NaN
    traffic(b, "idle", 0, 0, new double[] {0, 0, 0, 0, 0, 0, 0});
    prometheus = b.start();
    seed = AnalysisTemplate.parseAll(AnalysisTemplateTest.seed(), "rollout.yaml");
  }

  private void traffic(
      PrometheusServer.Builder b, String service, double ok, double errors, double[] buckets) {
    b.counter(
        "http_requests_total",
        Map.of("service", service, "status", "200"),
        start,
        STEP,
        POINTS,
        0,
        ok);
    b.counter(
        "http_requests_total",
        Map.of("service", service, "status", "500"),
        start,
        STEP,
        POINTS,
        0,
        errors);
    for (int i = 0; i < LE.length; i++) {
      String le = Double.isInfinite(LE[i]) ? "+Inf" : trim(LE[i]);
      b.counter(
          "http_request_duration_seconds_bucket",
          Map.of("service", service, "le", le),
          start,
          STEP,
          POINTS,
          0,
          buckets[i]);
    }
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @AfterAll
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private MetricProviders providers() {
    return MetricProviders.of(PrometheusProvider.newBuilder().address(prometheus.uri()).build());
  }

  private AnalysisResult analyze(String template, String service) {
    AnalysisTemplate t =
        seed.stream()
            .filter(x -> x.name().equals(template))
            .findFirst()
            .orElseThrow()
            .resolve(Map.of("service-name", service));
    return AnalysisRun.replay(t, providers(), at, AnalysisListener.NONE);
  }

  @Test
  void healthyCanaryIsSuccessfulOnBothTemplates() {
    AnalysisResult sr = analyze("success-rate", "healthy");
    assertThat(sr.phase()).as(sr.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    MetricResult m = sr.metric("success-rate").orElseThrow();
    assertThat(m.successful()).isEqualTo(6);
    assertThat(m.measurements().get(0).value().orElseThrow().numbers().get(0))
        .isCloseTo(0.998, within(1e-9));
    AnalysisResult latency = analyze("latency-check", "healthy");
    assertThat(latency.phase()).as(latency.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void eightPercentErrorsFail() {
    AnalysisResult r = analyze("success-rate", "errors-8");
    assertThat(r.phase()).isEqualTo(AnalysisPhase.FAILED);
    MetricResult m = r.metric("success-rate").orElseThrow();
    assertThat(m.measurements().get(0).value().orElseThrow().numbers().get(0))
        .isCloseTo(0.92, within(1e-9));
    // the seed's successLimit 5 of count 6 is out of reach after the second failure
    assertThat(m.failed()).isEqualTo(2);
    assertThat(r.message()).contains("successLimit (5) can no longer be reached");
  }

  @Test
  void eightPercentErrorsFailAfterFailureLimitPlusOneWithoutSuccessLimit() {
    AnalysisTemplate t = seed.get(0).resolve(Map.of("service-name", "errors-8"));
    Metric plain = t.metrics().get(0).newBuilder().successLimit(null).build();
    AnalysisResult r =
        AnalysisRun.replay(
            t.newBuilder().metrics(List.of(plain)).build(), providers(), at, AnalysisListener.NONE);
    assertThat(r.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(r.metric("success-rate").orElseThrow().failed()).isEqualTo(3);
    assertThat(r.message()).contains("failed (3) > failureLimit (2)");
  }

  @Test
  void threePercentErrorsAreInconclusive() {
    AnalysisResult r = analyze("success-rate", "errors-3");
    assertThat(r.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(
            r.metric("success-rate")
                .orElseThrow()
                .measurements()
                .get(0)
                .value()
                .orElseThrow()
                .numbers()
                .get(0))
        .isCloseTo(0.97, within(1e-9));
    assertThat(r.message()).contains("inconclusive (1) > inconclusiveLimit (0)");
  }

  @Test
  void slowP99Fails() {
    AnalysisResult r = analyze("latency-check", "slow");
    assertThat(r.phase()).isEqualTo(AnalysisPhase.FAILED);
    MetricResult m = r.metric("p99-latency").orElseThrow();
    assertThat(m.measurements().get(0).value().orElseThrow().numbers().get(0))
        .isCloseTo(1.2, within(1e-6));
  }

  @Test
  void noDataErrorsAfterConsecutiveErrorLimitPlusOne() {
    AnalysisResult r = analyze("success-rate", "no-such-service");
    assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
    MetricResult m = r.metric("success-rate").orElseThrow();
    assertThat(m.error()).isEqualTo(5);
    assertThat(m.count()).isZero();
    assertThat(r.message()).contains("consecutiveErrors (5) > consecutiveErrorLimit (4)");
  }

  @Test
  void nanFromAnIdleServiceIsInconclusive() {
    AnalysisResult r = analyze("success-rate", "idle");
    assertThat(r.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(
            r.metric("success-rate")
                .orElseThrow()
                .measurements()
                .get(0)
                .value()
                .orElseThrow()
                .numbers()
                .get(0))
        .isNaN();
  }

  @Test
  void stoppedPrometheusIsErrorNeverSuccessful() {
    PrometheusServer empty = PrometheusServer.newBuilder().start();
    try {
      empty.stop();
      AnalysisTemplate t = seed.get(0).resolve(Map.of("service-name", "healthy"));
      MetricProviders down =
          MetricProviders.of(
              PrometheusProvider.newBuilder()
                  .address(empty.uri())
                  .timeout(Duration.ofSeconds(2))
                  .build());
      AnalysisResult r = AnalysisRun.replay(t, down, at, AnalysisListener.NONE);
      assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(r.message()).contains("request to http://127.0.0.1:");
    } finally {
      empty.close();
    }
  }

  @Test
  void providerMapsScalarVectorMatrixAndSpecialValues() {
    PrometheusProvider p = PrometheusProvider.newBuilder().address(prometheus.uri()).build();
    assertThat(measure(p, "scalar(sum(rate(http_requests_total{service=\"healthy\"}[1m])))", null))
        .isEqualTo(MetricValue.scalar(100.0));
    assertThat(
            measure(
                    p,
                    "sum by (status) (rate(http_requests_total{service=\"errors-8\"}[1m]))",
                    null)
                .numbers())
        .containsExactlyInAnyOrder(92.0, 8.0);
    assertThat(measure(p, "vector(NaN)", null).numbers().get(0)).isNaN();
    assertThat(measure(p, "vector(+Inf)", null))
        .isEqualTo(MetricValue.vector(Double.POSITIVE_INFINITY));
    assertThat(measure(p, "vector(-Inf)", null))
        .isEqualTo(MetricValue.vector(Double.NEGATIVE_INFINITY));
    assertThat(measure(p, "http_requests_total{service=\"nobody\"}", null))
        .isEqualTo(MetricValue.vector());
    ObjectNode range = JsonNodeFactory.instance.objectNode();
    range.put("start", "now() - duration(\"2m\")");
    range.put("end", "now()");
    range.put("step", "1m");
    MetricValue matrix =
        measure(p, "sum(rate(http_requests_total{service=~\"healthy|errors-8\"}[1m]))", range);
    assertThat(matrix.numbers())
        .hasSize(3)
        .allSatisfy(v -> assertThat(v).isCloseTo(200.0, within(1e-6)));
  }

  @Test
  void prometheusErrorsAreSurfacedWithTheirMessage() {
    PrometheusProvider p = PrometheusProvider.newBuilder().address(prometheus.uri()).build();
    assertThatThrownBy(() -> measure(p, "sum(", null))
        .isInstanceOfSatisfying(
            MetricProviderException.class, e -> assertThat(e.httpStatus()).hasValue(400))
        .hasMessageContaining("bad_data")
        .hasMessageContaining("parse error");
  }

  private MetricValue measure(PrometheusProvider p, String query, ObjectNode rangeQuery) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.put("query", query);
    if (rangeQuery != null) {
      config.set("rangeQuery", rangeQuery);
    }
    Metric m = Metric.newBuilder("m").provider(new ProviderSpec("prometheus", config)).build();
    return p.measure(new MeasurementRequest("t", m, at));
  }
}

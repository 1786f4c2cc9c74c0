package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's PrometheusServer example: the seed's success-rate query run by the real Prometheus
 * query engine over backfilled samples. Needs {@code prometheus} and {@code promtool}.
 */
class TemplatesOnPrometheusIT {

  @Test
  void theSeedSuccessRateQueryFailsACanaryWithEightPercentErrors() {
    ExternalTool.require(ExternalTool.PROMETHEUS);
    CanaryPlan plan = ApiTourTest.seedPlan(ApiTourTest.render(ApiTourTest.REPO_ROOT, "v3"));

    // tag::prometheus-backfill[]
    Instant start = PrometheusServer.blockAlignedStart(Clock.systemUTC()); // inside one TSDB block
    Duration every = Duration.ofSeconds(15);
    Map<String, String> ok = Map.of("service", "trade-service-canary", "status", "200");
    Map<String, String> failed = Map.of("service", "trade-service-canary", "status", "500");
    // 30 minutes of canary traffic (120 samples 15 s apart): 92 ok and 8 failed requests/s
    try (PrometheusServer prometheus =
        PrometheusServer.newBuilder()
            .counter("http_requests_total", ok, start, every, 120, 0, 92)
            .counter("http_requests_total", failed, start, every, 120, 0, 8)
            .start()) {
      AnalysisTemplate successRate =
          plan.template("success-rate").resolve(Map.of("service-name", "trade-service-canary"));
      MetricProviders providers =
          MetricProviders.of(PrometheusProvider.newBuilder().address(prometheus.uri()).build());
      AnalysisResult result =
          AnalysisRun.replay(
              successRate, providers, start.plus(Duration.ofMinutes(5)), AnalysisListener.NONE);
      assertThat(result.phase()).isEqualTo(AnalysisPhase.FAILED); // 0.92 < 0.95
      assertThat(result.metrics().get(0).measurements())
          .allSatisfy(m -> assertThat(m.value().orElseThrow().numbers()).containsExactly(0.92));
    }
    // end::prometheus-backfill[]
  }
}

package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code glidepath analyze --at} replays the seed's templates over a real Prometheus. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyzeCommandIT {
  private PrometheusServer prometheus;
  private Instant at;

  @BeforeAll
  void start() {
    ExternalTool.require(ExternalTool.PROMETHEUS);
    Instant start = PrometheusServer.blockAlignedStart(Clock.systemUTC());
    at = start.plus(Duration.ofMinutes(10));
    PrometheusServer.Builder b = PrometheusServer.newBuilder();
    Duration step = Duration.ofSeconds(15);
    for (String[] s :
        new String[][] {
          {"healthy", "99.8", "0.2"}, {"errors-8", "92", "8"}, {"errors-3", "97", "3"}
        }) {
      b.counter(
          "http_requests_total",
          Map.of("service", s[0], "status", "200"),
          start,
          step,
          120,
          0,
          Double.parseDouble(s[1]));
      b.counter(
          "http_requests_total",
          Map.of("service", s[0], "status", "500"),
          start,
          step,
          120,
          0,
          Double.parseDouble(s[2]));
    }
    prometheus = b.start();
  }

  @AfterAll
  void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private RenderCommandTest.Run analyze(String service, String... extra) {
    String[] base = {
      "analyze",
      "--template",
      AnalyzeCommandTest.SEED,
      "--template-name",
      "success-rate",
      "--arg",
      "service-name=" + service,
      "--prometheus",
      prometheus.uri().toString(),
      "--at",
      at.toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return RenderCommandTest.run(all);
  }

  @Test
  void healthyReplayExitsZeroAndPrintsEveryMeasurement() {
    RenderCommandTest.Run run = analyze("healthy");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(at + "  success-rate  Successful  [0.998]")
        .contains(at.plusSeconds(150) + "  success-rate  Successful")
        .contains("phase: Successful");
  }

  @Test
  void failedAndInconclusiveMapToOneAndFour() {
    assertThat(analyze("errors-8").code()).isEqualTo(1);
    RenderCommandTest.Run inconclusive = analyze("errors-3", "-o", "json");
    assertThat(inconclusive.code()).isEqualTo(4);
    assertThat(inconclusive.out()).contains("\"phase\" : \"Inconclusive\"");
  }

  @Test
  void noDataExitsFiveAndCountOverrideApplies() {
    RenderCommandTest.Run run = analyze("nobody", "--count", "2", "--interval", "1m");
    assertThat(run.code()).as("successLimit 5 cannot exceed count 2").isEqualTo(2);
    assertThat(run.err()).contains("successLimit must be <= count (2), but was 5");
    RenderCommandTest.Run error = analyze("nobody");
    assertThat(error.code()).isEqualTo(5);
    assertThat(error.out()).contains("consecutiveErrors (5) > consecutiveErrorLimit (4)");
  }
}

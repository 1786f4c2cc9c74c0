package io.glidepath.examples.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.glidepath.testkit.ManualClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrafficSimulatorTest {

  static double value(String exposition, String series) {
    Matcher m = Pattern.compile(Pattern.quote(series) + " ([0-9.]+)").matcher(exposition);
    assertThat(m.find()).as("series %s in%n%s", series, exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void splitsTrafficByShareAndFailsAsTheBuildDoes() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-25T10:00:00Z"));
    try (TrafficSimulator traffic = TrafficSimulator.start(clock, 100)) {
      traffic.profile("v3", new TrafficProfile(0.08, 0.2));
      traffic.route("trade-service-stable", "v2", 0.9);
      traffic.route("trade-service-canary", "v3", 0.1);
      clock.advance(Duration.ofSeconds(10));
      String text = traffic.exposition();
      double canaryErrors =
          value(text, "http_requests_total{service=\"trade-service-canary\",status=\"500\"}");
      double canaryOk =
          value(text, "http_requests_total{service=\"trade-service-canary\",status=\"200\"}");
      double stableErrors =
          value(text, "http_requests_total{service=\"trade-service-stable\",status=\"500\"}");
      assertThat(canaryOk + canaryErrors).isCloseTo(100, within(1e-6));
      assertThat(canaryErrors).isCloseTo(8, within(1e-6));
      assertThat(stableErrors).isCloseTo(0.9, within(1e-6)); // 900 requests at 0.1%
      assertThat(
              value(
                  text,
                  "http_request_duration_seconds_bucket{service=\"trade-service-canary\",le=\"+Inf\"}"))
          .isCloseTo(100, within(1e-6));
    }
  }

  @Test
  void putsTheNinetyNinthPercentileWhereTheProfileSays() {
    TrafficProfile slow = new TrafficProfile(0, 1.5);
    assertThat(slow.fractionWithin(1.5)).isCloseTo(0.99, within(1e-9));
    assertThat(slow.fractionWithin(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
  }

  @Test
  void stopsCountingARouteAtShareZero() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-25T10:00:00Z"));
    try (TrafficSimulator traffic = TrafficSimulator.start(clock, 10)) {
      traffic.route("trade-service-canary", "v3", 1.0);
      clock.advance(Duration.ofSeconds(5));
      traffic.route("trade-service-canary", "v3", 0.0);
      clock.advance(Duration.ofSeconds(5));
      assertThat(
              value(
                  traffic.exposition(),
                  "http_request_duration_seconds_count{service=\"trade-service-canary\"}"))
          .isCloseTo(50, within(1e-6));
    }
  }

  @Test
  void servesTheMetricsOverHttp() throws Exception {
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-25T10:00:00Z"));
    try (TrafficSimulator traffic = TrafficSimulator.start(clock, 10)) {
      traffic.route("trade-service-stable", "v2", 1.0);
      clock.advance(Duration.ofSeconds(1));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(traffic.metricsUri()).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("# TYPE http_requests_total counter");
      assertThat(traffic.metricsUri().getHost()).isEqualTo("127.0.0.1");
    }
  }
}

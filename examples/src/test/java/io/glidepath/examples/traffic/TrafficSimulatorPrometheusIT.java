package io.glidepath.examples.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A real Prometheus scrapes the simulator, and the seed's success-rate query sees the canary. */
class TrafficSimulatorPrometheusIT {

  @Test
  void prometheusSeesTheCanarysErrorRate() throws Exception {
    ExternalTool.require(ExternalTool.PROMETHEUS);
    try (TrafficSimulator traffic = TrafficSimulator.start(Clock.systemUTC(), 200);
        PrometheusServer prometheus =
            PrometheusServer.newBuilder()
                .scrape("trade-service", traffic.metricsUri(), Duration.ofMillis(500))
                .start()) {
      traffic.profile("v3", new TrafficProfile(0.08, 0.2));
      traffic.route("trade-service-stable", "v2", 0.9);
      traffic.route("trade-service-canary", "v3", 0.1);
      String query =
          "sum(rate(http_requests_total{service=\"trade-service-canary\",status!~\"5..\"}[1m]))"
              + " / sum(rate(http_requests_total{service=\"trade-service-canary\"}[1m]))";
      HttpClient http = HttpClient.newHttpClient();
      URI uri =
          prometheus
              .uri()
              .resolve("api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
      double successRate = Double.NaN;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode body =
            Yaml.mapper()
                .readTree(
                    http.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body());
        JsonNode result = body.at("/data/result");
        if (result.size() == 1 && !"NaN".equals(result.get(0).at("/value/1").asString())) {
          successRate = Double.parseDouble(result.get(0).at("/value/1").asString());
          break;
        }
        Thread.sleep(500);
      }
      assertThat(successRate).as("success rate seen by Prometheus").isCloseTo(0.92, within(0.005));
    }
  }
}

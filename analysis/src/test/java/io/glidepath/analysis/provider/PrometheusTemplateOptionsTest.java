package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricValue;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Prometheus metric's own {@code headers} and {@code timeout} reach the HTTP request. */
class PrometheusTemplateOptionsTest {
  private HttpServer server;
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/query",
        exchange -> {
          seen.put(
              "X-Scope-OrgID",
              String.valueOf(exchange.getRequestHeaders().getFirst("X-Scope-OrgID")));
          if (new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
              .contains("slow")) {
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body =
              "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0.5\"]}}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Metric metric(String query) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          metrics:
            - name: m
              provider:
                prometheus:
                  address: http://127.0.0.1:%d
                  query: %s
                  timeout: 1
                  headers: [{key: X-Scope-OrgID, value: tenant-1}]
        """
            .formatted(server.getAddress().getPort(), query);
    return AnalysisTemplate.parse(yaml, "t.yaml").metrics().get(0);
  }

  @Test
  void theMetricsHeadersAreSent() {
    MetricValue v =
        PrometheusProvider.ofDefaults()
            .measure(new MeasurementRequest("t", metric("up"), Instant.now()));
    assertThat(v).isEqualTo(MetricValue.scalar(0.5));
    assertThat(seen).containsEntry("X-Scope-OrgID", "tenant-1");
  }

  @Test
  void theMetricsTimeoutBoundsTheQuery() {
    assertThatThrownBy(
            () ->
                PrometheusProvider.ofDefaults()
                    .measure(new MeasurementRequest("t", metric("slow"), Instant.now())))
        .isInstanceOf(MetricProviderException.class)
        .hasMessageContaining("timed out after PT1S");
  }
}

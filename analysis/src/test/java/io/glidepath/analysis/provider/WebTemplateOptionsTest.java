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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A web metric's {@code method}, {@code body} and {@code timeoutSeconds} reach the request. */
class WebTemplateOptionsTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(exchange.getRequestMethod() + " " + body);
          if (exchange.getRequestURI().getPath().equals("/slow")) {
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] out = "{\"ok\": 1}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Metric metric(String path, String options) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          metrics:
            - name: m
              provider:
                web:
                  url: http://127.0.0.1:%d%s
        %s
        """
            .formatted(server.getAddress().getPort(), path, options.indent(10).stripTrailing());
    return AnalysisTemplate.parse(yaml, "t.yaml").metrics().get(0);
  }

  @Test
  void putSendsTheBodyAsWritten() {
    MetricValue v =
        WebProvider.ofDefaults()
            .measure(
                new MeasurementRequest(
                    "t",
                    metric("/q", "method: PUT\nbody: 'window=5m'\njsonPath: \"{$.ok}\""),
                    Instant.now()));
    assertThat(v).isEqualTo(MetricValue.scalar(1));
    assertThat(requests).containsExactly("PUT window=5m");
  }

  @Test
  void timeoutSecondsBoundsTheRequest() {
    assertThatThrownBy(
            () ->
                WebProvider.ofDefaults()
                    .measure(
                        new MeasurementRequest(
                            "t", metric("/slow", "timeoutSeconds: 1"), Instant.now())))
        .isInstanceOf(MetricProviderException.class)
        .hasMessageContaining("timed out after PT1S");
  }
}

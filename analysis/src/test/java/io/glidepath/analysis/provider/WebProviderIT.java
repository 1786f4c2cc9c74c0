package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.MetricValue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebProviderIT {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + body);
          reply(
              ex, 200, "{\"data\": {\"ok\": true, \"rates\": [0.99, 0.5], \"error-rate\": 0.01}}");
        });
    server.createContext("/broken", ex -> reply(ex, 503, "{\"error\": \"down\"}"));
    server.createContext("/html", ex -> reply(ex, 200, "<html>"));
    server.start();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private AnalysisTemplate template(String provider, String condition) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: web}
        spec:
          args: [{name: token, value: t0k3n}]
          metrics:
          - name: m
            successCondition: "%s"
            provider:
              web:
        %s
        """
            .formatted(condition, provider.indent(8).stripTrailing());
    return AnalysisTemplate.parse(yaml, "web.yaml").resolve(Map.of());
  }

  private AnalysisResult run(AnalysisTemplate t) {
    return AnalysisRun.replay(
        t, MetricProviders.of(WebProvider.ofDefaults()), Instant.EPOCH, AnalysisListener.NONE);
  }

  @Test
  void getSelectsAValueByJsonPath() {
    AnalysisResult r =
        run(
            template(
                "url: " + url("/metrics") + "\njsonPath: \"{$.data.rates[0]}\"", "result >= 0.99"));
    assertThat(r.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(r.metric("m").orElseThrow().measurements().get(0).value())
        .contains(MetricValue.scalar(0.99));
  }

  @Test
  void bracketNamesJsonPointerAndWholeDocumentsWork() {
    assertThat(
            run(template(
                    "url: " + url("/metrics") + "\njsonPath: \"$.data['error-rate']\"",
                    "result < 0.05"))
                .phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(
            run(template("url: " + url("/metrics") + "\njsonPointer: /data/ok", "result == true"))
                .phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(
            run(template("url: " + url("/metrics"), "result.data.rates.all(x, x > 0.1)")).phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void postSendsJsonBodyAndTemplateHeaders() {
    AnalysisResult r =
        run(
            template(
                "url: "
                    + url("/metrics")
                    + "\nmethod: POST\njsonBody: {window: 5m}\nheaders: [{key: Authorization, value: \"Bearer {{args.token}}\"}]\njsonPath: \"{$.data.ok}\"",
                "result"));
    assertThat(r.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(requests).containsExactly("POST Bearer t0k3n {\"window\":\"5m\"}");
  }

  @Test
  void errorsBecomeErroredMeasurements() {
    AnalysisResult down = run(template("url: " + url("/broken"), "true"));
    assertThat(down.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(down.message()).contains("answered HTTP 503");
    // as in Argo, a body that is not JSON is the value, Successful, conditions not evaluated
    AnalysisResult html = run(template("url: " + url("/html"), "false"));
    assertThat(html.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(html.metrics().get(0).measurements().get(0).value())
        .contains(MetricValue.string("<html>"));
    AnalysisResult missing =
        run(template("url: " + url("/metrics") + "\njsonPath: \"{$.data.nope}\"", "true"));
    assertThat(missing.message()).contains("has nothing at {$.data.nope}");
  }

  @Test
  void unsupportedJsonPathIsReported() {
    WebProvider web = WebProvider.ofDefaults();
    AnalysisTemplate t =
        template("url: " + url("/metrics") + "\njsonPath: \"{$.data.rates[*]}\"", "true");
    assertThatThrownBy(
            () -> web.measure(new MeasurementRequest("web", t.metrics().get(0), Instant.EPOCH)))
        .isInstanceOf(MetricProviderException.class)
        .hasMessageContaining("only names and list indexes");
  }
}

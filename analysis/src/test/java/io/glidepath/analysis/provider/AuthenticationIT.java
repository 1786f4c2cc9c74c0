package io.glidepath.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.testkit.metrics.Answer;
import io.glidepath.testkit.metrics.FakeMetricsServer;
import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus and Web authentication, insecure TLS and the address from the environment. */
class AuthenticationIT {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private FakeMetricsServer server;

  @BeforeEach
  void start() {
    server = FakeMetricsServer.start();
    server.prometheus().respond(Answer.values(0.995));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static AnalysisTemplate template(String provider, String condition, int count) {
    return AnalysisTemplate.parse(
        "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: auth}\nspec:\n"
            + "  args: [{name: secret}]\n"
            + "  metrics:\n  - name: m\n    count: "
            + count
            + "\n    interval: 30s\n    successCondition: \""
            + condition
            + "\"\n    provider:\n      "
            + provider.replace("\n", "\n      ")
            + "\n",
        "auth.yaml");
  }

  private static AnalysisResult run(AnalysisTemplate t, MetricProvider p) {
    return AnalysisRun.replay(
        t.resolve(Map.of("secret", FakeMetricsServer.OAUTH_CLIENT_SECRET)),
        MetricProviders.of(p),
        T0,
        AnalysisListener.NONE);
  }

  private String oauth2() {
    return "  authentication:\n    oauth2:\n      tokenUrl: "
        + server.uri()
        + FakeMetricsServer.TOKEN_PATH
        + "\n      clientId: "
        + FakeMetricsServer.OAUTH_CLIENT_ID
        + "\n      clientSecret: '{{args.secret}}'\n      scopes: [metrics.read, metrics.query]";
  }

  @Test
  void prometheusSendsAClientCredentialsTokenAndReusesItUntilItExpires() {
    server.prometheusAuthentication("bearer");
    AnalysisResult r =
        run(
            template(
                "prometheus:\n  address: " + server.uri() + "\n  query: up\n" + oauth2(),
                "result[0] > 0.99",
                3),
            PrometheusProvider.ofDefaults());
    assertThat(r.phase()).as(r.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(server.tokensIssued()).isEqualTo(1);
    assertThat(server.requests())
        .filteredOn(q -> q.rawPath().equals(FakeMetricsServer.TOKEN_PATH))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.bodyText()).contains("grant_type=client_credentials");
              assertThat(q.bodyText()).contains("scope=metrics.read+metrics.query");
              assertThat(q.header("authorization")).startsWith("Basic ");
            });
    assertThat(server.violations()).isEmpty();
  }

  @Test
  void aRefusedClientIsAnErrorWithTheServersMessageAndNoSecret() {
    server.prometheusAuthentication("bearer");
    AnalysisResult r =
        AnalysisRun.replay(
            template(
                    "prometheus:\n  address: " + server.uri() + "\n  query: up\n" + oauth2(),
                    "true",
                    1)
                .resolve(Map.of("secret", "wrong-secret-value")),
            MetricProviders.of(PrometheusProvider.ofDefaults()),
            T0,
            AnalysisListener.NONE);
    assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
    String message = r.metrics().get(0).measurements().get(0).message();
    assertThat(message).contains("HTTP 401", "invalid_client").doesNotContain("wrong-secret-value");
  }

  @Test
  void webSendsTheOAuth2TokenToo() {
    server.prometheusAuthentication("bearer");
    AnalysisResult r =
        run(
            template(
                "web:\n  url: "
                    + server.uri()
                    + "/api/v1/query?query=up\n  jsonPath: '{$.data.result[0].value[1]}'\n"
                    + oauth2(),
                "result == '0.995'",
                1),
            WebProvider.ofDefaults());
    assertThat(r.phase()).as(r.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(server.tokensIssued()).isEqualTo(1);
  }

  @Test
  void prometheusSendsTemplateHeadersWithValuesFromArguments() {
    AnalysisResult r =
        run(
            template(
                "prometheus:\n  address: "
                    + server.uri()
                    + "\n  query: up\n  headers: [{key: X-Scope-OrgID, value: '{{args.secret}}'}]",
                "result[0] > 0.99",
                1),
            PrometheusProvider.ofDefaults());
    assertThat(r.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(server.requests().get(0).header("X-Scope-OrgID"))
        .isEqualTo(FakeMetricsServer.OAUTH_CLIENT_SECRET);
  }

  @Test
  void webGivesUpAfterTimeoutSeconds() throws Exception {
    com.sun.net.httpserver.HttpServer slow =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext(
        "/slow",
        ex -> {
          try {
            Thread.sleep(3000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    slow.start();
    try {
      String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/slow";
      AnalysisResult r =
          run(
              template("web: {url: '" + url + "', timeoutSeconds: 1}\n", "true", 1)
                  .newBuilder()
                  .metrics(
                      List.of(
                          template("web: {url: '" + url + "', timeoutSeconds: 1}", "true", 1)
                              .metrics()
                              .get(0)
                              .newBuilder()
                              .consecutiveErrorLimit(0)
                              .build()))
                  .build(),
              WebProvider.ofDefaults());
      assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(r.metrics().get(0).measurements().get(0).message())
          .contains("timed out after PT1S");
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void sigv4WithoutTheAwsModuleSaysWhatIsMissing() {
    AnalysisResult r =
        run(
            template(
                "prometheus:\n  address: "
                    + server.uri()
                    + FakeMetricsServer.AMP_PREFIX
                    + "\n  query: up\n  authentication: {sigv4: {region: eu-west-1}}",
                "true",
                1),
            PrometheusProvider.ofDefaults());
    assertThat(r.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(r.metrics().get(0).measurements().get(0).message())
        .contains("glidepath-analysis-aws");
  }

  @Test
  void theAddressMayComeFromArgosEnvironmentVariable() {
    PrometheusProvider p =
        PrometheusProvider.newBuilder()
            .environment(Map.of(PrometheusProvider.ADDRESS_ENV, server.uri().toString()))
            .build();
    assertThat(run(template("prometheus: {query: up}", "result[0] > 0.99", 1), p).phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void insecureSkipsCertificateVerificationOnlyWhenAsked(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=metrics.invalid",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ssl));
    https.createContext(
        "/health",
        ex -> {
          byte[] b = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
          }
        });
    https.start();
    try {
      String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/health";
      AnalysisResult verified =
          run(
              template("web: {url: '" + url + "', jsonPath: '{$.ok}'}", "result", 1),
              WebProvider.ofDefaults());
      assertThat(verified.phase()).isEqualTo(AnalysisPhase.ERROR);
      AnalysisResult insecure =
          run(
              template(
                  "web: {url: '" + url + "', jsonPath: '{$.ok}', insecure: true}", "result", 1),
              WebProvider.ofDefaults());
      assertThat(insecure.phase()).as(insecure.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    } finally {
      https.stop(0);
    }
    Files.deleteIfExists(keystore);
  }
}

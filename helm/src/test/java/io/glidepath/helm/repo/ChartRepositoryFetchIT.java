package io.glidepath.helm.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.ChartRequest;
import io.glidepath.core.render.FetchedChart;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.helm.repo.ChartSourceException.Reason;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import io.glidepath.testkit.tls.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ChartFetcher against the testkit's chart repository: versions, digests, cache, credentials. */
class ChartRepositoryFetchIT {
  @TempDir Path tmp;
  private ChartRepositoryServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path chart(String name, String version) throws IOException {
    Path dir = tmp.resolve("src").resolve(name + "-" + version);
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(
        dir.resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    Files.writeString(dir.resolve("values.yaml"), "greeting: hello from " + version + "\n");
    Files.writeString(
        dir.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
            + "data:\n  greeting: {{ .Values.greeting | quote }}\n");
    return dir;
  }

  private ChartFetcher fetcher(RepoCredentialStore store) {
    return ChartFetcher.builder(ChartCache.open(tmp.resolve("cache"))).credentials(store).build();
  }

  private ChartFetcher fetcher() {
    return fetcher(RepoCredentialStore.EMPTY);
  }

  private static RepoCredentialStore store(String yaml) {
    return RepoCredentialStore.of(Yaml.readResources(yaml, "argocd.yaml"));
  }

  @Test
  void choosesTheHighestVersionSatisfyingTheConstraintAndVerifiesItsDigest() throws IOException {
    server = ChartRepositoryServer.start();
    for (String v : List.of("1.0.0", "1.4.2", "1.10.0", "2.0.0", "1.11.0-rc.1")) {
      server.addChart(chart("demo", v));
    }
    ChartFetcher f = fetcher();

    FetchedChart caret = f.fetch(new ChartRequest(server.url(), "demo", "^1", false));
    assertThat(caret.version()).isEqualTo("1.10.0");
    assertThat(caret.dir().resolve("values.yaml")).hasContent("greeting: hello from 1.10.0");
    assertThat(caret.digest()).startsWith("sha256:");

    assertThat(f.fetch(new ChartRequest(server.url(), "demo", ">=1.0 <1.5", false)).version())
        .isEqualTo("1.4.2");
    assertThat(f.fetch(new ChartRequest(server.url(), "demo", "*", false)).version())
        .isEqualTo("2.0.0");
    assertThat(f.fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)).version())
        .isEqualTo("1.0.0");
  }

  @Test
  void aConstraintNothingSatisfiesAndAMissingChartAreTypedErrors() throws IOException {
    server = ChartRepositoryServer.start();
    server.addChart(chart("demo", "1.0.0"));
    ChartFetcher f = fetcher();
    assertThatThrownBy(() -> f.fetch(new ChartRequest(server.url(), "demo", "^3", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_VERSION))
        .hasMessageContaining(server.url() + " demo ^3")
        .hasMessageContaining("1.0.0");
    assertThatThrownBy(() -> f.fetch(new ChartRequest(server.url(), "nope", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThatThrownBy(() -> f.fetch(new ChartRequest(server.url(), "demo", "latest", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_VERSION))
        .hasMessageContaining("neither a version nor a version constraint");
  }

  @Test
  void refusesAnArchiveWhoseDigestIsNotTheIndexsAndCachesNothing() throws IOException {
    server = ChartRepositoryServer.start();
    byte[] archive = ChartRepositoryServer.pack(chart("demo", "1.0.0"));
    server.addArchive("demo", "1.0.0", archive, "0".repeat(64));
    ChartFetcher f = fetcher();
    assertThatThrownBy(() -> f.fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH))
        .hasMessageContaining("not cached");
    assertThat(cachedArchives()).isEmpty();
  }

  @Test
  void refusesAnArchiveThatIsNotAChartAndCachesNothing() {
    server = ChartRepositoryServer.start();
    server.addArchive("demo", "1.0.0", "<html>maintenance</html>".getBytes());
    server.addArchive(
        "escape",
        "1.0.0",
        ChartRepositoryServer.pack(
            Map.of("escape/Chart.yaml", "name: escape\nversion: 1.0.0\n", "escape/../../x", "y")));
    ChartFetcher f = fetcher();
    assertThatThrownBy(() -> f.fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARCHIVE))
        .hasMessageContaining("not gzip");
    assertThatThrownBy(() -> f.fetch(new ChartRequest(server.url(), "escape", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARCHIVE))
        .hasMessageContaining("escapes");
    assertThat(cachedArchives()).isEmpty();
  }

  @Test
  void servesCachedChartsAfterARestartWithoutTheRepository() throws IOException {
    server = ChartRepositoryServer.start();
    server.addChart(chart("demo", "1.2.3"));
    String url = server.url();
    FetchedChart first = fetcher().fetch(new ChartRequest(url, "demo", "1.2.3", false));
    server.close();
    server = null;

    // a new process: a new cache object on the same directory, the repository gone
    FetchedChart again = fetcher().fetch(new ChartRequest(url, "demo", "1.2.3", false));
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(again.dir().resolve("values.yaml")).hasContent("greeting: hello from 1.2.3");
  }

  @Test
  void detectsACorruptCachedArchiveAndFetchesItAgain() throws IOException {
    server = ChartRepositoryServer.start();
    server.addChart(chart("demo", "1.2.3"));
    FetchedChart first = fetcher().fetch(new ChartRequest(server.url(), "demo", "1.2.3", false));
    Path archive = cachedArchives().get(0);
    Files.write(archive, new byte[] {1, 2, 3});
    int before = server.requests().size();

    FetchedChart again = fetcher().fetch(new ChartRequest(server.url(), "demo", "1.2.3", false));

    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(server.requests().subList(before, server.requests().size()))
        .extracting(ChartRepositoryServer.Request::path)
        .containsExactly("/index.yaml", "/charts/demo-1.2.3.tgz");
    assertThat(ChartCache.sha256(Files.readAllBytes(cachedArchives().get(0))))
        .isEqualTo(first.digest());
  }

  @Test
  void sendsBasicCredentialsFromTheRepositorySecretAndSaysWhenTheyAreMissing() throws IOException {
    server = ChartRepositoryServer.builder().basicAuth("ci", "s3cret-pass").start();
    server.addChart(chart("demo", "1.0.0"));
    assertThatThrownBy(
            () -> fetcher().fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
        .hasMessageContaining("needs credentials")
        .hasMessageContaining("none are configured");

    String secret =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: charts
          namespace: argocd
          labels: {argocd.argoproj.io/secret-type: repository}
        stringData:
          type: helm
          url: %s
          username: ci
          password: %s
        """;
    RepoCredentialStore wrong = store(secret.formatted(server.url(), "wrong-pass"));
    assertThatThrownBy(
            () -> fetcher(wrong).fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
        .hasMessageContaining("refused the credentials of secret argocd/charts")
        .hasMessageNotContaining("wrong-pass");

    RepoCredentialStore right = store(secret.formatted(server.url(), "s3cret-pass"));
    assertThat(
            fetcher(right).fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)).version())
        .isEqualTo("1.0.0");
  }

  @Test
  void sendsABearerTokenFromACredentialTemplate() throws IOException {
    server = ChartRepositoryServer.builder().bearerToken("t0ken").start();
    server.addChart(chart("demo", "1.0.0"));
    RepoCredentialStore s =
        RepoCredentialStore.ofCredentials(
            List.of(
                new RepoCredentials(
                    "code",
                    true,
                    "http://127.0.0.1",
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    java.util.Optional.of("t0ken"),
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    false,
                    false,
                    false,
                    false)));
    assertThat(fetcher(s).fetch(new ChartRequest(server.url(), "demo", "^1", false)).version())
        .isEqualTo("1.0.0");
  }

  @Test
  void sendsCredentialsToOtherHostsOnlyWithPassCredentials() throws IOException {
    server =
        ChartRepositoryServer.builder().basicAuth("ci", "pw").chartUrlsOnHost("localhost").start();
    server.addChart(chart("demo", "1.0.0"));
    RepoCredentialStore s =
        RepoCredentialStore.ofCredentials(List.of(RepoCredentials.basic(server.url(), "ci", "pw")));

    assertThatThrownBy(
            () -> fetcher(s).fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED));
    assertThat(server.requests())
        .filteredOn(r -> r.path().endsWith(".tgz"))
        .singleElement()
        .satisfies(r -> assertThat(r.hadAuthorization()).isFalse());

    FetchedChart c = fetcher(s).fetch(new ChartRequest(server.url(), "demo", "1.0.0", true));
    assertThat(c.version()).isEqualTo("1.0.0");
  }

  @Test
  void trustsTheRepositoryCaFromTheTlsCertsConfigMapAndPresentsAClientCertificate()
      throws IOException {
    TestCertificates tls = TestCertificates.create();
    server = ChartRepositoryServer.builder().tls(tls).requireClientCertificate().start();
    server.addChart(chart("demo", "1.0.0"));
    ChartRequest request = new ChartRequest(server.url(), "demo", "1.0.0", false);

    // without the CA: the server's certificate is not trusted
    assertThatThrownBy(() -> fetcher().fetch(request))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRANSPORT));

    String config =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: argocd-tls-certs-cm, namespace: argocd}
        data:
          127.0.0.1: |
        %s
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: charts
          namespace: argocd
          labels: {argocd.argoproj.io/secret-type: repository}
        stringData:
          url: %s
          tlsClientCertData: |
        %s
          tlsClientCertKey: |
        %s
        """
            .formatted(
                indent(tls.caPem(), 4),
                server.url(),
                indent(tls.clientCertificatePem(), 4),
                indent(tls.clientKeyPem(), 4));
    assertThat(fetcher(store(config)).fetch(request).version()).isEqualTo("1.0.0");
  }

  @Test
  void insecureSkipsTheCertificateCheck() throws IOException {
    server = ChartRepositoryServer.builder().tls(TestCertificates.create()).start();
    server.addChart(chart("demo", "1.0.0"));
    String secret =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: charts
          labels: {argocd.argoproj.io/secret-type: repository}
        stringData: {url: "%s", insecure: "true"}
        """
            .formatted(server.url());
    assertThat(
            fetcher(store(secret))
                .fetch(new ChartRequest(server.url(), "demo", "1.0.0", false))
                .version())
        .isEqualTo("1.0.0");
  }

  @Test
  void refusesAnIndexOverTheLimitsOrThatIsNotAnIndex() {
    server = ChartRepositoryServer.start();
    StringBuilder bomb = new StringBuilder("apiVersion: v1\nentries:\n  demo:\n");
    for (int i = 0; i < 50; i++) {
      bomb.append("  - {version: 1.0.").append(i).append(", urls: [x.tgz]}\n");
    }
    server.serveIndex(bomb.toString());
    ChartFetcher small =
        ChartFetcher.builder(ChartCache.open(tmp.resolve("cache"))).maxIndexEntries(10).build();
    assertThatThrownBy(() -> small.fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INDEX))
        .hasMessageContaining("more than the limit of 10 chart versions");
    ChartFetcher tiny =
        ChartFetcher.builder(ChartCache.open(tmp.resolve("cache"))).maxIndexBytes(100).build();
    assertThatThrownBy(() -> tiny.fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INDEX))
        .hasMessageContaining("limit of 100 bytes");
    // an alias bomb
    server.serveIndex(
        "apiVersion: v1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
            + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e]\n"
            + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g]\n");
    assertThatThrownBy(
            () -> fetcher().fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INDEX));
    server.serveIndex("<html>not here</html>");
    assertThatThrownBy(
            () -> fetcher().fetch(new ChartRequest(server.url(), "demo", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INDEX));
  }

  @Test
  void refusesRepositoryUrlsItCannotFetch() {
    assertThatThrownBy(
            () ->
                fetcher().fetch(new ChartRequest("git@github.com:org/charts", "x", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
    assertThatThrownBy(
            () ->
                fetcher()
                    .fetch(
                        new ChartRequest("https://ci:hunter2@charts.example.com", "x", "1", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("Secret");
    assertThatThrownBy(() -> fetcher().fetch(new ChartRequest("@stable", "x", "1.0.0", false)))
        .isInstanceOfSatisfying(
            ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessageContaining("no repository named \"stable\"");
  }

  /**
   * A raw HTTP server on 127.0.0.1 that answers every request with {@code answer} (given the
   * server's port) and otherwise keeps the connection open without another byte.
   */
  private static ServerSocket rawServer(java.util.function.IntFunction<String> answer)
      throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    byte[] bytes = answer.apply(socket.getLocalPort()).getBytes(StandardCharsets.UTF_8);
    Thread acceptor =
        new Thread(
            () -> {
              try (socket) {
                while (true) {
                  Socket c = socket.accept();
                  Thread conn = new Thread(() -> answerEach(c, bytes), "raw-http-conn");
                  conn.setDaemon(true);
                  conn.start();
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "raw-http");
    acceptor.setDaemon(true);
    acceptor.start();
    return socket;
  }

  private static void answerEach(Socket c, byte[] answer) {
    try (c) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = c.getOutputStream();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) { // the end of a request's headers (GETs have no body)
          out.write(answer);
          out.flush();
        }
      }
    } catch (IOException gone) {
      // the client hung up
    }
  }

  @Test
  @Timeout(120)
  void givesUpOnARepositoryThatStallsMidBody() throws IOException {
    // the headers promise an index, a few bytes come, then nothing
    try (ServerSocket stalling =
        rawServer(port -> "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\napiVersion: v1\n")) {
      String url = "http://127.0.0.1:" + stalling.getLocalPort();
      ChartFetcher f =
          ChartFetcher.builder(ChartCache.open(tmp.resolve("cache")))
              .timeout(Duration.ofSeconds(2))
              .build();
      assertThatThrownBy(() -> f.fetch(new ChartRequest(url, "demo", "1.0.0", false)))
          .isInstanceOfSatisfying(
              ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRANSPORT))
          .hasMessageContaining(url + " demo 1.0.0")
          .hasMessageContaining("did not answer in full within 2 s");
    }
  }

  @Test
  @Timeout(120)
  void refusesARedirectLoop() throws IOException {
    try (ServerSocket loop =
        rawServer(
            port ->
                "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:"
                    + port
                    + "/again/index.yaml\r\nContent-Length: 0\r\n\r\n")) {
      String url = "http://127.0.0.1:" + loop.getLocalPort();
      assertThatThrownBy(() -> fetcher().fetch(new ChartRequest(url, "demo", "1.0.0", false)))
          .isInstanceOfSatisfying(
              ChartSourceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRANSPORT))
          .hasMessageContaining("more than 10 redirects");
    }
  }

  private List<Path> cachedArchives() {
    try (Stream<Path> files = Files.walk(tmp.resolve("cache").resolve("archives"))) {
      return files.filter(p -> p.getFileName().toString().equals("chart.tgz")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return pad + text.strip().replace("\n", "\n" + pad);
  }
}

package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.RemoteBaseLoader;
import io.glidepath.core.render.RemoteRefNotFoundException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.kustomize.KustomizeException;
import io.glidepath.kustomize.KustomizeException.Problem;
import io.glidepath.kustomize.KustomizeRenderer;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Kustomize remote bases fetched from the local git server through {@link GitRemoteBases}. */
class GitRemoteBasesIT {
  static final String TOKEN = "ghs_RemoteBaseT0kenNeverShown";

  static final Map<String, String> BASE =
      Map.of(
          "base/kustomization.yaml",
          """
          namePrefix: platform-
          commonLabels:
            team: platform
          resources:
          - deployment.yaml
          - service.yaml
          configMapGenerator:
          - name: settings
            literals:
            - LOG_LEVEL=info
          """,
          "base/deployment.yaml",
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            replicas: 1
            selector:
              matchLabels:
                app: web
            template:
              metadata:
                labels:
                  app: web
              spec:
                containers:
                - name: web
                  image: nginx:1.25
                  envFrom:
                  - configMapRef:
                      name: settings
          """,
          "base/service.yaml",
          """
          apiVersion: v1
          kind: Service
          metadata:
            name: web
          spec:
            selector:
              app: web
            ports:
            - port: 80
          """);

  static final String OVERLAY_TAIL =
      """
      namespace: shop
      images:
      - name: nginx
        newTag: "1.27"
      patches:
      - patch: |-
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            replicas: 3
      """;

  static LocalGitServer server;
  static String v1;

  @TempDir Path tmp;
  GitCache cache;

  @BeforeAll
  static void start(@TempDir Path content) {
    server = GitTestSupport.startServer();
    v1 = server.seed("platform", GitTestSupport.writeTree(content.resolve("p"), BASE), "base v1");
    server.tag("platform", "v1", v1, "release v1");
    server.commitFiles(
        "platform",
        Map.of("base/deployment.yaml", BASE.get("base/deployment.yaml").replace("1.25", "1.26")),
        "newer nginx on main");
    server.seed(
        "escape",
        GitTestSupport.writeTree(
            content.resolve("e"),
            Map.of("base/kustomization.yaml", "resources:\n- ../../outside.yaml\n")),
        "escapes");
    server.seed(
        "private",
        GitTestSupport.writeTree(content.resolve("s"), Map.of("base/kustomization.yaml", "")),
        "private");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open() {
    cache = GitCache.open(tmp.resolve("cache"));
  }

  @AfterEach
  void close() {
    cache.close();
  }

  String host() {
    return "127.0.0.1:" + server.port();
  }

  Path overlay(String resource) throws Exception {
    Path app = tmp.resolve("app");
    Files.createDirectories(app);
    Files.writeString(
        app.resolve("kustomization.yaml"), "resources:\n- " + resource + "\n" + OVERLAY_TAIL);
    return app;
  }

  RenderResult render(Path app, List<String> allowed, RemoteBaseLoader loader) {
    return KustomizeRenderer.of()
        .render(
            RenderRequest.builder(app, "")
                .kustomize(KustomizeOptions.NONE.withAllowedRemoteBases(allowed))
                .remoteBases(loader)
                .build());
  }

  @Test
  void anAllowedRemoteBaseRendersAsKubectlKustomizeDoesForALocalCopy() throws Exception {
    ExternalTool.require(ExternalTool.KUBECTL);
    Path app = overlay(server.url("platform") + "//base?ref=v1");

    RenderResult ours = render(app, List.of(host() + "/platform"), GitRemoteBases.of(cache));

    Path local = tmp.resolve("local");
    GitTestSupport.writeTree(local, BASE);
    Files.createDirectories(local.resolve("app"));
    Files.writeString(
        local.resolve("app/kustomization.yaml"), "resources:\n- ../base\n" + OVERLAY_TAIL);
    List<JsonNode> expected = kubectlKustomize(local.resolve("app"));
    List<JsonNode> actual = new ArrayList<>();
    for (Resource r : ours.resources().toList()) {
      actual.add(r.body());
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.toString()).contains("nginx:1.27", "platform-web", "\"replicas\":3");
  }

  @Test
  void theRefIsPinnedAndAFullCommitIdRendersFromTheCacheWithoutTheServer() throws Exception {
    Path app = overlay(server.url("platform") + "//base?version=" + v1);
    RemoteBaseLoader loader = GitRemoteBases.of(cache);
    RenderResult first = render(app, List.of(host()), loader);
    assertThat(first.resources().toList().toString())
        .contains("platform.git@" + v1.substring(0, 12) + "//base/deployment.yaml");

    server.stopDaemon();
    try {
      RenderResult again = render(app, List.of(host()), loader);
      assertThat(again.resources().toList()).isEqualTo(first.resources().toList());
    } finally {
      server.startDaemon();
    }
    // main moved on: without a ref the default branch's newer commit is used
    String main = server.head("platform", "main");
    assertThat(main).isNotEqualTo(v1);
    RenderResult atMain =
        render(overlay(server.url("platform") + "//base"), List.of(host()), loader);
    assertThat(atMain.resources().toList().toString())
        .contains("platform.git@" + main.substring(0, 12) + "//base/deployment.yaml");
    Path other = overlay("git::" + server.url("platform") + "//base?ref=main&depth=1");
    assertThat(render(other, List.of(host()), loader).warnings())
        .singleElement()
        .asString()
        .contains("resources[0]", "\"depth\" is not one kustomize reads");
  }

  @Test
  void remoteBasesAreOffByDefault() throws Exception {
    Path app = overlay(server.url("platform") + "//base?ref=v1");
    assertThatThrownBy(
            () ->
                KustomizeRenderer.of()
                    .render(
                        RenderRequest.builder(app, "")
                            .remoteBases(GitRemoteBases.of(cache))
                            .build()))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
              assertThat(e.entry()).isEqualTo("resources[0]");
              assertThat(e.getMessage()).contains("remote bases are off", "platform.git//base");
            });
  }

  @Test
  void aHostNotOnTheListIsRefusedNamingTheEntryAndTheList() throws Exception {
    Path app = overlay(server.url("platform") + "//base?ref=v1");
    assertThatThrownBy(
            () ->
                render(
                    app, List.of("git.example.com", "127.0.0.1:1/other"), GitRemoteBases.of(cache)))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
              assertThat(e.entry()).isEqualTo("resources[0]");
              assertThat(e.getMessage())
                  .contains("127.0.0.1:" + server.port() + "/platform.git")
                  .contains("[git.example.com, 127.0.0.1:1/other]");
            });
    // another repository of an allowed host is refused too
    assertThatThrownBy(() -> render(app, List.of(host() + "/private"), GitRemoteBases.of(cache)))
        .isInstanceOf(KustomizeException.class)
        .hasMessageContaining("not on the remote base allow-list");
  }

  @Test
  void aRefThatDoesNotExistIsATypedError() throws Exception {
    Path app = overlay(server.url("platform") + "//base?ref=no-such-tag");
    assertThatThrownBy(() -> render(app, List.of(host()), GitRemoteBases.of(cache)))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_REF);
              assertThat(e.entry()).isEqualTo("resources[0]");
              assertThat(e.getCause()).isInstanceOf(RemoteRefNotFoundException.class);
              assertThat(((RemoteRefNotFoundException) e.getCause()).ref())
                  .isEqualTo("no-such-tag");
            });
  }

  @Test
  void aCycleBetweenRemoteBasesIsATypedError(@TempDir Path content) throws Exception {
    String a = server.url("cycle-a") + "//base?ref=main";
    String b = server.url("cycle-b") + "//base?ref=main";
    server.seed(
        "cycle-a",
        GitTestSupport.writeTree(
            content.resolve("a"), Map.of("base/kustomization.yaml", "resources:\n- " + b + "\n")),
        "a uses b");
    server.seed(
        "cycle-b",
        GitTestSupport.writeTree(
            content.resolve("b"), Map.of("base/kustomization.yaml", "resources:\n- " + a + "\n")),
        "b uses a");
    Path app = overlay(a);
    assertThatThrownBy(() -> render(app, List.of(host()), GitRemoteBases.of(cache)))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.CYCLE);
              assertThat(e.getMessage()).contains("cycle-a.git@", "cycle-b.git@");
            });
  }

  @Test
  void aRemoteBaseReadsFilesOnlyInsideItsOwnCheckout() throws Exception {
    Files.writeString(
        tmp.resolve("outside.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n");
    Path app = overlay(server.url("escape") + "//base");
    assertThatThrownBy(() -> render(app, List.of(host()), GitRemoteBases.of(cache)))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.PATH_ESCAPE);
              assertThat(e.kustomizationFile())
                  .contains("escape.git@")
                  .endsWith("//base/kustomization.yaml");
            });
  }

  @Test
  void itsOwnRemoteBasesPassTheSameAllowList(@TempDir Path content) throws Exception {
    server.seed(
        "nested",
        GitTestSupport.writeTree(
            content.resolve("n"),
            Map.of(
                "base/kustomization.yaml",
                "resources:\n- " + server.url("platform") + "//base?ref=v1\n")),
        "uses platform");
    Path app = overlay(server.url("nested") + "//base");
    assertThatThrownBy(() -> render(app, List.of(host() + "/nested"), GitRemoteBases.of(cache)))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
              assertThat(e.kustomizationFile()).contains("nested.git@");
            });
    assertThat(
            render(app, List.of(host() + "/nested", host() + "/platform"), GitRemoteBases.of(cache))
                .resources()
                .size())
        .isEqualTo(3);
  }

  @Test
  void aFetchStopsAtTheTimeoutOfItsUrlNotAtTheCachesTimeout() throws Exception {
    // a server that accepts and never answers: only the URL's timeout=2 ends the fetch early
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        GitCache patient =
            GitCache.builder(tmp.resolve("patient")).timeout(Duration.ofMinutes(10)).build()) {
      List<Socket> held = Collections.synchronizedList(new ArrayList<>());
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException e) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String hostPort = "127.0.0.1:" + silent.getLocalPort();
      Path app = overlay("http://" + hostPort + "/org/silent.git//base?timeout=2");

      assertTimeoutPreemptively(
          Duration.ofSeconds(90),
          () ->
              assertThatThrownBy(() -> render(app, List.of(hostPort), GitRemoteBases.of(patient)))
                  .isInstanceOfSatisfying(
                      KustomizeException.class,
                      e -> {
                        assertThat(e.problem()).isEqualTo(Problem.REMOTE_FETCH);
                        assertThat(e.getMessage()).contains("within 2s");
                      }));
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void credentialsComeFromTheStoreAndAreNeverPrinted() throws Exception {
    try (LocalGitServer secured = GitTestSupport.startServer()) {
      secured.seed("platform", GitTestSupport.writeTree(tmp.resolve("seed"), BASE), "base");
      secured.requireHttpToken("x-access-token", TOKEN);
      String url = secured.httpUrl("platform");
      String hostPort = url.substring("http://".length(), url.indexOf("/", "http://".length()));
      Path app = overlay(url + "//base");
      List<String> asked = new ArrayList<>();
      RemoteBaseLoader good =
          GitRemoteBases.of(
              cache,
              u -> {
                asked.add(u);
                return GitCredentials.httpsToken("x-access-token", TOKEN);
              });
      RenderResult ok = render(app, List.of(hostPort), good);
      assertThat(ok.resources().size()).isEqualTo(3);
      assertThat(asked).containsExactly(url);
      assertThat(ok.toString() + ok.warnings()).doesNotContain(TOKEN);

      GitCache otherCache = GitCache.open(tmp.resolve("other-cache"));
      RemoteBaseLoader wrong =
          GitRemoteBases.of(
              otherCache, u -> GitCredentials.httpsToken("x-access-token", TOKEN + "-wrong"));
      try {
        assertThatThrownBy(() -> render(app, List.of(hostPort), wrong))
            .isInstanceOfSatisfying(
                KustomizeException.class,
                e -> {
                  assertThat(e.problem()).isEqualTo(Problem.REMOTE_FETCH);
                  StringWriter trace = new StringWriter();
                  e.printStackTrace(new PrintWriter(trace));
                  assertThat(trace.toString()).doesNotContain(TOKEN);
                });
      } finally {
        otherCache.close();
      }
      // a password written into the kustomization is refused and not echoed
      Path leaky =
          overlay(url.replace("http://", "http://x-access-token:" + TOKEN + "@") + "//base");
      assertThatThrownBy(() -> render(leaky, List.of(hostPort), good))
          .isInstanceOfSatisfying(
              KustomizeException.class,
              e -> {
                assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
                assertThat(e.getMessage()).doesNotContain(TOKEN).contains("***@");
              });
    }
  }

  @Test
  void anHttpUrlToASingleFileStaysRefused() throws Exception {
    Path app = overlay("https://raw.example.com/org/repo/main/deploy.yaml");
    assertThatThrownBy(() -> render(app, List.of("raw.example.com"), GitRemoteBases.of(cache)))
        .isInstanceOfSatisfying(
            KustomizeException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.REMOTE_RESOURCE);
              assertThat(e.getMessage()).contains("single file");
            });
  }

  private static List<JsonNode> kubectlKustomize(Path dir) throws Exception {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
    List<JsonNode> docs = new ArrayList<>();
    for (YamlDocument d : Yaml.readDocuments(new String(out, StandardCharsets.UTF_8), "kubectl")) {
      docs.add(d.content());
    }
    return docs;
  }
}

package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's Application and chart, synced from a local Git server into an embedded cluster. */
class SyncCommandIT {
  static LocalGitServer server;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void start() throws IOException {
    ExternalTool.require(ExternalTool.GIT);
    server = LocalGitServer.start();
    server.seed("gitops", Path.of("../examples/gitops-configs"), "initial");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void syncsTheSeedAppIntoAnEmbeddedClusterAndPrintsPlanAndResults(@TempDir Path cache) {
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            server.url("gitops"),
            "--embedded",
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("rendered ", "Rollout", "SYNCED", "synced ");
    assertThat(run.out()).doesNotContain("SYNC_FAILED");
  }

  @Test
  void aDirectoryInsideAGitWorkTreeIsSyncedAsItIsOnDisk() {
    // examples/gitops-configs lies inside this project's work tree; Argo CD would see it as the
    // root of its own repository, where spec.source.path (apps/trade-service) is found
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "../examples/gitops-configs",
            "--embedded");

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.err())
        .contains("is not the root of a Git repository: syncing the files on disk");
    assertThat(run.out()).contains("rendered 10 resources at the files on disk", "synced dir-");
  }

  @Test
  void aPlainDirectoryIsSyncedAsItIsOnDisk(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("configs");
    copyTree(Path.of("../examples/gitops-configs"), copy);

    Run run =
        run(
            "sync",
            "--app",
            copy.resolve("apps/trade-service/argocd-app.yaml").toString(),
            "--repo",
            copy.toString(),
            "--embedded");

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("SYNCED", "synced dir-");
  }

  @Test
  void anUnreachableRemoteIsNamedWithItsCause() throws IOException {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "http://127.0.0.1:" + port + "/gitops.git",
            "--embedded");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith("error: fetch of http://127.0.0.1:" + port + "/gitops.git failed")
        .containsIgnoringCase("connection refused");
  }

  @Test
  void anUnreachableClusterIsNamedWithItsCause(@TempDir Path tmp) throws IOException {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path kubeconfig = tmp.resolve("kubeconfig");
    java.nio.file.Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:"
            + port
            + "\"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
            + "current-context: x\nusers:\n- name: u\n  user: {token: t}\n");
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            "../examples/gitops-configs",
            "--kubeconfig",
            kubeconfig.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "error: GET /api/v1 failed: cannot reach 127.0.0.1:"
                + port
                + ": connection refused (nothing listens on that port)");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (java.nio.file.Files.isDirectory(f)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(f, target);
        }
      }
    }
  }

  @Test
  void refusesWhatTheProjectForbidsAndExitsThree(@TempDir Path cache, @TempDir Path dir)
      throws IOException {
    Path project = dir.resolve("production.yaml");
    java.nio.file.Files.writeString(
        project,
        java.nio.file.Files.readString(
                Path.of("../examples/gitops-configs/projects/production.yaml"))
            .replace("namespace: production", "namespace: staging"));
    Run run =
        run(
            "sync",
            "--app",
            "../examples/gitops-configs/apps/trade-service/argocd-app.yaml",
            "--repo",
            server.url("gitops"),
            "--embedded",
            "--project",
            project.toString(),
            "--cache-dir",
            cache.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.err())
        .contains("refused: destination https://kubernetes.default.svc namespace production");
    assertThat(run.out()).doesNotContain("SYNCED");
  }
}

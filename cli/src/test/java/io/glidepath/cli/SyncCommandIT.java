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
    assertThat(run.out()).contains("rendered 9 resources at the files on disk", "synced dir-");
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

  /** The seed app deploying to the cluster named {@code destination}, and a Secret for prod. */
  private static Path[] fleet(Path tmp, String destination, String prodUrl) throws IOException {
    Path app = tmp.resolve("app.yaml");
    java.nio.file.Files.writeString(
        app,
        java.nio.file.Files.readString(
                Path.of("../examples/gitops-configs/apps/trade-service/argocd-app.yaml"))
            .replace("server: https://kubernetes.default.svc", "name: " + destination));
    // the project permits the destination by its cluster's name
    Path projects = java.nio.file.Files.createDirectories(tmp.resolve("projects"));
    java.nio.file.Files.writeString(
        projects.resolve("production.yaml"),
        java.nio.file.Files.readString(
                Path.of("../examples/gitops-configs/projects/production.yaml"))
            .replace("- server: https://kubernetes.default.svc", "- name: " + destination));
    Path clusters = java.nio.file.Files.createDirectories(tmp.resolve("clusters"));
    java.nio.file.Files.writeString(
        clusters.resolve("prod.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  namespace: argocd\n"
            + "  labels: {argocd.argoproj.io/secret-type: cluster}\nstringData:\n  name: prod\n"
            + "  server: "
            + prodUrl
            + "\n  config: '{\"bearerToken\":\"secret-token\"}'\n");
    return new Path[] {app, clusters};
  }

  @Test
  void syncsIntoTheClusterTheDestinationNamesAmongTheClusterSecrets(@TempDir Path tmp)
      throws IOException {
    try (io.glidepath.testkit.cluster.EmbeddedCluster prod =
        io.glidepath.testkit.cluster.EmbeddedCluster.start()) {
      Path[] files = fleet(tmp, "prod", prod.url());
      Run run =
          run(
              "sync",
              "--app",
              files[0].toString(),
              "--repo",
              "../examples/gitops-configs",
              "--embedded",
              "--clusters",
              files[1].toString());

      assertThat(run.code()).as(run.out() + run.err()).isZero();
      try (io.fabric8.kubernetes.client.KubernetesClient c =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder()
              .withConfig(prod.config())
              .build()) {
        assertThat(c.services().inNamespace("production").list().getItems())
            .as("the app's resources are in prod: " + run.out() + run.err())
            .isNotEmpty();
      }
      assertThat(run.out() + run.err()).doesNotContain("secret-token");
    }
  }

  @Test
  void aDestinationNoClusterAnswersIsArgoCdsInvalidSpecErrorAndNothingIsSynced(@TempDir Path tmp)
      throws IOException {
    try (io.glidepath.testkit.cluster.EmbeddedCluster prod =
        io.glidepath.testkit.cluster.EmbeddedCluster.start()) {
      Path[] files = fleet(tmp, "prod-us", prod.url());
      Run run =
          run(
              "sync",
              "--app",
              files[0].toString(),
              "--repo",
              "../examples/gitops-configs",
              "--embedded",
              "--clusters",
              files[1].toString());

      assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
      assertThat(run.err()).contains("there are no clusters with this name: prod-us");
      assertThat(run.out()).doesNotContain("SYNCED");
    }
  }
}

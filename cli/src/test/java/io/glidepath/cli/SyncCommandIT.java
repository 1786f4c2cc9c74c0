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

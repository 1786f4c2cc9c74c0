package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillCommandIT {
  static final String MANIFEST =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3  # default
        template:
          spec:
            containers:
            - name: app
              image: app:1.0
      """;

  static LocalGitServer server;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void start(@TempDir Path content) throws IOException {
    ExternalTool.require(ExternalTool.GIT);
    server = LocalGitServer.start();
    Path app = Files.createDirectories(content.resolve("apps/web"));
    Files.writeString(app.resolve("web.yaml"), MANIFEST);
    server.seed("gitops", content, "initial");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void backfillPushesABranchWithTheLiveReplicas(@TempDir Path tmp) throws IOException {
    Path live = tmp.resolve("live.yaml");
    Files.writeString(live, MANIFEST.replace("replicas: 3  # default", "replicas: 15"));
    String main = server.head("gitops", "main");

    Run r =
        run(
            "backfill",
            "--repo",
            server.url("gitops"),
            "--app",
            "web",
            "--live",
            live.toString(),
            "apps/web");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("apps/Deployment:/web (PLAIN_YAML):", "wrote spec.replicas=15");
    String branch = r.out().replaceAll("(?s).*pushed branch (\\S+) .*", "$1");
    assertThat(branch).startsWith("backfill/web/deployment-web-");
    assertThat(server.show("gitops", branch, "apps/web/web.yaml"))
        .isEqualTo(MANIFEST.replace("replicas: 3  #", "replicas: 15  #"));
    assertThat(server.head("gitops", "main")).isEqualTo(main);

    Run none =
        run(
            "backfill",
            "--repo",
            server.url("gitops"),
            "--app",
            "web",
            "--live",
            live.toString(),
            "--resource",
            "apps/Deployment:/other",
            "apps/web");
    assertThat(none.code()).isZero();
    assertThat(none.out()).startsWith("nothing to backfill");
  }
}

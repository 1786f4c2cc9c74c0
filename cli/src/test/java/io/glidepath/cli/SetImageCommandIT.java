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

class SetImageCommandIT {
  static final String VALUES = "apps/trade-service/values.yaml";
  static final String SHA = "9f3c2ab7d41e5f60718293a4b5c6d7e8f9012345";
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
    Path app = Files.createDirectories(content.resolve("apps/trade-service"));
    Files.copy(
        Path.of("../examples/gitops-configs/apps/trade-service/values.yaml"),
        app.resolve("values.yaml"));
    server.seed("gitops", content, "initial");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void setImageCommitsAOneLineChangeAndIsIdempotent() {
    Run first =
        run(
            "set-image",
            "--repo",
            server.url("gitops"),
            "--file",
            VALUES,
            "--path",
            "image.tag",
            "--value",
            SHA,
            "--message",
            "chore: update trade-service image to {value}");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .startsWith("committed " + server.head("gitops", "main").substring(0, 7));
    Path bare = server.repoDir("gitops");
    assertThat(server.git(bare, "show", "--numstat", "--format=%s", "main"))
        .isEqualTo("chore: update trade-service image to " + SHA + "\n\n1\t1\t" + VALUES + "\n");

    Run again = run("set-image", "--repo", server.url("gitops"), "--file", VALUES, "--value", SHA);
    assertThat(again.code()).isZero();
    assertThat(again.out()).startsWith("unchanged:");
  }

  @Test
  void aBrokenPathFailsWithOneLineAndExitTwo() {
    Run run =
        run(
            "set-image",
            "--repo",
            server.url("gitops"),
            "--file",
            VALUES,
            "--path",
            "image[3]",
            "--value",
            "x");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: cannot set 'image[3]'");
  }
}

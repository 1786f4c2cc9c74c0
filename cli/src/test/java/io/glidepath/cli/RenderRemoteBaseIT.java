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

/** {@code glidepath render --allow-remote-base} against the local git server. */
class RenderRemoteBaseIT {
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
    Files.createDirectories(content.resolve("base"));
    Files.writeString(content.resolve("base/kustomization.yaml"), "resources:\n- cm.yaml\n");
    Files.writeString(
        content.resolve("base/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-remote\n");
    server.seed("platform", content, "base");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  Path app(Path tmp) throws IOException {
    Path app = Files.createDirectories(tmp.resolve("repo/app"));
    Files.createDirectories(tmp.resolve("repo/.git"));
    Files.writeString(
        app.resolve("kustomization.yaml"),
        "namePrefix: shop-\nresources:\n- " + server.url("platform") + "//base?ref=main\n");
    return app;
  }

  @Test
  void rendersARemoteBaseFromAnAllowedHost(@TempDir Path tmp) throws IOException {
    Path cache = tmp.resolve("cache");
    Run run =
        run(
            "render",
            app(tmp).toString(),
            "--allow-remote-base",
            "127.0.0.1:" + server.port() + "/platform",
            "--cache-dir",
            cache.toString(),
            "-o",
            "summary");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("ConfigMap:/shop-from-remote", "1 resources rendered");
    assertThat(cache.resolve("repos")).isDirectory();
  }

  @Test
  void refusesRemoteBasesWithoutTheFlagOrFromAnotherHost(@TempDir Path tmp) throws IOException {
    Path app = app(tmp);
    Run off = run("render", app.toString());
    assertThat(off.code()).isEqualTo(2);
    assertThat(off.err()).contains("resources[0]", "remote bases are off", "--allow-remote-base");

    Run other = run("render", app.toString(), "--allow-remote-base", "git.example.com");
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("not on the remote base allow-list [git.example.com]");

    Run bad = run("render", app.toString(), "--allow-remote-base", "https://git.example.com");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("must be HOST, HOST/ORG or HOST/ORG/REPO");
  }
}

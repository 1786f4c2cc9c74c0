package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's Helm items through the command line: lookup reaches no cluster, schema references stay
 * in the chart, a runaway template is stopped, a hostile window glob ends at once.
 */
class HelmHostileInputIT {
  @TempDir Path tmp;

  private Path chart(String name, String template) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name + "/templates"));
    Files.writeString(
        tmp.resolve(name + "/Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
    Files.writeString(dir.resolve("cm.yaml"), template);
    return tmp.resolve(name);
  }

  /** A 127.0.0.1 socket that counts the connections made to it. */
  private static final class Recorder implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger connections = new AtomicInteger();

    Recorder() throws IOException {
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void renderWithAKubeconfigNeverContactsTheCluster() throws Exception {
    Path chart =
        chart(
            "probe",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                + "  s: {{ (lookup \"v1\" \"Secret\" \"kube-system\" \"x\") | toJson | quote }}\n");
    try (Recorder cluster = new Recorder()) {
      Path kubeconfig = tmp.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \""
              + cluster.url()
              + "\"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n"
              + "current-context: c\nusers: [{name: u, user: {token: t}}]\n");
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "render",
                  chart.toString())
              .redirectErrorStream(true);
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("s: '{}'");
      assertThat(cluster.connections.get()).isZero();
    }
  }

  @Test
  void aSchemaReferenceToAFileOrUrlIsRefusedWithoutReadingIt() throws Exception {
    try (Recorder web = new Recorder()) {
      Path chart = chart("schema", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
      Files.writeString(
          chart.resolve("values.schema.json"),
          "{\"properties\": {\"a\": {\"$ref\": \"file:///etc/passwd\"},"
              + " \"b\": {\"$ref\": \""
              + web.url()
              + "/s.json\"}}}");

      Run run = RenderCommandTest.run("render", chart.toString());

      assertThat(run.code()).isIn(1, 2);
      assertThat(run.err())
          .startsWith("error: values.schema.json")
          .contains("file:///etc/passwd")
          .doesNotContain("root:");
      assertThat(web.connections.get()).isZero();
    }
  }

  @Test
  void aTemplateThatBuildsAHugeStringIsStoppedNamingTheChart() throws IOException {
    Path chart =
        chart(
            "bomb",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                + "  v: {{ repeat 400000000 \"x\" | quote }}\n");

    Run run = RenderCommandTest.run("render", chart.toString());

    assertThat(run.code()).isIn(1, 2);
    assertThat(run.err()).startsWith("error: helm template of chart").doesNotContain("\tat ");
  }

  @Test
  void aProjectGlobThatWouldBacktrackForeverEndsAtOnce() throws IOException {
    Path app = Files.createDirectories(tmp.resolve("plain"));
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n";
    Files.writeString(app.resolve("cm.yaml"), cm);
    Path live = Files.writeString(tmp.resolve("live.yaml"), cm);
    Path application =
        Files.writeString(
            tmp.resolve("app.yaml"),
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n"
                + "  project: p\n  source: {repoURL: 'https://"
                + "a".repeat(200)
                + "', path: plain}\n"
                + "  destination: {server: 'https://kubernetes.default.svc', namespace: default}\n");
    Path project =
        Files.writeString(
            tmp.resolve("p.yaml"),
            "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n"
                + "  sourceRepos: ['"
                + "*a".repeat(25)
                + "b']\n  destinations: [{server: '*', namespace: '*'}]\n");

    Run run =
        RenderCommandTest.run(
            "diff",
            app.toString(),
            "--live",
            live.toString(),
            "--application",
            application.toString(),
            "--project",
            project.toString());

    // the glob is matched in linear time: the repository is simply not permitted (a project
    // violation, diff's exit 3), at once
    assertThat(run.code()).as(run.err()).isEqualTo(DiffCommand.PROJECT_VIOLATION);
    assertThat(run.err()).contains("sourceRepos of project p");
  }
}

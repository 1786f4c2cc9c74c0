package io.glidepath.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The YAML 1.1 scalar table read by Glidepath and by the real {@code kubectl} (client-side dry run,
 * which prints the object as kubectl parsed it): both must give the same JSON.
 */
class YamlKubectlConformanceIT {
  static final List<String> SCALARS =
      List.of(
          "yes",
          "Yes",
          "YES",
          "y",
          "Y",
          "on",
          "On",
          "ON",
          "true",
          "True",
          "TRUE",
          "no",
          "No",
          "NO",
          "n",
          "N",
          "off",
          "Off",
          "OFF",
          "false",
          "False",
          "FALSE",
          "~",
          "null",
          "Null",
          "NULL",
          "",
          "0644",
          "0o17",
          "0x1F",
          "0X1f",
          "-0x1F",
          "0b101",
          "1_000",
          "+12",
          "-12",
          "0",
          "08",
          "1e3",
          "1.5",
          ".5",
          "-1.25e-2",
          "9223372036854775807",
          "'yes'",
          "\"0644\"",
          "yess",
          "tRUE",
          "2026-11-25",
          "2026-11-25T10:00:00Z",
          "1:20",
          "abc123",
          "v1.2",
          "0644abc");

  @TempDir Path tmp;

  @Test
  void readsEveryScalarAsKubectlDoes() throws Exception {
    ExternalTool.require(ExternalTool.KUBECTL);
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: scalars\n"
                + "  namespace: default\nspec:\n");
    for (int i = 0; i < SCALARS.size(); i++) {
      yaml.append("  k").append(i).append(": ").append(SCALARS.get(i)).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("scalars.yaml"), yaml);
    JsonNode ours = Yaml.readResources(file).get(0).body().path("spec");
    try (EmbeddedCluster cluster = EmbeddedCluster.start()) {
      Process p =
          new ProcessBuilder(
                  "kubectl",
                  "--server",
                  cluster.url(),
                  "--cache-dir",
                  tmp.resolve("cache").toString(),
                  "apply",
                  "--dry-run=client",
                  "--validate=false",
                  "-o",
                  "json",
                  "-f",
                  file.toString())
              .redirectError(tmp.resolve("err.txt").toFile())
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err.txt"))).isZero();
      JsonNode kubectls = Yaml.mapper().readTree(out).path("spec");
      for (int i = 0; i < SCALARS.size(); i++) {
        JsonNode k = kubectls.path("k" + i);
        JsonNode g = ours.path("k" + i);
        // kubectl prints JSON numbers; 1000 and 1000.0 are one number
        boolean same =
            k.isNumber() && g.isNumber()
                ? k.decimalValue().compareTo(g.decimalValue()) == 0
                : k.equals(g);
        if (g.isNull()) {
          // kubectl apply drops null fields from what it prints (null means "remove" to apply)
          same = k.isMissingNode() || k.isNull();
        }
        assertThat(same)
            .as("scalar <%s>: kubectl read %s, Glidepath read %s", SCALARS.get(i), k, g)
            .isTrue();
      }
    }
  }

  @Test
  void refusesInfinityLikeKubectl() throws Exception {
    ExternalTool.require(ExternalTool.KUBECTL);
    Path file =
        Files.writeString(
            tmp.resolve("inf.yaml"),
            "apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: inf\n"
                + "  namespace: default\nspec:\n  k: .inf\n");
    try (EmbeddedCluster cluster = EmbeddedCluster.start()) {
      Process p =
          new ProcessBuilder(
                  "kubectl",
                  "--server",
                  cluster.url(),
                  "--cache-dir",
                  tmp.resolve("cache").toString(),
                  "apply",
                  "--dry-run=client",
                  "--validate=false",
                  "-o",
                  "json",
                  "-f",
                  file.toString())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isNotZero();
      assertThat(out).contains("unsupported value: +Inf");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Yaml.readResources(file))
        .hasMessageContaining("JSON cannot hold");
  }
}

package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RenderCommandTest {
  static final String APP = Path.of("../examples/gitops-configs/apps/trade-service").toString();

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void rendersProductionWithTheImageTagCiWrote() {
    Run run =
        run(
            "render",
            APP,
            "-f",
            "values.yaml",
            "-f",
            "values-production.yaml",
            "--set",
            "image.tag=abc123",
            "-o",
            "summary");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains(
            "argoproj.io/Rollout:default/trade-service  replicas=10 image=registry.example.com/org/trade-service:abc123")
        .contains(
            "autoscaling/HorizontalPodAutoscaler:default/trade-service  target=Rollout/trade-service replicas=10..30 cpu=70%")
        .contains("policy/PodDisruptionBudget:default/trade-service  minAvailable=60%")
        .contains("10 resources rendered by helm");
  }

  @Test
  void rendersTheKustomizeOverlaysOfTheSameApp() {
    Run run =
        run(
            "render",
            Path.of("../examples/gitops-configs/apps/trade-service-kustomize/overlays/production")
                .toString(),
            "-o",
            "summary");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("apps/Deployment:production/trade-service")
        .contains("replicas=10")
        .contains("registry.example.com/org/trade-service:3f2a9c1")
        .contains("autoscaling/HorizontalPodAutoscaler:production/trade-service")
        .contains("policy/PodDisruptionBudget:production/trade-service")
        .contains("resources rendered by kustomize");
  }

  @Test
  void rendersStagingWithoutAutoscaler() {
    Run run =
        run(
            "render",
            APP,
            "-f",
            "values.yaml",
            "-f",
            "values-staging.yaml",
            "--namespace",
            "staging",
            "-o",
            "summary");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("argoproj.io/Rollout:staging/trade-service  replicas=2")
        .contains("hosts=trade-service.staging.internal")
        .doesNotContain("HorizontalPodAutoscaler");
  }

  @Test
  void printsOneJsonListObject() {
    Run run = run("render", APP, "-f", "values.yaml", "-o", "json");
    JsonNode list = Yaml.mapper().readTree(run.out());
    assertThat(list.path("kind").stringValue()).isEqualTo("List");
    assertThat(list.path("apiVersion").stringValue()).isEqualTo("v1");
    // values.yaml alone has no ingress hosts: no Ingress, no HPA, no PDB; the migration hook Job
    assertThat(list.path("items").size()).isEqualTo(7);
  }

  @Test
  void printsYamlThatReadsBack() {
    Run run = run("render", APP, "-f", "values.yaml", "-f", "values-production.yaml");
    assertThat(Yaml.readResources(run.out(), "out")).hasSize(10);
  }

  @Test
  void exitsTwoWithTheTypedErrorOnBadInput() {
    Run run = run("render", APP, "-f", "values-qa.yaml");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("error: value file \"values-qa.yaml\" not found");
  }

  @Test
  void refusesValueFilesOutsideTheRepository(@TempDir Path tmp) throws IOException {
    Path app = Files.createDirectories(tmp.resolve("repo/app"));
    Files.createDirectories(tmp.resolve("repo/.git"));
    Files.createDirectories(app.resolve("templates"));
    Files.writeString(app.resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    Files.writeString(tmp.resolve("outside.yaml"), "a: 1\n");
    Run run = run("render", app.toString(), "-f", "../../outside.yaml");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("refused path \"../../outside.yaml\"");
  }

  @Test
  void findsTheRepositoryRootFromTheEnclosingGitWorkTree(@TempDir Path tmp) throws IOException {
    Path app = Files.createDirectories(tmp.resolve("repo/apps/plain"));
    Files.createDirectories(tmp.resolve("repo/.git"));
    Files.writeString(tmp.resolve("repo/shared.yaml"), "x: 1\n");
    Files.writeString(
        app.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    assertThat(RenderOptions.enclosingWorkTree(app)).isEqualTo(tmp.resolve("repo"));
    Run run = run("render", app.toString(), "-o", "summary");
    assertThat(run.out()).contains("ConfigMap:/a").contains("1 resources rendered by directory");
  }

  @Test
  void refusesValueFilesForAPlainDirectory(@TempDir Path tmp) throws IOException {
    Path app = Files.createDirectories(tmp.resolve("repo/app"));
    Files.writeString(
        app.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    Run run = run("render", app.toString(), "--set", "a=b");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("only Helm charts take value files and parameters");
  }
}

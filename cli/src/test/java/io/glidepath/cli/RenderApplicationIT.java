package io.glidepath.cli;

import static io.glidepath.cli.RenderCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glidepath render --application}: any Application rendered as the controller does. */
class RenderApplicationIT {
  @TempDir Path dir;
  private LocalGitServer git;
  private ChartRepositoryServer charts;

  @BeforeEach
  void start() throws IOException {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    charts = ChartRepositoryServer.builder().basicAuth("ci", "chart-s3cret").start();
    Path chart = Files.createDirectories(dir.resolve("chart/templates"));
    Files.writeString(
        dir.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 2.3.4\n");
    Files.writeString(dir.resolve("chart/values.yaml"), "replicas: 1\n");
    Files.writeString(
        chart.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n"
            + "  replicas: {{ .Values.replicas | quote }}\n");
    charts.addChart(dir.resolve("chart"));
    Files.createDirectories(dir.resolve("values/prod"));
    Files.writeString(dir.resolve("values/prod/web.yaml"), "replicas: 5\n");
    git.seed("values", dir.resolve("values"), "values");
  }

  @AfterEach
  void stop() {
    charts.close();
    if (git != null) {
      git.close();
    }
  }

  @Test
  void rendersAMultiSourceApplicationWithAChartFromARepository() throws IOException {
    Path app = dir.resolve("app.yaml");
    Files.writeString(
        app,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          sources:
            - repoURL: %s
              chart: web
              targetRevision: ">=2.0.0 <3"
              helm:
                valueFiles: [$values/prod/web.yaml]
            - repoURL: %s
              targetRevision: main
              ref: values
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """
            .formatted(charts.url(), git.url("values")));
    Path secrets = dir.resolve("repos.yaml");
    Files.writeString(
        secrets,
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: charts
          namespace: argocd
          labels: {argocd.argoproj.io/secret-type: repository}
        stringData:
          url: %s
          username: ci
          password: chart-s3cret
        """
            .formatted(charts.url()));

    RenderCommandTest.Run without = run("render", "--application", app.toString());
    assertThat(without.code()).isNotZero();
    assertThat(without.err()).contains("needs credentials").contains("web");

    RenderCommandTest.Run r =
        run(
            "render",
            "--application",
            app.toString(),
            "--repo-credentials",
            secrets.toString(),
            "-o",
            "summary");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("sources[0] " + charts.url() + " web at 2.3.4: 1 resources rendered by helm")
        .contains("sources[1] " + git.url("values") + " at " + git.head("values", "main"))
        .contains("ref values, not rendered");
    RenderCommandTest.Run yaml =
        run("render", "--application", app.toString(), "--repo-credentials", secrets.toString());
    assertThat(yaml.out()).contains("replicas: '5'");
    assertThat(r.out() + r.err() + yaml.out() + yaml.err() + without.err())
        .doesNotContain("chart-s3cret");
  }

  @Test
  void refusesAppPathAndApplicationTogether() throws IOException {
    Path app = dir.resolve("app.yaml");
    Files.writeString(app, "apiVersion: argoproj.io/v1alpha1\nkind: Application\n");
    RenderCommandTest.Run r = run("render", "x", "--application", app.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("not both");
  }
}

package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  static final String SEED = Path.of("../rollout/src/test/resources/seed/rollout.yaml").toString();

  @Test
  void healthyScenarioPromotesWithExitZero() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("simulate", "--rollout", SEED, "--scenario", "healthy");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("Result: PROMOTED after 14m30s");
  }

  @Test
  void eightPercentErrorsRollBackWithExitOneAndWriteAReport(@TempDir Path tmp) throws IOException {
    Path report = tmp.resolve("report.html");
    RenderCommandTest.Run run =
        RenderCommandTest.run(
            "simulate",
            "--rollout",
            SEED,
            "--scenario",
            "errors-8pct",
            "--report",
            report.toString(),
            "-o",
            "json");
    assertThat(run.code()).isEqualTo(1);
    assertThat(Yaml.mapper().readTree(run.out()).path("outcome").asString())
        .isEqualTo("ROLLED_BACK");
    assertThat(Files.readString(report)).contains("<svg").contains("success-rate");
  }

  @Test
  void inconclusiveMetricsPauseWithExitFour() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("simulate", "--rollout", SEED, "--scenario", "errors-3pct");
    assertThat(run.code()).isEqualTo(4);
  }

  @Test
  void recordedMetricsAreReplayed(@TempDir Path tmp) throws IOException {
    Path csv = tmp.resolve("metrics.csv");
    StringBuilder text = new StringBuilder("metric,value\n");
    for (int i = 0; i < 12; i++) {
      text.append("success-rate,[0.999]\np99-latency,[0.3]\n");
    }
    Files.writeString(csv, text);
    RenderCommandTest.Run run =
        RenderCommandTest.run("simulate", "--rollout", SEED, "--metrics", csv.toString());
    assertThat(run.code()).isZero();
  }

  @Test
  void blueGreenRolloutsAreSimulatedToo(@TempDir Path tmp) throws IOException {
    Path rollout = tmp.resolve("bg.yaml");
    Files.writeString(
        rollout,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy:
            blueGreen:
              activeService: web
              previewService: web-preview
              autoPromotionSeconds: 30
              prePromotionAnalysis:
                templates: [{templateName: success-rate}]
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate}
        spec:
          metrics:
            - name: success-rate
              interval: 30s
              count: 3
              successCondition: result[0] >= 0.99
              failureCondition: result[0] < 0.95
              provider: {prometheus: {address: "http://p:9090", query: "up"}}
        """);
    RenderCommandTest.Run healthy =
        RenderCommandTest.run("simulate", "--rollout", rollout.toString(), "--scenario", "healthy");
    assertThat(healthy.code()).as(healthy.out()).isZero();
    RenderCommandTest.Run flapping =
        RenderCommandTest.run(
            "simulate", "--rollout", rollout.toString(), "--scenario", "flapping");
    assertThat(flapping.code()).as(flapping.out()).isEqualTo(1);
  }

  @Test
  void anIndefinitePauseStopsTheSimulationUnlessAutoPromoted(@TempDir Path tmp) throws IOException {
    Path rollout = tmp.resolve("paused.yaml");
    Files.writeString(
        rollout,
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy:
            canary:
              steps: [{setWeight: 20}, {pause: {}}, {setWeight: 100}]
        """);
    RenderCommandTest.Run paused =
        RenderCommandTest.run("simulate", "--rollout", rollout.toString(), "--scenario", "healthy");
    assertThat(paused.code()).isEqualTo(4);
    assertThat(paused.out()).contains("Result: PAUSED").contains("until promoted");
    RenderCommandTest.Run promoted =
        RenderCommandTest.run(
            "simulate", "--rollout", rollout.toString(), "--scenario", "healthy", "--auto-promote");
    assertThat(promoted.code()).isZero();
  }

  @Test
  void unknownScenarioIsAnErrorWithExitTwo() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("simulate", "--rollout", SEED, "--scenario", "sunny");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("scenario must be one of").contains("sunny");
  }

  @Test
  void missingRolloutFileIsAnErrorWithExitTwo() {
    RenderCommandTest.Run run =
        RenderCommandTest.run("simulate", "--rollout", "nope.yaml", "--scenario", "healthy");
    assertThat(run.code()).isEqualTo(2);
  }
}

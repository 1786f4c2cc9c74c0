package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisEvaluator;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricResult;
import io.glidepath.analysis.MetricValue;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's API tour: every region between {@code tag::name[]} and {@code end::name[]} is shown
 * in README.md (checked by {@link ReadmeSnippetsTest}), and each test asserts what its snippet
 * claims, on the seed's trade-service ({@code examples/gitops-configs}).
 */
class ApiTourTest {
  /** The example GitOps repository; the README's snippets say {@code examples/gitops-configs}. */
  static final Path REPO_ROOT = Tour.gitopsConfigs();

  static RenderResult render(Path repoRoot, String imageTag) {
    return TourSnippets.render(repoRoot, imageTag);
  }

  static CanaryPlan seedPlan(RenderResult rendered) {
    return TourSnippets.canaryPlan(rendered);
  }

  /** Runs {@code step} and returns what it printed on {@code System.out}. */
  static String printed(Runnable step) {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      step.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Every tour snippet that prints is run, and what it printed must show everything its comments
   * say it prints ({@link Snippets#printedAsStated}); a snippet that prints but is not run here
   * fails the test.
   */
  @Test
  void everySnippetPrintsWhatItsCommentsSay() throws java.io.IOException {
    Path project = Tour.gitopsConfigs().getParent().getParent();
    Map<String, Snippets.Block> regions =
        Snippets.regions(project, project.resolve("examples/src/test/java/io/glidepath/examples"));
    Map<String, String> printed = new LinkedHashMap<>();
    RenderResult[] rendered = new RenderResult[2];
    printed.put("render", printed(() -> rendered[0] = render(REPO_ROOT, "v2")));
    rendered[1] = TourSnippets.render(REPO_ROOT, "v3");
    ResourceSet live = Tour.liveState(rendered[0].resources());
    Path liveFile = java.nio.file.Files.createTempFile("live-", ".yaml");
    try {
      java.nio.file.Files.writeString(liveFile, Yaml.write(live));
      printed.put("drift", printed(() -> TourSnippets.drift(rendered[0], liveFile)));
    } finally {
      java.nio.file.Files.delete(liveFile);
    }
    CanaryPlan[] plans = new CanaryPlan[2];
    printed.put("canary-plan", printed(() -> plans[0] = seedPlan(rendered[0])));
    plans[1] = TourSnippets.canaryPlan(rendered[1]);
    printed.put("analysis-evaluator", printed(() -> TourSnippets.analysisEvaluator(plans[0])));
    printed.put("rollout-driver", printed(() -> TourSnippets.rolloutDriver(plans[0], plans[1])));

    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> run : printed.entrySet()) {
      Snippets.Block region = regions.get(run.getKey());
      assertThat(Snippets.statedOutput(region))
          .as("what %s says it prints", run.getKey())
          .isNotEmpty();
      Snippets.printedAsStated(region, run.getValue()).ifPresent(problems::add);
    }
    assertThat(problems).isEmpty();
    assertThat(printed.keySet())
        .as("every snippet that prints is run and checked here")
        .containsAll(
            regions.values().stream()
                .filter(r -> r.text().contains("System.out"))
                .map(Snippets.Block::name)
                .filter(n -> !n.equals("simulator-junit") && !n.equals("prometheus-backfill"))
                .toList());
  }

  @Test
  void statedOutputIsCheckedTokenByTokenInOrder() {
    Snippets.Block region =
        Snippets.regions(
                "T.java",
                """
                #tag::r[]
                System.out.println(a); #
                #1 resources: 1 synced
                x(); #not output
                System.out.print(b); #b starts ... ends
                #end::r[]
                """
                    .replace("#", "// "))
            .get(0);

    assertThat(Snippets.statedOutput(region))
        .containsExactly("1 resources: 1 synced", "b starts ... ends");
    assertThat(Snippets.printedAsStated(region, "1 resources:  1 synced\nb starts, then ends"))
        .isEmpty();
    assertThat(Snippets.printedAsStated(region, "1 resources: 2 synced\nb starts and ends"))
        .hasValueSatisfying(
            m -> assertThat(m).contains("says it prints \"1 resources: 1 synced\""));
    assertThat(Snippets.printedAsStated(region, "b starts and ends 1 resources: 1 synced"))
        .as("in order")
        .isPresent();
  }

  @Test
  void rendersTheSeedChartForProductionWithTheImageTagCiWrote() {
    RenderResult rendered = render(REPO_ROOT, "v2");

    assertThat(rendered.resources().size()).isEqualTo(10); // with the migration hook Job
    Resource rollout =
        rendered
            .resources()
            .get(new ResourceKey("argoproj.io", "Rollout", "production", "trade-service"))
            .orElseThrow();
    assertThat(rollout.body().at("/spec/replicas").asInt()).isEqualTo(10); // values-production
    assertThat(rollout.body().at("/spec/template/spec/containers/0/image").asString())
        .isEqualTo("registry.example.com/org/trade-service:v2");
    assertThat(rendered.resources().stream().map(Resource::kind))
        .contains(
            "Rollout",
            "AnalysisTemplate",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "VirtualService");
  }

  @Test
  void findsTheHandScaledRolloutAndTheObjectGitNoLongerDeclares() throws java.io.IOException {
    ResourceSet desired = render(REPO_ROOT, "v2").resources();
    ResourceSet live =
        Tour.liveState(desired); // what the cluster holds: spec.replicas 15, one extra ConfigMap
    Path liveFile = java.nio.file.Files.createTempFile("live-", ".yaml");
    java.nio.file.Files.writeString(liveFile, Yaml.write(live));
    DriftReport[] reports = new DriftReport[1];
    String out;
    try {
      RenderResult rendered = render(REPO_ROOT, "v2");
      out = printed(() -> reports[0] = TourSnippets.drift(rendered, liveFile));
    } finally {
      java.nio.file.Files.delete(liveFile);
    }
    DriftReport report = reports[0];

    assertThat(out)
        .startsWith("10 resources: 8 synced, 1 modified, 0 missing, 1 extraneous\n")
        .contains(
            "--- live/argoproj.io.v1alpha1.Rollout.production.trade-service\n"
                + "+++ desired/argoproj.io.v1alpha1.Rollout.production.trade-service\n")
        .contains("\n-  replicas: 15\n+  replicas: 10\n");
    assertThat(report.summary()).isEqualTo(new DriftReport.Summary(8, 1, 0, 1));
    assertThat(report.outOfSync())
        .extracting(d -> d.key().toString() + " " + d.status())
        .containsExactlyInAnyOrder(
            "argoproj.io/Rollout:production/trade-service " + DriftStatus.MODIFIED,
            "ConfigMap:production/trade-service-hotfix " + DriftStatus.EXTRANEOUS);
    String diff =
        report
            .get(new ResourceKey("argoproj.io", "Rollout", "production", "trade-service"))
            .orElseThrow()
            .unifiedDiff();
    assertThat(diff)
        .startsWith("--- live/argoproj.io.v1alpha1.Rollout.production.trade-service\n")
        .contains("\n-  replicas: 15\n+  replicas: 10\n");
  }

  @Test
  void readsTheSeedCanaryFromTheRenderedRollout() {
    CanaryPlan plan = seedPlan(render(REPO_ROOT, "v2"));

    assertThat(plan.name()).isEqualTo("trade-service");
    assertThat(plan.namespace()).isEqualTo("production");
    assertThat(plan.replicas()).isEqualTo(10);
    assertThat(plan.steps()).hasSize(8);
    assertThat(plan.maxWeightThrough(plan.steps().size() - 1)).isEqualTo(100);
    assertThat(plan.templates()).containsOnlyKeys("success-rate", "latency-check");
    assertThat(plan.canaryService()).contains("trade-service-canary");
    assertThat(plan.stableService()).contains("trade-service-stable");
    assertThat(plan.describe())
        .startsWith(
            "Canary plan production/trade-service (10 replicas, Istio VirtualService"
                + " trade-service-vs routes [primary])")
        .contains("  step 0  0:00     setWeight 10%\n  step 1  0:00     pause 2m0s\n")
        .contains(
            "  step 6  12:00    analysis success-rate, latency-check (at least 2m30s)\n"
                + "  step 7  14:30    setWeight 100%\n");
  }

  @Test
  void judgesMeasurementsWithTheSeedThresholdsAndLimits() {
    CanaryPlan plan = seedPlan(render(REPO_ROOT, "v2"));

    MetricResult[] results = new MetricResult[1];
    String out = printed(() -> results[0] = TourSnippets.analysisEvaluator(plan));
    MetricResult result = results[0];
    Metric successRate = plan.template("success-rate").metrics().get(0);

    assertThat(out)
        .isEqualTo(
            "Successful\nInconclusive\nFailed\n"
                + "Failed: successLimit (5) can no longer be reached: 1 successful, 3 measurements"
                + " left\n");
    assertThat(AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.995)).phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.97)).phase())
        .isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.92)).phase())
        .isEqualTo(AnalysisPhase.FAILED);
    assertThat(result.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(result.message())
        .isEqualTo("successLimit (5) can no longer be reached: 1 successful, 3 measurements left");
  }

  @Test
  void rollsBackTheEightPercentErrorBuildAndKeepsTheStableOne() {
    CanaryPlan plan = seedPlan(render(REPO_ROOT, "v2"));
    CanaryPlan planV3 = seedPlan(render(REPO_ROOT, "v3"));

    TourSnippets.DriverRun run = TourSnippets.rolloutDriver(plan, planV3);
    Rollout rollout = run.rollout();
    List<RolloutEvent> events = run.events();
    Instant end = run.end();

    assertThat(rollout.status().aborted()).isTrue();
    assertThat(rollout.status().isPromoted()).isFalse();
    assertThat(rollout.status().message())
        .startsWith(
            "step 6 analysis Failed: Metric \"success-rate\" assessed Failed due to successLimit (5)"
                + " can no longer be reached");
    assertThat(events)
        .filteredOn(e -> e.type() == RolloutEvent.Type.WEIGHT_CHANGED)
        .extracting(RolloutEvent::weight)
        .containsExactly(10, 30, 50, 0);
    assertThat(end).isEqualTo(Instant.parse("2026-11-25T12:12:30Z"));
    assertThat(events).anyMatch(e -> e.type() == RolloutEvent.Type.ABORTED);
  }
}

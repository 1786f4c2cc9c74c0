package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisEvaluator;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricResult;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    // tag::render[]
    // value files are relative to the app (like Argo CD); parameters are helm's --set
    RenderRequest request =
        RenderRequest.builder(repoRoot, "apps/trade-service")
            .valueFiles("values.yaml", "values-production.yaml")
            .parameter("image.tag", imageTag)
            .namespace("production")
            .build();
    // Chart.yaml: Helm; kustomization.yaml: Kustomize; else plain YAML
    RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
    ResourceKey key = new ResourceKey("argoproj.io", "Rollout", "production", "trade-service");
    Resource rollout = rendered.resources().get(key).orElseThrow();
    System.out.println(rollout.body().at("/spec/template/spec/containers/0/image").asString());
    // registry.example.com/org/trade-service:v2
    // end::render[]
    return rendered;
  }

  static CanaryPlan seedPlan(RenderResult rendered) {
    // tag::canary-plan[]
    // the Rollout with the AnalysisTemplates it names; a plain file: fromRollout(Path.of(...))
    String manifests = Yaml.write(rendered.resources());
    CanaryPlan plan = CanaryPlan.fromRollout(manifests, "trade-service (production)");
    System.out.print(plan.describe());
    // Canary plan production/trade-service (10 replicas, Istio VirtualService trade-service-vs ...)
    //   step 0  0:00     setWeight 10%
    //   step 1  0:00     pause 2m0s
    //   ...
    //   step 6  12:00    analysis success-rate, latency-check (at least 2m30s)
    //   step 7  14:30    setWeight 100%
    // end::canary-plan[]
    return plan;
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
  void findsTheHandScaledRolloutAndTheObjectGitNoLongerDeclares() {
    ResourceSet desired = render(REPO_ROOT, "v2").resources();
    ResourceSet live =
        Tour.liveState(desired); // what the cluster holds: spec.replicas 15, one extra ConfigMap

    // tag::drift[]
    DriftReport report = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);
    System.out.println(report.summary());
    // 10 resources: 8 synced, 1 modified, 0 missing, 1 extraneous
    report.outOfSync().forEach(drift -> System.out.print(drift.unifiedDiff()));
    // --- live/argoproj.io.v1alpha1.Rollout.production.trade-service
    // +++ desired/argoproj.io.v1alpha1.Rollout.production.trade-service
    // -  replicas: 15
    // +  replicas: 10
    // end::drift[]

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

    // tag::analysis-evaluator[]
    Metric successRate = plan.template("success-rate").metrics().get(0);
    // success: result[0] >= 0.99, failure: result[0] < 0.95
    AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.995)).phase(); // SUCCESSFUL
    AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.97)).phase(); // INCONCLUSIVE
    AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.92)).phase(); // FAILED

    // count 6, successLimit 5: the second failure makes 5 successes out of reach
    MetricResult result =
        AnalysisEvaluator.assessMetric(
            successRate,
            List.of(
                Measurement.of(AnalysisPhase.SUCCESSFUL),
                Measurement.of(AnalysisPhase.FAILED),
                Measurement.of(AnalysisPhase.FAILED)),
            false);
    System.out.println(result.phase() + ": " + result.message());
    // FAILED: successLimit (5) can no longer be reached: 1 successful, 3 measurements left
    // end::analysis-evaluator[]

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

    // tag::rollout-driver[]
    // On a cluster: RolloutCluster.kubernetes(client), p -> TrafficRouter.forPlan(client, p),
    // PrometheusProvider.ofDefaults(), AnalysisScheduler.of(executor, Clock.systemUTC()).
    // Here: in memory, on virtual time, with the metrics of a build that has 8% errors.
    VirtualScheduler time = VirtualScheduler.at(Instant.parse("2026-11-25T12:00:00Z"));
    List<RolloutEvent> events = new ArrayList<>();
    RolloutDriver driver =
        RolloutDriver.builder(RolloutCluster.inMemory())
            .routers(p -> TrafficRouter.replicaRatio())
            .providers(
                MetricProviders.of(
                    Scenario.named("errors-8pct").provider("prometheus", time.now())))
            .scheduler(time)
            .listener(RolloutListener.of(events::add))
            .build();
    driver.start(plan); // the first revision (v2) goes straight to 100%
    Rollout rollout = driver.start(planV3); // v3 is a canary against v2
    while (!rollout.status().isPromoted() && !rollout.status().aborted() && time.runNext()) {}
    driver.close();
    events.forEach(System.out::println); // STEP_STARTED, WEIGHT_CHANGED 10, 30, 50, ..., ABORTED
    System.out.println(time.now() + " " + rollout.status().message());
    // 2026-11-25T12:12:30Z step 6 analysis Failed: Metric "success-rate" assessed Failed due to
    // successLimit (5) can no longer be reached: 0 successful, 4 measurements left; ...
    // end::rollout-driver[]

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
    assertThat(time.now()).isEqualTo(Instant.parse("2026-11-25T12:12:30Z"));
    assertThat(events).anyMatch(e -> e.type() == RolloutEvent.Type.ABORTED);
  }
}

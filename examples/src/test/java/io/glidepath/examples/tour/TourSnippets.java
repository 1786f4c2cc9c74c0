package io.glidepath.examples.tour;

// tag::imports[]
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

// end::imports[]

/**
 * The code of the README's API tour, one method per step, compiled with exactly the imports the
 * README shows; {@link ApiTourTest} runs each step and asserts what its comments say.
 */
final class TourSnippets {
  private TourSnippets() {}

  static RenderResult render(Path repoRoot, String imageTag) {
    // tag::render[]
    // value files are relative to the app (like Argo CD); parameters are helm's --set
    RenderRequest request =
        RenderRequest.builder(repoRoot, "apps/trade-service")
            .valueFiles("values.yaml", "values-production.yaml")
            .parameter("image.tag", imageTag)
            .namespace("production")
            .build();
    // kustomization.yaml: Kustomize; else Chart.yaml: Helm; else plain YAML
    RenderResult rendered = ManifestRenderer.detect(request.appDir()).render(request);
    ResourceKey key = new ResourceKey("argoproj.io", "Rollout", "production", "trade-service");
    Resource rollout = rendered.resources().get(key).orElseThrow();
    System.out.println(rollout.body().at("/spec/template/spec/containers/0/image").asString());
    // registry.example.com/org/trade-service:v2
    // end::render[]
    return rendered;
  }

  static DriftReport drift(RenderResult rendered, Path liveFile) {
    // tag::drift[]
    ResourceSet desired = rendered.resources();
    // what the cluster holds: kubectl get rollout,configmap -n production -o yaml > live.yaml
    ResourceSet live = ResourceSet.of(Yaml.readResources(liveFile));
    DriftReport report = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);
    System.out.println(report.summary());
    // 10 resources: 8 synced, 1 modified, 0 missing, 1 extraneous
    report.outOfSync().forEach(drift -> System.out.print(drift.unifiedDiff()));
    // --- live/argoproj.io.v1alpha1.Rollout.production.trade-service
    // +++ desired/argoproj.io.v1alpha1.Rollout.production.trade-service
    // ...
    // -  replicas: 15
    // +  replicas: 10
    // end::drift[]
    return report;
  }

  static CanaryPlan canaryPlan(RenderResult rendered) {
    // tag::canary-plan[]
    // the Rollout with the AnalysisTemplates it names; a plain file: fromRollout(Path.of(...))
    String manifests = Yaml.write(rendered.resources());
    CanaryPlan plan = CanaryPlan.fromRollout(manifests, "trade-service (production)");
    System.out.print(plan.describe());
    // Canary plan production/trade-service (10 replicas, Istio VirtualService trade-service-vs ...)
    //   ...
    //   step 0  0:00     setWeight 10%
    //   step 1  0:00     pause 2m0s
    //   ...
    //   step 6  12:00    analysis success-rate, latency-check (at least 2m30s)
    //   step 7  14:30    setWeight 100%
    // end::canary-plan[]
    return plan;
  }

  static MetricResult analysisEvaluator(CanaryPlan plan) {
    // tag::analysis-evaluator[]
    Metric successRate = plan.template("success-rate").metrics().get(0);
    // success: result[0] >= 0.99, failure: result[0] < 0.95
    System.out.println(AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.995)).phase());
    // Successful
    System.out.println(AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.97)).phase());
    // Inconclusive
    System.out.println(AnalysisEvaluator.evaluate(successRate, MetricValue.vector(0.92)).phase());
    // Failed

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
    // Failed: successLimit (5) can no longer be reached: 1 successful, 3 measurements left
    // end::analysis-evaluator[]
    return result;
  }

  /** What the rollout-driver step leaves: the rollout, its events and the virtual time. */
  record DriverRun(Rollout rollout, List<RolloutEvent> events, Instant end) {}

  static DriverRun rolloutDriver(CanaryPlan plan, CanaryPlan planV3) {
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
    events.forEach(System.out::println);
    // 2026-11-25T12:00:00Z production/trade-service STARTED step 0 weight 0: first deployment ...
    // ...
    // 2026-11-25T12:00:00Z production/trade-service WEIGHT_CHANGED step 1 weight 10: canary ...
    // ...
    // 2026-11-25T12:12:30Z production/trade-service ABORTED step 6 weight 0: step 6 analysis ...
    System.out.println(time.now() + " " + rollout.status().message());
    // 2026-11-25T12:12:30Z step 6 analysis Failed: Metric "success-rate" assessed Failed due to
    // successLimit (5) can no longer be reached: 0 successful, 4 measurements left; ...
    // end::rollout-driver[]
    return new DriverRun(rollout, events, time.now());
  }
}

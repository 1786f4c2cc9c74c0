package io.glidepath.benchmarks.rollout;

import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.RecordingTrafficRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code n} copies of the seed's rollout (distinct names, each a new revision over a stable one) in
 * one driver, on an in-memory cluster and virtual time, with healthy synthetic metrics.
 */
final class Fleet {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  final RolloutCluster cluster = RolloutCluster.inMemory();
  final RolloutDriver driver;
  final List<Rollout> rollouts = new ArrayList<>();

  Fleet(int n) {
    RecordingTrafficRouter router = new RecordingTrafficRouter();
    driver =
        RolloutDriver.builder(cluster)
            .routers(p -> router)
            .providers(MetricProviders.of(Scenario.named("healthy").provider("prometheus", T0)))
            .scheduler(scheduler)
            .identity("bench")
            .build();
    CanaryPlan seed = CanaryPlan.fromRollout(seedYaml(), "seed-rollout.yaml");
    for (int i = 0; i < n; i++) {
      CanaryPlan v1 = seed.newBuilder().build();
      CanaryPlan named = rename(v1, "svc-" + i, "v1");
      driver.start(named);
      rollouts.add(driver.start(rename(v1, "svc-" + i, "v2")));
    }
  }

  private static CanaryPlan rename(CanaryPlan plan, String name, String tag) {
    ObjectNode template = plan.podTemplate();
    ((ObjectNode) template.path("spec").path("containers").get(0))
        .put("image", "registry.example.com/org/" + name + ":" + tag);
    CanaryPlan.Builder b = CanaryPlan.builder(name).podTemplate(template);
    b.namespace(plan.namespace()).replicas(plan.replicas());
    plan.steps().forEach(b::step);
    plan.templates().values().forEach(b::template);
    plan.canaryService().ifPresent(b::canaryService);
    plan.stableService().ifPresent(b::stableService);
    plan.trafficRouting().ifPresent(b::trafficRouting);
    plan.backgroundAnalysis().ifPresent(b::backgroundAnalysis);
    return b.build();
  }

  /** Moves virtual time on by {@code d}, running every due task. */
  void advance(Duration d) {
    scheduler.advance(d);
  }

  static String seedYaml() {
    try (InputStream in = Fleet.class.getResourceAsStream("/rollout/seed-rollout.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BackgroundAnalysis;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.internal.driver.InMemoryRolloutCluster;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A driver killed at any point and restarted ends where an uninterrupted one ends, and never routes
 * more traffic to the canary than the plan's current step allows.
 */
class KillAndResumeTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration LIMIT = Duration.ofHours(3);
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: checks}
      spec:
        metrics:
          - name: success-rate
            interval: 30s
            count: 4
            successCondition: result[0] >= 0.99
            failureCondition: result[0] < 0.95
            failureLimit: 1
            provider: {prometheus: {address: "http://p:9090", query: "rate(ok[1m])"}}
          - name: p99-latency
            interval: 30s
            count: 4
            successCondition: result[0] <= 0.5
            provider: {prometheus: {address: "http://p:9090", query: "latency_p99"}}
      """;

  /** The process died: thrown from the cluster or the mesh at the chosen operation. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed", null, false, false);
    }
  }

  /**
   * Counts every operation on the cluster and the mesh; throws {@link Killed} at the chosen one.
   */
  static final class World {
    final InMemoryRolloutCluster cluster = new InMemoryRolloutCluster();
    final List<Integer> writes = new ArrayList<>();
    final CanaryPlan plan;
    int operations;
    List<Integer> killAt = List.of();
    int routerWeight;
    String violation;

    World(CanaryPlan plan) {
      this.plan = plan;
    }

    void tick() {
      operations++;
      if (killAt.contains(operations)) {
        throw new Killed();
      }
    }

    RolloutCluster clusterView() {
      return new RolloutCluster() {
        @Override
        public Optional<RolloutStatus> loadStatus(String ns, String name) {
          tick();
          return cluster.loadStatus(ns, name);
        }

        @Override
        public void saveStatus(String ns, String name, RolloutStatus status) {
          tick();
          cluster.saveStatus(ns, name, status);
        }

        @Override
        public void ensureReplicaSet(String ns, ReplicaSetSpec spec) {
          tick();
          cluster.ensureReplicaSet(ns, spec);
        }

        @Override
        public Optional<ObjectNode> replicaSetTemplate(String ns, String replicaSet) {
          tick();
          return cluster.replicaSetTemplate(ns, replicaSet);
        }

        @Override
        public void ensureService(String ns, String name, Map<String, String> s, ObjectNode t) {
          tick();
          cluster.ensureService(ns, name, s, t);
        }

        @Override
        public void pruneReplicaSets(
            String ns, String rollout, java.util.Set<String> inUse, int keep) {
          tick();
          cluster.pruneReplicaSets(ns, rollout, inUse, keep);
        }

        @Override
        public void deleteService(String ns, String name) {
          tick();
          cluster.deleteService(ns, name);
        }

        @Override
        public int replicas(String ns, String name, String hash) {
          tick();
          return cluster.replicas(ns, name, hash);
        }

        @Override
        public int availableReplicas(String ns, String name, String hash) {
          tick();
          return cluster.availableReplicas(ns, name, hash);
        }

        @Override
        public void pinService(String ns, String service, String hash) {
          tick();
          cluster.pinService(ns, service, hash);
        }

        @Override
        public boolean tryAcquireLease(
            String ns, String name, String holder, Instant now, Duration d) {
          tick();
          return cluster.tryAcquireLease(ns, name, holder, now, d);
        }
      };
    }

    TrafficRouter router() {
      return new TrafficRouter() {
        @Override
        public String type() {
          return "counting";
        }

        @Override
        public void setWeight(RouteTarget target, int weight) {
          tick();
          RolloutStatus s = cluster.loadStatus(plan.namespace(), plan.name()).orElseThrow();
          int allowed = s.isPromoted() ? 0 : plan.maxWeightThrough(s.stepIndex());
          if (weight > allowed || weight != s.weight()) {
            violation =
                "wrote weight "
                    + weight
                    + " while the persisted status allowed "
                    + allowed
                    + " and said "
                    + s.weight()
                    + " at step "
                    + s.stepIndex();
          }
          routerWeight = weight;
          if (writes.isEmpty() || writes.get(writes.size() - 1) != weight) {
            writes.add(weight);
          }
        }
      };
    }

    /** What an observer of the cluster and the mesh sees at the end. */
    String finalState() {
      RolloutStatus s = cluster.loadStatus(plan.namespace(), plan.name()).orElseThrow();
      return s.phase()
          + " promoted="
          + s.isPromoted()
          + " aborted="
          + s.aborted()
          + " canary="
          + s.canaryHash()
          + " stable="
          + s.stableHash()
          + " weight="
          + s.weight()
          + " pause="
          + s.pauseReason().orElse("-")
          + " router="
          + routerWeight
          + " replicaSets="
          + new java.util.TreeMap<>(cluster.replicaSets())
          + " services="
          + new java.util.TreeMap<>(cluster.services());
    }
  }

  static CanaryPlan plan() {
    ObjectNode template = JsonNodeFactory.instance.objectNode();
    template.putObject("metadata").putObject("labels").put("app", "web");
    template.putObject("spec").putArray("containers").addObject().put("image", "web:2");
    return CanaryPlan.builder("web")
        .replicas(5)
        .podTemplate(template)
        .canaryService("web-canary")
        .stableService("web-stable")
        .template(AnalysisTemplate.parse(TEMPLATE, "checks.yaml"))
        .setWeight(20)
        .pause(Duration.ofMinutes(1))
        .setWeight(40)
        .pause(Duration.ofSeconds(90))
        .analysis(AnalysisRef.of("checks"))
        .setWeight(80)
        .pause(Duration.ofSeconds(30))
        .setWeight(100)
        .backgroundAnalysis(new BackgroundAnalysis(AnalysisRef.of("checks"), 1))
        .scaleDownDelaySeconds(30)
        .abortScaleDownDelaySeconds(30)
        .build();
  }

  /** Runs the plan to its end, restarting the driver whenever it is killed. */
  static World run(String scenario, List<Integer> killAt) {
    World world = new World(plan());
    // the stable revision exists before the rollout starts
    world.cluster.saveStatus("default", "web", RolloutStatus.stable("stable", T0));
    world.cluster.ensureReplicaSet(
        "default", "web", "stable", world.plan.podTemplate(), Map.of(), 5);
    world.killAt = killAt;
    Instant now = T0;
    int incarnation = 0;
    while (true) {
      VirtualScheduler scheduler = VirtualScheduler.at(now);
      RolloutDriver driver =
          RolloutDriver.builder(world.clusterView())
              .routers(p -> world.router())
              .providers(MetricProviders.of(Scenario.named(scenario).provider("prometheus", T0)))
              .scheduler(scheduler)
              .identity("driver-" + incarnation++)
              .build();
      try {
        driver.start(world.plan);
        while (!finished(world) && scheduler.now().isBefore(T0.plus(LIMIT))) {
          if (!scheduler.runNext()) {
            break;
          }
        }
        // let the scale-down delays pass
        scheduler.advance(Duration.ofMinutes(2));
        return world;
      } catch (Killed e) {
        now = scheduler.now();
      }
    }
  }

  private static boolean finished(World world) {
    RolloutStatus s = world.cluster.loadStatus("default", "web").orElseThrow();
    return s.isPromoted() && !s.canaryHash().equals("stable") || s.aborted();
  }

  static Gen<String> scenarios() {
    return arbitrary().pick("healthy", "errors-3pct", "flapping", "no-data");
  }

  /** One to three kills, each at one of the first 90 cluster operations. */
  static Gen<List<Integer>> kills() {
    return lists().of(integers().between(1, 90)).ofSizeBetween(1, 3);
  }

  @Test
  void aKilledDriverEndsWhereAnUninterruptedOneEnds() {
    qt().withExamples(240)
        .forAll(scenarios(), kills())
        .checkAssert(KillAndResumeTest::endsWhereAnUninterruptedOneEnds);
  }

  private static void endsWhereAnUninterruptedOneEnds(String scenario, List<Integer> killAt) {
    World reference = run(scenario, List.of());
    World killed = run(scenario, killAt);
    assertThat(killed.violation).isNull();
    assertThat(reference.violation).isNull();
    assertThat(killed.finalState()).isEqualTo(reference.finalState());
    if (scenario.equals("healthy")) {
      // every step ran once, in order: the same weights, none written twice in a row
      assertThat(killed.writes).isEqualTo(reference.writes);
    }
    // weights only grow until the rollout ends (rollback or promotion write 0 last)
    List<Integer> w = killed.writes;
    for (int i = 1; i < w.size() - 1; i++) {
      assertThat(w.get(i)).isGreaterThanOrEqualTo(w.get(i - 1));
    }
  }
}

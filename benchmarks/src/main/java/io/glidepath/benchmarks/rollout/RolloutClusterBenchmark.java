package io.glidepath.benchmarks.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 8's latency goal on the {@link EmbeddedCluster} (a real HTTP API server stand-in, fabric8
 * client, Istio VirtualService): from the failing measurement of a step analysis to the canary's
 * weight 0 written and read back, with the abort persisted in the cluster first. Each invocation
 * gets a fresh namespace holding the seed's services and VirtualService, a stable revision and a
 * canary at 50% whose analysis is about to take its first measurement (8% errors); the measured
 * part runs that measurement, the verdict, the abort and the weight write.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RolloutClusterBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(1)
public class RolloutClusterBenchmark {
  private EmbeddedCluster cluster;
  private KubernetesClient client;
  private CanaryPlan seed;
  private int round;

  private VirtualScheduler scheduler;
  private RolloutDriver driver;
  private volatile boolean weightZero;
  private volatile boolean weightFifty;

  @Setup(Level.Trial)
  public void startCluster() {
    cluster = EmbeddedCluster.builder().manualController().start();
    client = cluster.client();
    seed = CanaryPlan.fromRollout(Fleet.seedYaml(), "seed-rollout.yaml");
  }

  @TearDown(Level.Trial)
  public void stopCluster() {
    cluster.close();
  }

  @Setup(Level.Invocation)
  public void canaryAtFiftyPercentAboutToMeasure() {
    String ns = "bench-" + round++;
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
    for (String service : new String[] {"trade-service-canary", "trade-service-stable"}) {
      create(
          "apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\nspec:\n  selector: {app: trade-service}\n  ports: [{port: 80, targetPort: 8080}]\n"
              .formatted(service, ns));
    }
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: trade-service-vs, namespace: %s}
        spec:
          hosts: [trade-service]
          http:
            - name: primary
              route:
                - destination: {host: trade-service-stable}
                  weight: 100
                - destination: {host: trade-service-canary}
                  weight: 0
        """
            .formatted(ns));
    scheduler = VirtualScheduler.at(Fleet.T0);
    weightZero = false;
    weightFifty = false;
    driver =
        RolloutDriver.builder(RolloutCluster.kubernetes(client))
            .routers(p -> TrafficRouter.forPlan(client, p))
            .providers(
                MetricProviders.of(
                    Scenario.named("errors-8pct")
                        .provider("prometheus", Fleet.T0.minusSeconds(600))))
            .scheduler(scheduler)
            .listener(
                RolloutListener.of(
                    e -> {
                      if (e.type() == RolloutEvent.Type.WEIGHT_CHANGED) {
                        weightZero |= e.weight() == 0;
                        weightFifty |= e.weight() == 50;
                      }
                    }))
            .identity("bench")
            .build();
    AnalysisTemplate successRate = seed.template("success-rate");
    Rollout v1 = driver.start(plan(ns, "v1").build());
    drive(() -> v1.status().isPromoted(), "v1 promoted");
    CanaryPlan v2 =
        plan(ns, "v2")
            .setWeight(50)
            .analysis(AnalysisRef.of("success-rate").withArg("service-name", "trade-service"))
            .build();
    if (!successRate.equals(v2.template("success-rate"))) {
      throw new IllegalStateException("the plan lost the seed's template");
    }
    driver.start(v2);
    drive(() -> weightFifty, "canary at 50%");
    weightZero = false;
  }

  @TearDown(Level.Invocation)
  public void closeDriver() {
    driver.close();
  }

  /** The analysis's first measurement (8% errors): Failed, abort persisted, weight 0 written. */
  @Benchmark
  public boolean verdictToWeightZeroOnCluster() {
    while (!weightZero) {
      if (!scheduler.runNext()) {
        throw new IllegalStateException("the canary was not rolled back");
      }
    }
    return weightZero;
  }

  private CanaryPlan.Builder plan(String ns, String tag) {
    ObjectNode template = seed.podTemplate();
    ((ObjectNode) template.path("spec").path("containers").get(0))
        .put("image", "registry.example.com/org/trade-service:" + tag);
    CanaryPlan.Builder b = CanaryPlan.builder(seed.name()).namespace(ns).replicas(seed.replicas());
    b.podTemplate(template);
    seed.templates().values().forEach(b::template);
    seed.canaryService().ifPresent(b::canaryService);
    seed.stableService().ifPresent(b::stableService);
    seed.trafficRouting().ifPresent(b::trafficRouting);
    return b;
  }

  private void drive(BooleanSupplier done, String what) {
    for (int s = 0; s < 600; s++) {
      if (done.getAsBoolean()) {
        return;
      }
      cluster.reconcile();
      scheduler.advance(Duration.ofSeconds(1));
    }
    if (!done.getAsBoolean()) {
      throw new IllegalStateException("not reached in 10 virtual minutes: " + what);
    }
  }

  private void create(String yaml) {
    client.resource(yaml).create();
  }
}

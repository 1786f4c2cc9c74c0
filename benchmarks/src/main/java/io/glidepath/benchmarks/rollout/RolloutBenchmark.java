package io.glidepath.benchmarks.rollout;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.RecordingTrafficRouter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The driver's in-process costs on the in-memory cluster: a failing step analysis to canary weight
 * 0 (measurements, verdict, abort persisted, weight written), and 1,000 concurrent seed rollouts
 * run to promotion.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RolloutBenchmark
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RolloutBenchmark {
  /** A rollout paused at 50% with a step analysis that fails at its first measurement. */
  @State(Scope.Thread)
  public static class Failing {
    VirtualScheduler scheduler;
    Rollout rollout;
    RecordingTrafficRouter router;

    @Setup(Level.Invocation)
    public void setUp() {
      scheduler = VirtualScheduler.at(Fleet.T0);
      router = new RecordingTrafficRouter();
      RolloutDriver driver =
          RolloutDriver.builder(RolloutCluster.inMemory())
              .routers(p -> router)
              .providers(
                  MetricProviders.of(
                      Scenario.named("errors-8pct")
                          .provider("prometheus", Fleet.T0.minusSeconds(600))))
              .scheduler(scheduler)
              .build();
      CanaryPlan seed = CanaryPlan.fromRollout(Fleet.seedYaml(), "seed-rollout.yaml");
      AnalysisTemplate t = seed.template("success-rate");
      CanaryPlan v1 = CanaryPlan.builder("web").template(t).build();
      driver.start(v1);
      CanaryPlan v2 =
          CanaryPlan.builder("web")
              .podTemplate(seed.podTemplate())
              .template(t)
              .setWeight(50)
              .analysis(AnalysisRef.of("success-rate").withArg("service-name", "web"))
              .build();
      rollout = driver.start(v2);
    }
  }

  /** Runs the analysis's first measurement: Failed, abort persisted, weight 0 written. */
  @Benchmark
  public int verdictToWeightZero(Failing s) {
    while (s.router.weight() != 0 || s.router.weights().size() < 3) {
      if (!s.scheduler.runNext()) {
        throw new IllegalStateException("rollout did not roll back");
      }
    }
    return s.router.weight();
  }

  /** 1,000 rollouts in one driver. */
  @State(Scope.Benchmark)
  public static class Thousand {
    Fleet fleet;

    @Setup(Level.Iteration)
    public void setUp() {
      fleet = new Fleet(1000);
    }
  }

  /**
   * 1,000 concurrent seed rollouts from start to promotion (15 virtual minutes: every measurement,
   * pause, weight step and promotion), one fresh fleet per iteration.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public int aThousandRolloutsToPromotion(Thousand s) {
    s.fleet.advance(Duration.ofMinutes(15));
    if (!s.fleet.rollouts.stream().allMatch(r -> r.status().isPromoted())) {
      throw new IllegalStateException("not every rollout was promoted");
    }
    return s.fleet.rollouts.size();
  }
}

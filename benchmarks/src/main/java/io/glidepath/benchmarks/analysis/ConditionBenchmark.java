package io.glidepath.benchmarks.analysis;

import io.glidepath.analysis.AnalysisEvaluator;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.ProviderSpec;
import io.glidepath.analysis.condition.Condition;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Throughput of success/failure conditions on one thread. Target: cached condition evaluation at
 * least 500k evaluations/s on one core.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar analysis -f 1 -wi 2 -i 3}. Warm-up
 * iterations are 3 s long: CEL's interpreter needs several seconds of JIT before it is steady.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 2)
public class ConditionBenchmark {
  private Condition seedSuccess;
  private Condition exprAll;
  private MetricValue healthy;
  private MetricValue series;
  private Metric seedMetric;

  @Setup
  public void setUp() {
    seedSuccess = Condition.compile("result[0] >= 0.99");
    exprAll = Condition.compile("all(result, # < 1.0) && len(result) > 0");
    healthy = MetricValue.vector(0.995);
    series = MetricValue.vector(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
    seedMetric =
        Metric.newBuilder("success-rate")
            .successCondition("result[0] >= 0.99")
            .failureCondition("result[0] < 0.95")
            .provider(new ProviderSpec("prometheus", JsonNodeFactory.instance.objectNode()))
            .build();
  }

  /** A compiled condition held by the caller (the seed's success condition). */
  @Benchmark
  public boolean cachedCondition() {
    return seedSuccess.test(healthy);
  }

  /** Looking the condition up in the compile cache, then evaluating it. */
  @Benchmark
  public boolean cacheLookupAndEvaluate() {
    return Condition.compile("result[0] >= 0.99").test(healthy);
  }

  /** An expr-style comprehension over an 8-series vector. */
  @Benchmark
  public boolean comprehensionOverVector() {
    return exprAll.test(series);
  }

  /** A whole measurement verdict: success and failure condition, as the evaluator runs them. */
  @Benchmark
  public Object measurementVerdict() {
    return AnalysisEvaluator.evaluate(seedMetric, healthy);
  }
}

package io.glidepath.rollout.simulate;

import io.glidepath.analysis.Metric;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Built-in synthetic metrics for {@link RolloutSimulator}: what a canary's success rate and P99
 * latency look like in common situations, as a function of the time since the rollout started.
 *
 * <p>A metric is a <em>latency</em> metric when its name or query mentions {@code latency}, {@code
 * p99}/{@code p95}/{@code p90}, {@code duration} or {@code histogram_quantile}; every other metric
 * is a <em>success-rate</em> metric. Values are one-element vectors (like a Prometheus instant
 * query), so {@code result[0]} works.
 *
 * <table>
 *   <caption>Scenarios</caption>
 *   <tr><th>name</th><th>success rate</th><th>P99 latency (s)</th></tr>
 *   <tr><td>{@code healthy}</td><td>0.999</td><td>0.25</td></tr>
 *   <tr><td>{@code errors-8pct}</td><td>0.999, 0.92 from minute 4</td><td>0.25</td></tr>
 *   <tr><td>{@code errors-3pct}</td><td>0.97</td><td>0.25</td></tr>
 *   <tr><td>{@code slow-p99}</td><td>0.999</td><td>0.25, 1.5 from minute 4</td></tr>
 *   <tr><td>{@code flapping}</td><td>0.999 / 0.93 alternating per measurement</td><td>0.25</td></tr>
 *   <tr><td>{@code no-data}</td><td>empty result</td><td>empty result</td></tr>
 * </table>
 *
 * <p>Immutable; the providers it makes are thread-safe.
 */
public final class Scenario {
  private static final Pattern LATENCY =
      Pattern.compile("latency|p99|p95|p90|duration|histogram_quantile");
  private static final Duration MINUTE_4 = Duration.ofMinutes(4);
  private static final double GOOD_RATE = 0.999;
  private static final double GOOD_P99 = 0.25;

  private interface Curve {
    MetricValue value(boolean latency, Duration elapsed, int measurement);
  }

  private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  static {
    add(
        "healthy",
        "success rate 0.999, P99 0.25 s throughout: promotes",
        (lat, t, n) -> one(lat ? GOOD_P99 : GOOD_RATE));
    add(
        "errors-8pct",
        "8% errors (success rate 0.92) from minute 4: rolls back",
        (lat, t, n) -> one(lat ? GOOD_P99 : t.compareTo(MINUTE_4) >= 0 ? 0.92 : GOOD_RATE));
    add(
        "errors-3pct",
        "success rate 0.97: neither condition holds, Inconclusive: pauses for a human",
        (lat, t, n) -> one(lat ? GOOD_P99 : 0.97));
    add(
        "slow-p99",
        "P99 1.5 s from minute 4: rolls back",
        (lat, t, n) -> one(lat ? (t.compareTo(MINUTE_4) >= 0 ? 1.5 : GOOD_P99) : GOOD_RATE));
    add(
        "flapping",
        "success rate alternating 0.999 / 0.93 each measurement: rolls back once failures exceed"
            + " failureLimit",
        (lat, t, n) -> one(lat ? GOOD_P99 : (n % 2 == 0 ? GOOD_RATE : 0.93)));
    add(
        "no-data",
        "empty results: Error after consecutiveErrorLimit + 1 measurements, rolls back",
        (lat, t, n) -> MetricValue.vector(List.of()));
  }

  private final String name;
  private final String description;
  private final Curve curve;

  private Scenario(String name, String description, Curve curve) {
    this.name = name;
    this.description = description;
    this.curve = curve;
  }

  private static void add(String name, String description, Curve curve) {
    ALL.put(name, new Scenario(name, description, curve));
  }

  private static MetricValue one(double v) {
    return MetricValue.vector(v);
  }

  /**
   * The scenario called {@code name}.
   *
   * @throws IllegalArgumentException naming the known scenarios if there is none
   */
  public static Scenario named(String name) {
    Scenario s = ALL.get(Objects.requireNonNull(name, "name"));
    if (s == null) {
      throw new IllegalArgumentException(
          "scenario must be one of " + ALL.keySet() + ", but was '" + name + "'");
    }
    return s;
  }

  /** The names of every built-in scenario. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** True if the scenario treats {@code metric} as a latency metric. */
  public static boolean isLatency(Metric metric) {
    String text =
        (metric.name() + " " + metric.provider().config().toString()).toLowerCase(Locale.ROOT);
    return LATENCY.matcher(text).find();
  }

  /**
   * A provider answering for provider type {@code type} with this scenario's values, counting time
   * from {@code start}.
   */
  public MetricProvider provider(String type, Instant start) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(start, "start");
    Map<String, Integer> counts = new HashMap<>();
    return new MetricProvider() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public MetricValue measure(MeasurementRequest request) {
        int n;
        synchronized (counts) {
          n = counts.merge(request.template() + "/" + request.metric().name(), 1, Integer::sum) - 1;
        }
        Duration elapsed = Duration.between(start, request.evaluationTime());
        return curve.value(isLatency(request.metric()), elapsed, n);
      }
    };
  }

  @Override
  public String toString() {
    return name;
  }
}

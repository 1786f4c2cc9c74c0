package io.glidepath.analysis.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kayenta-style statistical comparison of a canary against a baseline: per metric, a two-sided
 * Mann-Whitney U test at the configured confidence and the Hodges-Lehmann shift, then a weighted
 * score over metric groups and a verdict.
 *
 * <p>Per metric (NaN values removed or replaced first):
 *
 * <ul>
 *   <li>no canary or no baseline value left: {@code NODATA} (not scored);
 *   <li>p-value &lt; 1 - confidence and relative shift &gt; tolerance: {@code HIGH}; &lt;
 *       -tolerance: {@code LOW}; otherwise {@code PASS}. The relative shift is the Hodges-Lehmann
 *       shift divided by |median(baseline)| (the shift itself when that median is 0);
 *   <li>direction {@code INCREASE} (only an increase is bad, e.g. latency) turns {@code LOW} into
 *       {@code PASS}; {@code DECREASE} (e.g. success rate) turns {@code HIGH} into {@code PASS};
 *       {@code EITHER} keeps both.
 * </ul>
 *
 * <p>A group's score is the percentage of its scored metrics that pass; the overall score is the
 * weighted mean of the group scores (weight 1 unless set). Score &gt;= pass threshold: {@code
 * PASS}; &gt;= marginal threshold: {@code MARGINAL}; else (or with nothing scored) {@code FAIL}.
 *
 * <pre>{@code
 * CanaryJudge judge = CanaryJudge.newBuilder()
 *     .addMetric(CanaryJudge.MetricConfig.of("p99", "latency", CanaryJudge.Direction.INCREASE, 0.1))
 *     .build();
 * CanaryJudge.Judgement j = judge.judge(Map.of("p99", new CanaryJudge.Samples(canary, baseline)));
 * }</pre>
 *
 * <p>Defaults: confidence {@value #DEFAULT_CONFIDENCE}, pass threshold {@value
 * #DEFAULT_PASS_THRESHOLD}, marginal threshold {@value #DEFAULT_MARGINAL_THRESHOLD}. Immutable and
 * thread-safe.
 */
public final class CanaryJudge {
  public static final double DEFAULT_CONFIDENCE = 0.98;
  public static final double DEFAULT_PASS_THRESHOLD = 95;
  public static final double DEFAULT_MARGINAL_THRESHOLD = 75;

  /** Which change of a metric is bad. */
  public enum Direction {
    INCREASE,
    DECREASE,
    EITHER
  }

  /** What to do with NaN samples. */
  public enum NanStrategy {
    REMOVE,
    REPLACE
  }

  /** A metric's classification. */
  public enum Classification {
    PASS,
    HIGH,
    LOW,
    NODATA
  }

  /** The overall verdict. */
  public enum Verdict {
    PASS("Pass"),
    MARGINAL("Marginal"),
    FAIL("Fail");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * How one metric is judged.
   *
   * @param name the metric's name (the key of its samples)
   * @param group the group it is scored in
   * @param direction which change is bad
   * @param tolerance relative shift tolerated, >= 0 (0.1: 10 %)
   * @param nanStrategy remove NaN samples, or replace them with {@code nanReplacement}
   * @param nanReplacement the value replacing NaN when replacing
   */
  public record MetricConfig(
      String name,
      String group,
      Direction direction,
      double tolerance,
      NanStrategy nanStrategy,
      double nanReplacement) {
    public MetricConfig {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(nanStrategy, "nanStrategy");
      if (!(tolerance >= 0)) {
        throw new IllegalArgumentException("tolerance must be >= 0, but was " + tolerance);
      }
      if (Double.isNaN(nanReplacement)) {
        throw new IllegalArgumentException("nanReplacement must be a number, but was NaN");
      }
    }

    /** A metric whose NaN samples are removed. */
    public static MetricConfig of(
        String name, String group, Direction direction, double tolerance) {
      return new MetricConfig(name, group, direction, tolerance, NanStrategy.REMOVE, 0);
    }
  }

  /** The samples of one metric; arrays are copied. */
  public record Samples(double[] canary, double[] baseline) {
    public Samples {
      canary = canary.clone();
      baseline = baseline.clone();
    }

    @Override
    public double[] canary() {
      return canary.clone();
    }

    @Override
    public double[] baseline() {
      return baseline.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Samples s
          && Arrays.equals(canary, s.canary)
          && Arrays.equals(baseline, s.baseline);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(canary) + Arrays.hashCode(baseline);
    }

    @Override
    public String toString() {
      return "Samples[canary=" + canary.length + ", baseline=" + baseline.length + "]";
    }
  }

  /**
   * One metric's result.
   *
   * @param name the metric
   * @param group its group
   * @param classification after applying the direction
   * @param pValue the two-sided p-value (NaN without data)
   * @param shift the Hodges-Lehmann shift canary - baseline (NaN without data)
   * @param relativeShift the shift relative to |median(baseline)| (NaN without data)
   */
  public record MetricJudgement(
      String name,
      String group,
      Classification classification,
      double pValue,
      double shift,
      double relativeShift) {}

  /**
   * The overall result.
   *
   * @param score 0..100
   * @param verdict Pass, Marginal or Fail
   * @param metrics per-metric results, in configuration order
   * @param groupScores score per group that had scored metrics
   */
  public record Judgement(
      double score,
      Verdict verdict,
      List<MetricJudgement> metrics,
      Map<String, Double> groupScores) {
    public Judgement {
      metrics = List.copyOf(metrics);
      groupScores = Map.copyOf(groupScores);
    }
  }

  private final double confidence;
  private final double passThreshold;
  private final double marginalThreshold;
  private final List<MetricConfig> metrics;
  private final Map<String, Double> groupWeights;

  private CanaryJudge(Builder b) {
    this.confidence = b.confidence;
    this.passThreshold = b.passThreshold;
    this.marginalThreshold = b.marginalThreshold;
    this.metrics = List.copyOf(b.metrics);
    this.groupWeights = Map.copyOf(b.groupWeights);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public List<MetricConfig> metrics() {
    return metrics;
  }

  /** Judges the samples (keyed by metric name); a configured metric without samples is NODATA. */
  public Judgement judge(Map<String, Samples> samples) {
    List<MetricJudgement> results = new ArrayList<>();
    Map<String, int[]> groups = new LinkedHashMap<>();
    for (MetricConfig m : metrics) {
      MetricJudgement j = classify(m, samples.get(m.name()));
      results.add(j);
      if (j.classification() != Classification.NODATA) {
        int[] tally = groups.computeIfAbsent(m.group(), g -> new int[2]);
        tally[1]++;
        if (j.classification() == Classification.PASS) {
          tally[0]++;
        }
      }
    }
    Map<String, Double> groupScores = new LinkedHashMap<>();
    double weighted = 0;
    double weights = 0;
    for (Map.Entry<String, int[]> g : groups.entrySet()) {
      double score = 100.0 * g.getValue()[0] / g.getValue()[1];
      groupScores.put(g.getKey(), score);
      double w = groupWeights.getOrDefault(g.getKey(), 1.0);
      weighted += w * score;
      weights += w;
    }
    double score = weights == 0 ? 0 : weighted / weights;
    Verdict verdict =
        weights == 0
            ? Verdict.FAIL
            : score >= passThreshold
                ? Verdict.PASS
                : score >= marginalThreshold ? Verdict.MARGINAL : Verdict.FAIL;
    return new Judgement(score, verdict, results, groupScores);
  }

  private MetricJudgement classify(MetricConfig m, Samples s) {
    if (s == null) {
      return new MetricJudgement(
          m.name(), m.group(), Classification.NODATA, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] canary = clean(s.canary, m);
    double[] baseline = clean(s.baseline, m);
    if (canary.length == 0 || baseline.length == 0) {
      return new MetricJudgement(
          m.name(), m.group(), Classification.NODATA, Double.NaN, Double.NaN, Double.NaN);
    }
    MannWhitney.Result r = MannWhitney.test(canary, baseline);
    double[] sorted = baseline.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    double relative = median == 0 ? r.shift() : r.shift() / Math.abs(median);
    Classification c = Classification.PASS;
    if (r.pValue() < 1 - confidence) {
      if (relative > m.tolerance()) {
        c = Classification.HIGH;
      } else if (relative < -m.tolerance()) {
        c = Classification.LOW;
      }
    }
    if (c == Classification.LOW && m.direction() == Direction.INCREASE
        || c == Classification.HIGH && m.direction() == Direction.DECREASE) {
      c = Classification.PASS;
    }
    return new MetricJudgement(m.name(), m.group(), c, r.pValue(), r.shift(), relative);
  }

  private static double[] clean(double[] values, MetricConfig m) {
    return Arrays.stream(values)
        .map(
            v -> Double.isNaN(v) && m.nanStrategy() == NanStrategy.REPLACE ? m.nanReplacement() : v)
        .filter(v -> !Double.isNaN(v))
        .toArray();
  }

  /** Builds a {@link CanaryJudge}; validates at once. */
  public static final class Builder {
    private double confidence = DEFAULT_CONFIDENCE;
    private double passThreshold = DEFAULT_PASS_THRESHOLD;
    private double marginalThreshold = DEFAULT_MARGINAL_THRESHOLD;
    private final List<MetricConfig> metrics = new ArrayList<>();
    private final Map<String, Double> groupWeights = new LinkedHashMap<>();

    private Builder() {}

    /** Confidence of the test, in (0, 1). */
    public Builder confidence(double confidence) {
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence must be in (0, 1), but was " + confidence);
      }
      this.confidence = confidence;
      return this;
    }

    /** Pass and marginal thresholds, 0 &lt;= marginal &lt;= pass &lt;= 100. */
    public Builder thresholds(double pass, double marginal) {
      if (!(marginal >= 0 && marginal <= pass && pass <= 100)) {
        throw new IllegalArgumentException(
            "thresholds must satisfy 0 <= marginal <= pass <= 100, but were pass="
                + pass
                + " marginal="
                + marginal);
      }
      this.passThreshold = pass;
      this.marginalThreshold = marginal;
      return this;
    }

    public Builder addMetric(MetricConfig metric) {
      Objects.requireNonNull(metric, "metric");
      if (metrics.stream().anyMatch(m -> m.name().equals(metric.name()))) {
        throw new IllegalArgumentException("metric '" + metric.name() + "' is configured twice");
      }
      metrics.add(metric);
      return this;
    }

    /** The weight of a group in the overall score (default 1), > 0. */
    public Builder groupWeight(String group, double weight) {
      if (!(weight > 0)) {
        throw new IllegalArgumentException(
            "weight of group '" + group + "' must be > 0, but was " + weight);
      }
      groupWeights.put(Objects.requireNonNull(group, "group"), weight);
      return this;
    }

    public CanaryJudge build() {
      if (metrics.isEmpty()) {
        throw new IllegalArgumentException("metrics must not be empty");
      }
      return new CanaryJudge(this);
    }
  }
}

package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import tools.jackson.databind.node.JsonNodeFactory;

/** Laws of the analysis rules that hold for every metric configuration and history. */
class AnalysisPropertiesTest {

  private static final List<AnalysisPhase> OUTCOMES =
      List.of(
          AnalysisPhase.SUCCESSFUL,
          AnalysisPhase.FAILED,
          AnalysisPhase.INCONCLUSIVE,
          AnalysisPhase.ERROR);

  /** Metrics with every limit small enough to be reached; count and successLimit often unset. */
  static Gen<Metric> metrics() {
    Gen<Optional<Integer>> count = integers().between(1, 8).toOptionals(30);
    Gen<int[]> limits =
        integers()
            .between(-1, 3)
            .zip(
                integers().between(0, 3),
                integers().between(0, 5),
                integers().between(0, 3),
                (f, i, e, s) -> new int[] {f, i, e, s});
    Gen<Optional<Integer>> successLimit = integers().between(1, 8).toOptionals(60);
    return count.zip(
        limits,
        successLimit,
        (c, lim, l) -> {
          int n = c.orElse(8);
          Metric.Builder b =
              Metric.newBuilder("m")
                  .provider(new ProviderSpec("fake", JsonNodeFactory.instance.objectNode()))
                  .interval(Duration.ofSeconds(30))
                  .count(c.orElse(null))
                  .failureLimit(Math.min(lim[0], n))
                  .inconclusiveLimit(Math.min(lim[1], n))
                  .consecutiveErrorLimit(lim[2])
                  .consecutiveSuccessLimit(Math.min(lim[3], n));
          if (c.isPresent() && l.isPresent()) {
            b.successLimit(Math.min(l.get(), c.get()));
          }
          return b.build();
        });
  }

  static Gen<List<AnalysisPhase>> histories() {
    return lists().of(arbitrary().pick(OUTCOMES)).ofSizeBetween(0, 14);
  }

  private static List<Measurement> measurements(List<AnalysisPhase> phases) {
    List<Measurement> out = new ArrayList<>();
    phases.forEach(p -> out.add(Measurement.of(p)));
    return out;
  }

  /**
   * A failed measurement in place of a successful one never gives a better metric phase, whether
   * the run goes on or terminates afterwards.
   */
  @Test
  void failedMeasurementNeverImprovesTheMetricPhase() {
    qt().withExamples(500)
        .forAll(metrics(), histories(), histories(), booleans().all())
        .checkAssert(AnalysisPropertiesTest::failureNeverImproves);
  }

  private static void failureNeverImproves(
      Metric metric, List<AnalysisPhase> before, List<AnalysisPhase> after, boolean terminating) {
    List<AnalysisPhase> withSuccess = new ArrayList<>(before);
    withSuccess.add(AnalysisPhase.SUCCESSFUL);
    withSuccess.addAll(after);
    List<AnalysisPhase> withFailure = new ArrayList<>(before);
    withFailure.add(AnalysisPhase.FAILED);
    withFailure.addAll(after);
    AnalysisPhase good =
        AnalysisEvaluator.assessMetric(metric, measurements(withSuccess), terminating).phase();
    AnalysisPhase bad =
        AnalysisEvaluator.assessMetric(metric, measurements(withFailure), terminating).phase();
    assertThat(good.isWorseThan(bad))
        .as("with a success: %s, with a failure: %s", good, bad)
        .isFalse();
  }

  /** Appending a failed measurement never turns a completed non-successful metric successful. */
  @Test
  void failedMeasurementNeverRescuesACompletedMetric() {
    qt().withExamples(300)
        .forAll(metrics(), histories())
        .checkAssert(AnalysisPropertiesTest::failureNeverRescues);
  }

  private static void failureNeverRescues(Metric metric, List<AnalysisPhase> history) {
    MetricResult r = AnalysisEvaluator.assessMetric(metric, measurements(history), false);
    List<AnalysisPhase> longer = new ArrayList<>(history);
    longer.add(AnalysisPhase.FAILED);
    MetricResult next = AnalysisEvaluator.assessMetric(metric, measurements(longer), false);
    if (r.phase().isCompleted()) {
      assertThat(next.phase()).isEqualTo(r.phase());
    } else {
      assertThat(next.phase()).isNotEqualTo(AnalysisPhase.PENDING);
    }
  }

  /** Whatever the dry-run metrics measure, the run's phase is the one it has without them. */
  @Test
  void dryRunMetricsNeverChangeTheRunPhase() {
    qt().withExamples(400)
        .forAll(metrics().zip(histories(), Pair::of), metrics(), histories(), booleans().all())
        .checkAssert(
            (real, dry, dryHistory, terminate) ->
                dryRunNeverChanges(real._1, real._2, dry, dryHistory, terminate));
  }

  private static void dryRunNeverChanges(
      Metric real,
      List<AnalysisPhase> realHistory,
      Metric dry,
      List<AnalysisPhase> dryHistory,
      boolean terminate) {
    Metric dryMetric = dry.newBuilder().name("dry").build();
    AnalysisTemplate template =
        AnalysisTemplate.newBuilder("t")
            .addMetric(real)
            .addMetric(dryMetric)
            .addDryRun("^dry$")
            .build();
    Map<String, List<Measurement>> histories = new LinkedHashMap<>();
    histories.put("m", measurements(realHistory));
    histories.put("dry", measurements(dryHistory));
    AnalysisResult withDry = AnalysisEvaluator.assessRun(template, histories, terminate);

    // the same run, with the dry-run metric completed successfully instead
    Metric calm =
        Metric.newBuilder("dry")
            .provider(new ProviderSpec("fake", JsonNodeFactory.instance.objectNode()))
            .build();
    AnalysisTemplate calmTemplate =
        AnalysisTemplate.newBuilder("t").addMetric(real).addMetric(calm).addDryRun("^dry$").build();
    Map<String, List<Measurement>> calmHistories = new LinkedHashMap<>(histories);
    calmHistories.put("dry", List.of(Measurement.of(AnalysisPhase.SUCCESSFUL)));
    AnalysisResult without = AnalysisEvaluator.assessRun(calmTemplate, calmHistories, terminate);

    boolean dryCompleted = withDry.metric("dry").orElseThrow().phase().isCompleted();
    if (dryCompleted) {
      assertThat(withDry.phase()).isEqualTo(without.phase());
    } else {
      // an unfinished dry-run metric can only keep the run Running, never decide it
      assertThat(withDry.phase()).isIn(AnalysisPhase.RUNNING, without.phase());
    }
  }
}

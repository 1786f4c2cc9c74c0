package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.node.JsonNodeFactory;

/** Laws of the analysis rules that hold for every metric configuration and history. */
class AnalysisPropertiesTest {

  private static final List<AnalysisPhase> OUTCOMES =
      List.of(
          AnalysisPhase.SUCCESSFUL,
          AnalysisPhase.FAILED,
          AnalysisPhase.INCONCLUSIVE,
          AnalysisPhase.ERROR);

  @Provide
  Arbitrary<Metric> metrics() {
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 8).injectNull(0.3);
    Arbitrary<Integer> fl = Arbitraries.integers().between(-1, 3);
    Arbitrary<Integer> il = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> cel = Arbitraries.integers().between(0, 5);
    Arbitrary<Integer> csl = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> sl = Arbitraries.integers().between(1, 8).injectNull(0.6);
    return Combinators.combine(count, fl, il, cel, csl, sl)
        .as(
            (c, f, i, e, s, l) -> {
              int n = c == null ? 8 : c;
              Metric.Builder b =
                  Metric.newBuilder("m")
                      .provider(new ProviderSpec("fake", JsonNodeFactory.instance.objectNode()))
                      .interval(Duration.ofSeconds(30))
                      .count(c)
                      .failureLimit(Math.min(f, n))
                      .inconclusiveLimit(Math.min(i, n))
                      .consecutiveErrorLimit(e)
                      .consecutiveSuccessLimit(Math.min(s, n));
              if (c != null && l != null) {
                b.successLimit(Math.min(l, c));
              }
              return b.build();
            });
  }

  @Provide
  Arbitrary<List<AnalysisPhase>> histories() {
    return Arbitraries.of(OUTCOMES).list().ofMaxSize(14);
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
  @Property(tries = 500)
  void failedMeasurementNeverImprovesTheMetricPhase(
      @ForAll("metrics") Metric metric,
      @ForAll("histories") List<AnalysisPhase> before,
      @ForAll("histories") List<AnalysisPhase> after,
      @ForAll boolean terminating) {
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
  @Property(tries = 300)
  void failedMeasurementNeverRescuesACompletedMetric(
      @ForAll("metrics") Metric metric, @ForAll("histories") List<AnalysisPhase> history) {
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
  @Property(tries = 400)
  void dryRunMetricsNeverChangeTheRunPhase(
      @ForAll("metrics") Metric real,
      @ForAll("histories") List<AnalysisPhase> realHistory,
      @ForAll("metrics") Metric dry,
      @ForAll("histories") List<AnalysisPhase> dryHistory,
      @ForAll boolean terminate) {
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

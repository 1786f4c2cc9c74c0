package io.glidepath.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.judge.CanaryJudge.Classification;
import io.glidepath.analysis.judge.CanaryJudge.Direction;
import io.glidepath.analysis.judge.CanaryJudge.MetricConfig;
import io.glidepath.analysis.judge.CanaryJudge.Samples;
import io.glidepath.analysis.judge.CanaryJudge.Verdict;
import io.glidepath.analysis.provider.MetricProviders;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CanaryJudgeTest {
  private static final double[] BASELINE =
      IntStream.range(0, 30).mapToDouble(i -> 100 + (i % 10)).toArray();

  private static double[] shifted(double by) {
    return Arrays.stream(BASELINE).map(v -> v + by).toArray();
  }

  @Test
  void classifiesHighLowAndPassAgainstTolerance() {
    CanaryJudge judge =
        CanaryJudge.newBuilder()
            .addMetric(MetricConfig.of("up", "g", Direction.EITHER, 0.1))
            .addMetric(MetricConfig.of("down", "g", Direction.EITHER, 0.1))
            .addMetric(MetricConfig.of("small", "g", Direction.EITHER, 0.1))
            .addMetric(MetricConfig.of("same", "g", Direction.EITHER, 0.1))
            .build();
    CanaryJudge.Judgement j =
        judge.judge(
            Map.of(
                "up", new Samples(shifted(50), BASELINE),
                "down", new Samples(shifted(-50), BASELINE),
                "small", new Samples(shifted(5), BASELINE),
                "same", new Samples(BASELINE, BASELINE)));
    assertThat(j.metrics())
        .extracting(CanaryJudge.MetricJudgement::classification)
        .containsExactly(
            Classification.HIGH, Classification.LOW, Classification.PASS, Classification.PASS);
    // "small" is significant but within the 10 % tolerance
    assertThat(j.metrics().get(2).pValue()).isLessThan(0.02);
    assertThat(j.metrics().get(2).shift()).isEqualTo(5.0);
    assertThat(j.score()).isEqualTo(50.0);
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void directionIgnoresTheHarmlessChange() {
    CanaryJudge judge =
        CanaryJudge.newBuilder()
            .addMetric(MetricConfig.of("latency", "latency", Direction.INCREASE, 0.1))
            .addMetric(MetricConfig.of("success", "errors", Direction.DECREASE, 0.1))
            .build();
    CanaryJudge.Judgement j =
        judge.judge(
            Map.of(
                "latency", new Samples(shifted(-50), BASELINE),
                "success", new Samples(shifted(50), BASELINE)));
    assertThat(j.metrics()).allMatch(m -> m.classification() == Classification.PASS);
    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    assertThat(j.score()).isEqualTo(100.0);
  }

  @Test
  void groupWeightsAndThresholdsGiveMarginal() {
    CanaryJudge judge =
        CanaryJudge.newBuilder()
            .addMetric(MetricConfig.of("a", "latency", Direction.EITHER, 0.1))
            .addMetric(MetricConfig.of("b", "errors", Direction.EITHER, 0.1))
            .groupWeight("latency", 4)
            .groupWeight("errors", 1)
            .thresholds(90, 75)
            .build();
    CanaryJudge.Judgement j =
        judge.judge(
            Map.of("a", new Samples(BASELINE, BASELINE), "b", new Samples(shifted(50), BASELINE)));
    assertThat(j.groupScores()).containsEntry("latency", 100.0).containsEntry("errors", 0.0);
    assertThat(j.score()).isCloseTo(80.0, within(1e-9));
    assertThat(j.verdict()).isEqualTo(Verdict.MARGINAL);
  }

  @Test
  void nanSamplesAreRemovedOrReplacedAndEmptyMeansNoData() {
    double[] nans = {Double.NaN, Double.NaN};
    CanaryJudge judge =
        CanaryJudge.newBuilder()
            .addMetric(MetricConfig.of("gone", "g", Direction.EITHER, 0))
            .addMetric(
                new MetricConfig(
                    "zeroed", "g", Direction.EITHER, 0, CanaryJudge.NanStrategy.REPLACE, 0))
            .addMetric(MetricConfig.of("missing", "g", Direction.EITHER, 0))
            .build();
    CanaryJudge.Judgement j =
        judge.judge(
            Map.of(
                "gone", new Samples(nans, BASELINE),
                "zeroed", new Samples(nans, new double[] {0, 0})));
    assertThat(j.metrics())
        .extracting(CanaryJudge.MetricJudgement::classification)
        .containsExactly(Classification.NODATA, Classification.PASS, Classification.NODATA);
    assertThat(j.score()).isEqualTo(100.0);
  }

  @Test
  void nothingScoredFails() {
    CanaryJudge judge =
        CanaryJudge.newBuilder().addMetric(MetricConfig.of("x", "g", Direction.EITHER, 0)).build();
    assertThat(judge.judge(Map.of()).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void worksAsAMetricProviderInATemplate() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: judge}
        spec:
          metrics:
          - name: canary-vs-baseline
            successCondition: result.verdict == 'Pass' && result.score >= 95.0
            failureCondition: result.verdict == 'Fail'
            provider:
              canaryJudge:
                lookback: 10m
                step: 30s
                metrics:
                - {name: p99, group: latency, canary: canary_p99, baseline: stable_p99, direction: increase, tolerance: 0.1}
        """;
    AnalysisTemplate t = AnalysisTemplate.parse(yaml, "judge.yaml");
    CanaryJudgeProvider healthy = CanaryJudgeProvider.of((query, end, lookback, step) -> BASELINE);
    CanaryJudgeProvider slow =
        CanaryJudgeProvider.of(
            (query, end, lookback, step) -> query.startsWith("canary") ? shifted(80) : BASELINE);
    AnalysisResult pass =
        AnalysisRun.replay(t, MetricProviders.of(healthy), Instant.EPOCH, AnalysisListener.NONE);
    AnalysisResult fail =
        AnalysisRun.replay(t, MetricProviders.of(slow), Instant.EPOCH, AnalysisListener.NONE);
    assertThat(pass.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(fail.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(
            fail.metric("canary-vs-baseline")
                .orElseThrow()
                .measurements()
                .get(0)
                .value()
                .orElseThrow()
                .toString())
        .contains("verdict:Fail")
        .contains("p99:HIGH");
  }
}

package io.glidepath.appset.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.RecordedProvider;
import io.glidepath.appset.AnalysisTemplates;
import io.glidepath.core.yaml.Yaml;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnalysisGatesTest {
  private final VirtualScheduler scheduler =
      VirtualScheduler.at(Instant.parse("2026-03-01T00:00:00Z"));
  private final AnalysisGates gates = new AnalysisGates();

  @AfterEach
  void close() {
    gates.close();
  }

  private static AnalysisTemplate template(String kind, String metric) {
    return AnalysisTemplate.parse(
        "apiVersion: argoproj.io/v1alpha1\nkind: "
            + kind
            + "\nmetadata: {name: latency}\nspec:\n  metrics:\n  - name: "
            + metric
            + "\n    count: 1\n    successCondition: result < 300\n    provider:\n"
            + "      recorded: {}\n",
        kind + ".yaml");
  }

  private static AnalysisGates.StepAnalysis step(String templates) {
    return AnalysisGates.StepAnalysis.of(
        Yaml.mapper().readTree("{\"analysis\": {\"templates\": " + templates + "}}"));
  }

  private AnalysisGates.Verdict run(
      AnalysisGates.StepAnalysis analysis, List<AnalysisTemplate> found) {
    gates.start(
        0,
        "group-a",
        "gate-0",
        analysis,
        AnalysisTemplates.of(found),
        MetricProviders.of(RecordedProvider.fromJson("{\"p99\": [120], \"p95\": [90]}")),
        scheduler);
    scheduler.advance(Duration.ofMinutes(1));
    return gates.verdict(0, "group-a");
  }

  @Test
  void anAnalysisTemplateAndAClusterAnalysisTemplateOfTheSameNameBothRun() {
    AnalysisGates.StepAnalysis analysis =
        step(
            "[{\"templateName\": \"latency\"},"
                + " {\"templateName\": \"latency\", \"clusterScope\": true}]");

    assertThat(analysis.templates())
        .containsExactly(
            new AnalysisGates.TemplateRef("latency", false),
            new AnalysisGates.TemplateRef("latency", true));
    assertThat(
            run(
                    analysis,
                    List.of(
                        template("AnalysisTemplate", "p99"),
                        template("ClusterAnalysisTemplate", "p95")))
                .state())
        .isEqualTo(AnalysisGates.State.PASSED);
  }

  @Test
  void bothScopesAreLookedUpSoAMissingOneIsAnError() {
    AnalysisGates.Verdict v =
        run(
            step(
                "[{\"templateName\": \"latency\"},"
                    + " {\"templateName\": \"latency\", \"clusterScope\": true}]"),
            List.of(template("ClusterAnalysisTemplate", "p95")));

    assertThat(v.state()).isEqualTo(AnalysisGates.State.FAILED);
    assertThat(v.message()).contains("AnalysisTemplate 'latency' not found");
  }

  @Test
  void aTemplateGivenTwiceIsAnErrorAsItsMetricsShareNames() {
    AnalysisGates.Verdict v =
        run(
            step("[{\"templateName\": \"latency\"}, {\"templateName\": \"latency\"}]"),
            List.of(template("AnalysisTemplate", "p99")));

    assertThat(v.state()).isEqualTo(AnalysisGates.State.FAILED);
    assertThat(v.message()).contains("two metrics have the same name 'p99'");
  }
}

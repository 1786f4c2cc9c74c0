package io.glidepath.rollout.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.provider.RecordedProvider;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.Seed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutSimulatorTest {
  private final CanaryPlan seed = Seed.plan();

  private SimulationResult run(String scenario) {
    return RolloutSimulator.builder(seed).scenario(Scenario.named(scenario)).build().run();
  }

  @Test
  void healthyCanaryIsPromotedAfterPausesAndAnalysis() {
    SimulationResult r = run("healthy");
    System.out.println(r.toText());
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.PROMOTED);
    // 12 minutes of pauses, then six measurements 30 s apart
    assertThat(r.elapsed()).isEqualTo(Duration.ofMinutes(14).plusSeconds(30));
    assertThat(r.timeline())
        .filteredOn(e -> e.type().equals("WEIGHT_CHANGED"))
        .extracting(SimulationResult.Entry::weight)
        .containsExactly(10, 30, 50, 100, 0);
  }

  @Test
  void eightPercentErrorsRollBack() {
    SimulationResult r = run("errors-8pct");
    System.out.println(r.toText());
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.ROLLED_BACK);
    assertThat(r.reason()).contains("success-rate").contains("Failed");
    assertThat(r.outcome().exitCode()).isEqualTo(1);
  }

  @Test
  void threePercentErrorsPauseAsInconclusive() {
    SimulationResult r = run("errors-3pct");
    System.out.println(r.toText());
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.PAUSED);
    assertThat(r.reason()).contains("Inconclusive");
  }

  @Test
  void slowP99RollsBack() {
    SimulationResult r = run("slow-p99");
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.ROLLED_BACK);
    assertThat(r.reason()).contains("p99-latency");
  }

  @Test
  void flappingRollsBackOnceFailuresExceedTheLimit() {
    SimulationResult r = run("flapping");
    System.out.println(r.toText());
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.ROLLED_BACK);
    assertThat(r.reason()).contains("success-rate");
  }

  @Test
  void noDataErrorsAndRollsBack() {
    SimulationResult r = run("no-data");
    System.out.println(r.toText());
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.ROLLED_BACK);
    assertThat(r.reason()).contains("Error");
  }

  @Test
  void recordedMetricsDecideTheOutcome() {
    StringBuilder json = new StringBuilder("{\"success-rate\": [");
    for (int i = 0; i < 12; i++) {
      json.append(i == 0 ? "" : ",").append(i < 9 ? "[0.999]" : "[0.5]");
    }
    json.append("], \"p99-latency\": [");
    for (int i = 0; i < 12; i++) {
      json.append(i == 0 ? "" : ",").append("[0.2]");
    }
    json.append("]}");
    SimulationResult r =
        RolloutSimulator.builder(seed)
            .recording(RecordedProvider.fromJson(json.toString()), "inline")
            .build()
            .run();
    assertThat(r.outcome()).isEqualTo(SimulationResult.Outcome.ROLLED_BACK);
    assertThat(r.series())
        .extracting(SimulationResult.Series::metric)
        .containsExactly("success-rate", "p99-latency");
  }

  @Test
  void reportsCarryTheTimelineAndThresholds() {
    SimulationResult r = run("errors-8pct");
    String html = r.toHtml();
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<svg")
        .contains("result[0] &gt;= 0.99")
        .doesNotContain("<script");
    assertThat(r.toJson().path("outcome").asString()).isEqualTo("ROLLED_BACK");
    assertThat(r.toJson().path("metrics").get(0).path("measurements").size()).isGreaterThan(6);
    assertThat(r.series().get(0).success())
        .get()
        .extracting(SimulationResult.Threshold::value)
        .isEqualTo(0.99);
  }
}

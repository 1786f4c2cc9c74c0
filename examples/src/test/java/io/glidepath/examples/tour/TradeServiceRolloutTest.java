package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.simulate.RolloutSimulator;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.simulate.SimulationResult;
import io.glidepath.rollout.simulate.SimulationResult.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Testing your AnalysisTemplates with no cluster" JUnit example, as a user would put
 * it in the repository that holds their chart (here: {@code examples/gitops-configs}).
 */
// tag::simulator-junit[]
class TradeServiceRolloutTest {
  static CanaryPlan plan;

  @BeforeAll
  static void renderProduction() { // a plain Rollout file: CanaryPlan.fromRollout(Path.of(...))
    RenderRequest request =
        RenderRequest.builder(Path.of("gitops-configs"), "apps/trade-service")
            .valueFiles("values.yaml", "values-production.yaml")
            .namespace("production")
            .build();
    String manifests = Yaml.write(ManifestRenderer.renderApp(request).resources());
    plan = CanaryPlan.fromRollout(manifests, "trade-service"); // the Rollout and its templates
  }

  static SimulationResult simulate(String scenario) {
    return RolloutSimulator.builder(plan).scenario(Scenario.named(scenario)).build().run();
  }

  @Test
  void promotesOnHealthyMetrics() {
    SimulationResult r = simulate("healthy");
    assertThat(r.outcome()).as(r.toText()).isEqualTo(Outcome.PROMOTED);
    assertThat(r.elapsed()).isEqualTo(Duration.ofMinutes(14).plusSeconds(30));
  }

  @Test
  void rollsBackOnEightPercentErrorsBeforeFullTraffic() {
    SimulationResult r = simulate("errors-8pct");
    assertThat(r.outcome()).as(r.toText()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).contains("success-rate");
    assertThat(r.timeline()).noneMatch(e -> e.weight() == 100);
  }

  @Test
  void rollsBackWhenP99LatencyPassesOneSecond() {
    SimulationResult r = simulate("slow-p99");
    assertThat(r.outcome()).as(r.toText()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).contains("p99-latency");
  }

  @Test
  void rollsBackOnTheMetricsRecordedDuringTheLastBadRelease() {
    SimulationResult r =
        RolloutSimulator.builder(plan)
            .recording(Path.of("src/test/resources/recordings/trade-service-v3.csv"))
            .build()
            .run();
    assertThat(r.outcome()).as(r.toText()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.elapsed()).isLessThan(Duration.ofMinutes(2)); // caught at 10% by the background
  }
}
// end::simulator-junit[]

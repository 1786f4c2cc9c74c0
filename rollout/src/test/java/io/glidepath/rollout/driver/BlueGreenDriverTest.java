package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.internal.driver.InMemoryRolloutCluster;
import io.glidepath.rollout.simulate.Scenario;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class BlueGreenDriverTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final AnalysisTemplate CHECK =
      AnalysisTemplate.parse(
          """
          apiVersion: argoproj.io/v1alpha1
          kind: AnalysisTemplate
          metadata: {name: check}
          spec:
            metrics:
              - name: success-rate
                interval: 10s
                count: 3
                successCondition: result[0] >= 0.99
                failureCondition: result[0] < 0.95
                provider: {prometheus: {address: "http://p:9090", query: "up"}}
          """,
          "check.yaml");

  private final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  private final InMemoryRolloutCluster cluster = new InMemoryRolloutCluster();

  private RolloutDriver driver(String scenario, Instant metricsStart) {
    return RolloutDriver.builder(cluster)
        .providers(
            MetricProviders.of(Scenario.named(scenario).provider("prometheus", metricsStart)))
        .scheduler(scheduler)
        .build();
  }

  private static BlueGreenPlan.Builder plan(String image) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "web");
    t.putObject("spec").putArray("containers").addObject().put("image", image);
    return BlueGreenPlan.builder("web")
        .replicas(4)
        .podTemplate(t)
        .activeService("web")
        .previewService("web-preview")
        .previewReplicaCount(1)
        .template(CHECK);
  }

  private String active() {
    return cluster.services().get("default/web");
  }

  private String preview() {
    return cluster.services().get("default/web-preview");
  }

  private int replicas(String hash) {
    return cluster.replicaSets().getOrDefault("default/web-" + hash, -1);
  }

  @Test
  void previewIsAnalysedThenPromotedAutomatically() {
    try (RolloutDriver driver = driver("healthy", T0)) {
      Rollout v1 = driver.start(plan("web:1").build());
      String blue = v1.revision();
      Rollout v2 =
          driver.start(
              plan("web:2")
                  .prePromotionAnalysis(AnalysisRef.of("check"))
                  .autoPromotionSeconds(60)
                  .build());
      String green = v2.revision();
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(preview()).isEqualTo(green);
      assertThat(active()).isEqualTo(blue);
      assertThat(replicas(green)).isEqualTo(1);
      assertThat(v2.status().stepIndex()).isEqualTo(2);
      scheduler.advance(Duration.ofSeconds(60));
      assertThat(v2.status().isPromoted()).isTrue();
      assertThat(active()).isEqualTo(green);
      assertThat(replicas(green)).isEqualTo(4);
      assertThat(replicas(blue)).isEqualTo(4);
      scheduler.advance(Duration.ofSeconds(31));
      assertThat(replicas(blue)).isZero();
    }
  }

  @Test
  void withoutAutoPromotionItWaitsForPromote() {
    try (RolloutDriver driver = driver("healthy", T0)) {
      String blue = driver.start(plan("web:1").build()).revision();
      Rollout v2 = driver.start(plan("web:2").autoPromotionEnabled(false).build());
      scheduler.advance(Duration.ofHours(1));
      assertThat(v2.status().phase()).isEqualTo(RolloutPhase.PAUSED);
      assertThat(active()).isEqualTo(blue);
      v2.promote();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(active()).isEqualTo(v2.revision());
      assertThat(v2.status().isPromoted()).isTrue();
    }
  }

  @Test
  void aFailedPrePromotionAnalysisKeepsTheActiveServiceOnTheStableRevision() {
    try (RolloutDriver driver = driver("errors-8pct", T0.minus(Duration.ofMinutes(10)))) {
      String blue = driver.start(plan("web:1").build()).revision();
      Rollout v2 =
          driver.start(plan("web:2").prePromotionAnalysis(AnalysisRef.of("check")).build());
      scheduler.advance(Duration.ofMinutes(2));
      RolloutStatus s = v2.status();
      assertThat(s.phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(s.message()).contains("pre-promotion analysis").contains("0.92");
      assertThat(active()).isEqualTo(blue);
      assertThat(replicas(v2.revision())).isZero();
    }
  }

  @Test
  void aFailedPostPromotionAnalysisSwitchesBack() {
    try (RolloutDriver driver = driver("errors-8pct", T0.minus(Duration.ofMinutes(10)))) {
      String blue = driver.start(plan("web:1").build()).revision();
      Rollout v2 =
          driver.start(plan("web:2").postPromotionAnalysis(AnalysisRef.of("check")).build());
      scheduler.advance(Duration.ofMinutes(1));
      RolloutStatus s = v2.status();
      assertThat(s.phase()).isEqualTo(RolloutPhase.DEGRADED);
      // it had switched (weight 100 marks the switch) before the analysis failed
      assertThat(s.weight()).isZero();
      assertThat(s.stepIndex()).isEqualTo(4);
      assertThat(s.message()).contains("post-promotion analysis");
      assertThat(active()).isEqualTo(blue);
    }
  }
}

package io.glidepath.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlueGreenPlanTest {
  @Test
  void readsABlueGreenRollout() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: prod}
        spec:
          replicas: 3
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
          strategy:
            blueGreen:
              activeService: web
              previewService: web-preview
              previewReplicaCount: 1
              autoPromotionEnabled: false
              scaleDownDelaySeconds: 60
              prePromotionAnalysis:
                templates: [{templateName: smoke}]
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: smoke}
        spec:
          metrics:
            - name: ok
              provider: {web: {url: "http://web-preview/healthz"}}
        """;
    BlueGreenPlan plan = BlueGreenPlan.fromRollout(yaml, "bg.yaml");
    assertThat(plan.activeService()).isEqualTo("web");
    assertThat(plan.previewService()).contains("web-preview");
    assertThat(plan.previewReplicaCount()).hasValue(1);
    assertThat(plan.autoPromotionEnabled()).isFalse();
    assertThat(plan.scaleDownDelaySeconds()).isEqualTo(60);
    assertThat(plan.prePromotionAnalysis()).contains(AnalysisRef.of("smoke"));
    assertThat(plan.describe()).contains("wait until promoted").contains("minimum duration: 1m");
  }

  @Test
  void rejectsAPreviewServiceEqualToTheActiveService() {
    assertThatThrownBy(
            () -> BlueGreenPlan.builder("web").activeService("web").previewService("web").build())
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("previewService must differ from activeService");
  }

  @Test
  void rejectsAMissingActiveServiceAndUnknownTemplates() {
    assertThatThrownBy(
            () -> BlueGreenPlan.builder("web").postPromotionAnalysis(AnalysisRef.of("x")).build())
        .isInstanceOfSatisfying(
            PlanValidationException.class,
            e ->
                assertThat(e.problems())
                    .extracting(PlanValidationException.Problem::field)
                    .containsExactly("activeService", "postPromotionAnalysis.templates"));
  }

  @Test
  void canaryReaderRejectsABlueGreenRollout() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
          strategy:
            blueGreen: {activeService: web}
        """;
    assertThatThrownBy(() -> CanaryPlan.fromRollout(yaml, "bg.yaml"))
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("spec.strategy.canary is missing (strategy has [blueGreen])");
  }
}

package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationSetReadTest {
  private static String set(String strategy) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: shop}\n"
        + "spec:\n  generators:\n  - list: {elements: [{env: staging}]}\n"
        + "  template:\n    metadata: {name: '{{env}}-shop'}\n    spec:\n"
        + "      project: default\n      source: {repoURL: https://git.example/r.git, path: x}\n"
        + "      destination: {server: https://kubernetes.default.svc, namespace: shop}\n"
        + strategy;
  }

  @Test
  void readsARollingSyncWithStepsAndMaxUpdate() {
    ApplicationSet s =
        ApplicationSet.parse(
            set(
                "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                    + "      - matchExpressions: [{key: env, operator: In, values: [staging]}]\n"
                    + "        maxUpdate: 25%\n"),
            "shop.yaml");
    assertThat(s.rollingSync()).isTrue();
  }

  @Test
  void refusesAnAnalysisGateOnAStepNamingTheField() {
    assertThatThrownBy(
            () ->
                ApplicationSet.parse(
                    set(
                        "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                            + "      - matchExpressions: []\n"
                            + "        analysis: {templates: [{templateName: success-rate}]}\n"),
                    "shop.yaml"))
        .isInstanceOf(ApplicationSetException.class)
        .hasMessageContaining("shop.yaml")
        .hasMessageContaining("spec.strategy.rollingSync.steps[0].analysis")
        .hasMessageContaining("not supported");
  }

  @Test
  void refusesAMaxUpdateThatIsNeitherANumberNorAPercentage() {
    assertThatThrownBy(
            () ->
                ApplicationSet.parse(
                    set(
                        "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                            + "      - maxUpdate: half\n"),
                    "shop.yaml"))
        .isInstanceOf(ApplicationSetException.class)
        .hasMessageContaining("spec.strategy.rollingSync.steps[0].maxUpdate");
  }
}

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
  void readsGlidepathsAnalysisGateOnAStep() {
    ApplicationSet s =
        ApplicationSet.parse(
            set(
                "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                    + "      - matchExpressions: []\n"
                    + "        analysis:\n"
                    + "          templates: [{templateName: success-rate},"
                    + " {templateName: latency, clusterScope: true}]\n"
                    + "          args: [{name: env, value: staging}]\n"),
            "shop.yaml");
    assertThat(
            s.spec()
                .at("/strategy/rollingSync/steps/0/analysis/templates/1/clusterScope")
                .asBoolean())
        .isTrue();
  }

  @Test
  void refusesAnAnalysisArgumentFromValueFromNamingTheField() {
    assertThatThrownBy(
            () ->
                ApplicationSet.parse(
                    set(
                        "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                            + "      - matchExpressions: []\n"
                            + "        analysis:\n"
                            + "          templates: [{templateName: success-rate}]\n"
                            + "          args:\n"
                            + "          - name: hash\n"
                            + "            valueFrom: {podTemplateHashValue: Latest}\n"),
                    "shop.yaml"))
        .isInstanceOf(ApplicationSetException.class)
        .hasMessageContaining("shop.yaml")
        .hasMessageContaining("spec.strategy.rollingSync.steps[0].analysis.args[0].valueFrom");
  }

  @Test
  void refusesAnAnalysisWithoutTemplatesOrWithUnknownFields() {
    assertThatThrownBy(
            () ->
                ApplicationSet.parse(
                    set(
                        "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                            + "      - analysis: {args: []}\n"),
                    "shop.yaml"))
        .isInstanceOf(ApplicationSetException.class)
        .hasMessageContaining("spec.strategy.rollingSync.steps[0].analysis.templates")
        .hasMessageContaining("at least one");
    assertThatThrownBy(
            () ->
                ApplicationSet.parse(
                    set(
                        "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                            + "      - analysis: {templates: [{templateName: a}], dryRun: []}\n"),
                    "shop.yaml"))
        .isInstanceOf(ApplicationSetException.class)
        .hasMessageContaining("spec.strategy.rollingSync.steps[0].analysis.dryRun")
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

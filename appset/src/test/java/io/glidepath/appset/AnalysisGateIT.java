package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.RecordedProvider;
import io.glidepath.core.resource.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Glidepath's analysis gates between RollingSync steps on four EmbeddedClusters: staging's analysis
 * must pass before prod starts; a failed analysis stops the rollout and rolls staging back to the
 * spec it had, where it stays until the ApplicationSet generates another.
 */
class AnalysisGateIT {
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args:
        - name: env
        metrics:
        - name: success-rate
          count: 1
          successCondition: result[0] >= 0.95
          failureCondition: result[0] < 0.9
          provider:
            prometheus:
              address: http://prometheus.example:9090
              query: sum(rate(http_ok{env="{{args.env}}"}[5m])) / sum(rate(http_all{env="{{args.env}}"}[5m]))
      """;

  private final StagedFleet fleet = new StagedFleet();
  private final VirtualScheduler scheduler =
      VirtualScheduler.at(Instant.parse("2026-01-01T00:00:00Z"));

  @AfterEach
  void close() {
    fleet.close();
  }

  private void applySet(String version, String template) {
    fleet.applySet(
        version,
        "        analysis:\n          templates: [{templateName: "
            + template
            + "}]\n          args: [{name: env, value: staging}]\n");
  }

  private String version(String cluster) {
    return fleet.version(cluster);
  }

  private Resource application(String name) {
    return fleet.application(name);
  }

  private JsonNode rolloutCondition() {
    return fleet.rolloutCondition();
  }

  private ApplicationSetController controller(String recording) {
    return ApplicationSetController.builder(
            fleet.control(), "argocd", "trade-service", fleet.context())
        .analysisTemplates(
            AnalysisTemplates.of(List.of(AnalysisTemplate.parse(TEMPLATE, "success-rate.yaml"))))
        .metricProviders(
            MetricProviders.of(RecordedProvider.fromJson(recording).servingType("prometheus")))
        .analysisScheduler(scheduler)
        .build();
  }

  /** One round: the ApplicationSet controller, every app's controller, then due measurements. */
  private ApplicationSetController.Pass round(ApplicationSetController set) {
    ApplicationSetController.Pass p = fleet.round(set);
    scheduler.runUntilIdle(100);
    return p;
  }

  private List<ApplicationSetController.Pass> roundsUntil(
      ApplicationSetController set, BooleanSupplier done) {
    List<ApplicationSetController.Pass> passes = new ArrayList<>();
    for (int i = 0; i < 12 && !done.getAsBoolean(); i++) {
      passes.add(round(set));
    }
    assertThat(done.getAsBoolean()).as("reached within 12 rounds").isTrue();
    return passes;
  }

  @Test
  void aPassedAnalysisOpensTheNextStepAndAFailedOneRollsTheStepBack() {
    try (ApplicationSetController set =
        controller("{\"success-rate\": [[0.99], [0.99], [0.50], [0.99]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v1"));

      // v2: staging first; prod waits until staging's analysis passed
      applySet("v2", "success-rate");
      roundsUntil(set, () -> version("staging").equals("v2"));
      assertThat(version("prod-eu")).isEqualTo("v1");
      roundsUntil(
          set,
          () ->
              rolloutCondition()
                  .path("message")
                  .asString("")
                  .equals(
                      "ApplicationSet is performing rollout of step 1: analysis success-rate is"
                          + " running"));
      assertThat(version("prod-eu")).as("not before the analysis passed").isEqualTo("v1");
      roundsUntil(set, () -> version("prod-eu").equals("v2") && version("prod-us").equals("v2"));

      // v3: staging's analysis fails: staging goes back to v2, prod never sees v3
      applySet("v3", "success-rate");
      roundsUntil(set, () -> version("staging").equals("v3"));
      List<ApplicationSetController.Pass> passes =
          roundsUntil(
              set,
              () ->
                  version("staging").equals("v2")
                      && rolloutCondition()
                          .path("reason")
                          .asString("")
                          .equals("ApplicationSetAnalysisFailed"));
      assertThat(passes.stream().flatMap(p -> p.rolledBack().stream()))
          .containsExactly("staging-trade-service");
      JsonNode condition = rolloutCondition();
      assertThat(condition.path("status").asString()).isEqualTo("False");
      assertThat(condition.path("message").asString())
          .startsWith("ApplicationSet rollout stopped at step 1: analysis success-rate was Failed");
      Resource staging = application("staging-trade-service");
      assertThat(staging.body().at("/spec/source/targetRevision").asString()).isEqualTo("v2");
      assertThat(
              staging
                  .body()
                  .path("metadata")
                  .path("annotations")
                  .has(ApplicationSetController.ROLLED_BACK_FROM))
          .isTrue();
      assertThat(
              application("prod-eu-trade-service")
                  .body()
                  .at("/spec/source/targetRevision")
                  .asString())
          .as("later steps keep the new spec, unsynced, as in Argo CD")
          .isEqualTo("v3");
      // held: more passes neither bring v3 back nor write anything
      for (int i = 0; i < 3; i++) {
        round(set);
      }
      assertThat(version("staging")).isEqualTo("v2");
      assertThat(version("prod-eu")).isEqualTo("v2");
      assertThat(version("prod-us")).isEqualTo("v2");
      assertThat(set.reconcile().wroteNothing()).isTrue();

      // v4: a new generated spec releases the hold and runs a new analysis
      applySet("v4", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v4"));
      assertThat(version("staging")).isEqualTo("v4");
      assertThat(
              application("staging-trade-service")
                  .body()
                  .path("metadata")
                  .path("annotations")
                  .has(ApplicationSetController.ROLLED_BACK_FROM))
          .isFalse();
    }
  }

  @Test
  void aRestartedControllerKeepsAFailedStepRolledBack() {
    try (ApplicationSetController first = controller("{\"success-rate\": [[0.99], [0.50]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(first, () -> version("prod-us").equals("v1"));
      applySet("v2", "success-rate");
      roundsUntil(
          first,
          () ->
              version("staging").equals("v1")
                  && application("staging-trade-service")
                      .body()
                      .path("metadata")
                      .path("annotations")
                      .has(ApplicationSetController.ROLLED_BACK_FROM));
    }
    // a new controller knows no run: the rolled-back annotation says the step failed
    try (ApplicationSetController second = controller("{\"success-rate\": []}")) {
      for (int i = 0; i < 3; i++) {
        round(second);
      }
      assertThat(version("staging")).isEqualTo("v1");
      assertThat(version("prod-eu")).isEqualTo("v1");
      assertThat(rolloutCondition().path("reason").asString())
          .isEqualTo("ApplicationSetAnalysisFailed");
    }
  }

  @Test
  void anInconclusiveAnalysisHoldsTheRolloutWithoutRollingBack() {
    try (ApplicationSetController set = controller("{\"success-rate\": [[0.99], [0.92]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v1"));
      applySet("v2", "success-rate");
      roundsUntil(
          set,
          () ->
              rolloutCondition()
                  .path("reason")
                  .asString("")
                  .equals("ApplicationSetAnalysisInconclusive"));
      for (int i = 0; i < 3; i++) {
        round(set);
      }
      assertThat(version("staging")).as("not rolled back").isEqualTo("v2");
      assertThat(version("prod-eu")).as("held").isEqualTo("v1");
      assertThat(rolloutCondition().path("message").asString())
          .startsWith(
              "ApplicationSet rollout paused after step 1: analysis success-rate was"
                  + " Inconclusive");
    }
  }

  @Test
  void aTemplateThatCannotBeFoundIsAnErrorThatStopsTheRollout() {
    try (ApplicationSetController set = controller("{\"success-rate\": [[0.99]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v1"));
      applySet("v2", "no-such-template");
      roundsUntil(
          set,
          () ->
              version("staging").equals("v1")
                  && rolloutCondition()
                      .path("reason")
                      .asString("")
                      .equals("ApplicationSetAnalysisFailed"));
      assertThat(rolloutCondition().path("message").asString())
          .contains("Error: Analysis spec invalid: AnalysisTemplate 'no-such-template' not found");
      assertThat(version("prod-eu")).isEqualTo("v1");
    }
  }
}

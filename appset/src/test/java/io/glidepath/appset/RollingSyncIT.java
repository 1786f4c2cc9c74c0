package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * RollingSync end to end on four EmbeddedClusters: a control plane holding the ApplicationSet and
 * its Applications, and staging, prod-eu and prod-us, each synced by its own ApplicationController.
 * A new version goes to staging first and to both prod clusters only once staging is Healthy and
 * Synced; a version that degrades staging never reaches prod.
 */
class RollingSyncIT {
  /** Like a readiness probe: the app's ConfigMap says whether the version came up. */
  private final StagedFleet fleet =
      new StagedFleet(
          HealthAssessor.builder()
              .check(
                  "",
                  "ConfigMap",
                  live ->
                      live.body().path("data").path("ready").asString("true").equals("false")
                          ? Health.of(HealthStatus.DEGRADED, "the new version does not come up")
                          : Health.healthy())
              .build(),
          version -> ", ready: '" + !version.equals("v3") + "'");

  @AfterEach
  void close() {
    fleet.close();
  }

  private void applySet(String version) {
    fleet.applySet(version, "");
  }

  private String version(String cluster) {
    return fleet.version(cluster);
  }

  private JsonNode setStatus() {
    return fleet.setStatus();
  }

  private String rollout() {
    return fleet.rolloutCondition().path("message").asString("none");
  }

  private ApplicationSetController.Pass round(ApplicationSetController set) {
    return fleet.round(set);
  }

  @Test
  void promotesEachVersionStepByStepAndStopsOneThatDegradesStaging() {
    ApplicationSetController set =
        ApplicationSetController.builder(
                fleet.control(), "argocd", "trade-service", fleet.context())
            .build();

    applySet("v1");
    ApplicationSetController.Pass first = round(set);
    assertThat(first.created()).hasSize(3);
    assertThat(first.synced()).containsExactly("staging-trade-service");
    Resource generated = fleet.application("prod-eu-trade-service");
    assertThat(generated.body().at("/spec/syncPolicy").has("automated"))
        .as("RollingSync turns autosync off")
        .isFalse();
    assertThat(version("staging")).isEqualTo("v1");
    assertThat(version("prod-eu")).isEqualTo("none");
    assertThat(rollout()).isEqualTo("ApplicationSet is performing rollout of step 1");

    for (int i = 0; i < 4; i++) {
      round(set);
    }
    assertThat(version("prod-eu")).isEqualTo("v1");
    assertThat(version("prod-us")).isEqualTo("v1");
    assertThat(rollout()).isEqualTo("ApplicationSet Rollout has completed");

    // v2: staging alone first
    applySet("v2");
    ApplicationSetController.Pass v2 = round(set);
    assertThat(v2.updated()).hasSize(3);
    assertThat(v2.synced()).containsExactly("staging-trade-service");
    assertThat(version("staging")).isEqualTo("v2");
    assertThat(version("prod-eu")).isEqualTo("v1");
    assertThat(version("prod-us")).isEqualTo("v1");
    for (int i = 0; i < 4; i++) {
      round(set);
    }
    assertThat(version("prod-eu")).isEqualTo("v2");
    assertThat(version("prod-us")).isEqualTo("v2");
    JsonNode statuses = setStatus().path("applicationStatus");
    assertThat(statuses).hasSize(3);
    for (JsonNode s : statuses) {
      assertThat(s.path("status").asString()).as(s.toString()).isEqualTo("Healthy");
    }
    assertThat(statuses.get(1).path("step").asString()).isEqualTo("2");

    // v3 degrades staging: prod stays on v2
    applySet("v3");
    for (int i = 0; i < 6; i++) {
      round(set);
    }
    assertThat(version("staging")).isEqualTo("v3");
    assertThat(version("prod-eu")).isEqualTo("v2");
    assertThat(version("prod-us")).isEqualTo("v2");
    assertThat(rollout()).isEqualTo("ApplicationSet is performing rollout of step 1");
    assertThat(setStatus().path("applicationStatus").get(0).path("status").asString())
        .isEqualTo("Progressing");
    assertThat(setStatus().path("applicationStatus").get(1).path("status").asString())
        .isEqualTo("Waiting");
  }
}

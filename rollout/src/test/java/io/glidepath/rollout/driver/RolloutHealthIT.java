package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.rollout.CanaryPlan;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Rollout#health()} judges the canary and stable ReplicaSets with the driver's configured
 * {@link HealthAssessor}, while the rollout itself proceeds on available replicas as Argo Rollouts
 * does.
 */
class RolloutHealthIT {
  private static final String NS = "health";

  private static CanaryPlan plan(String image) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "web");
    t.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", image);
    return CanaryPlan.builder("web")
        .namespace(NS)
        .replicas(2)
        .podTemplate(t)
        .setWeight(50)
        .pause()
        .build();
  }

  @Test
  void theReplicaSetsAreJudgedByTheBuiltInChecksByDefault() {
    try (ClusterFixture f = new ClusterFixture(Duration.ofSeconds(2));
        RolloutDriver driver = f.driver("healthy").build()) {
      f.namespace(NS);
      Rollout v1 = driver.start(plan("web:1"));
      String rs = "web-" + v1.revision();
      assertThat(f.driveUntil(() -> f.available(NS, rs) == 2, Duration.ofSeconds(30))).isTrue();

      RolloutHealth h = v1.health();
      assertThat(h.canaryReplicaSet()).isEqualTo(rs);
      assertThat(h.stableReplicaSet()).isEqualTo(rs);
      assertThat(h.canary().map(Health::status)).contains(HealthStatus.HEALTHY);

      Rollout v2 = driver.start(plan("web:2"));
      assertThat(
              f.driveUntil(
                  () ->
                      v2.status().phase() == RolloutPhase.PAUSED
                          && f.available(NS, "web-" + v2.revision()) == 1,
                  Duration.ofSeconds(60)))
          .isTrue();
      RolloutHealth during = v2.health();
      assertThat(during.canaryReplicaSet()).isEqualTo("web-" + v2.revision());
      assertThat(during.stableReplicaSet()).isEqualTo(rs);
      assertThat(during.canary().map(Health::status)).contains(HealthStatus.HEALTHY);
      // the stable was just scaled down to make room: Progressing until its status catches up
      assertThat(
              f.driveUntil(
                  () ->
                      v2.health().stable().map(Health::status).orElse(null) == HealthStatus.HEALTHY,
                  Duration.ofSeconds(30)))
          .isTrue();
      assertThat(v2.status().phase()).isEqualTo(RolloutPhase.PAUSED);
    }
  }

  @Test
  void theConfiguredAssessorDecidesTheReplicaSetsHealth() {
    HealthAssessor custom =
        HealthAssessor.builder()
            .check(
                "apps",
                "ReplicaSet",
                live ->
                    live.body()
                            .at("/spec/template/spec/containers/0/image")
                            .asString("")
                            .equals("web:1")
                        ? Health.healthy()
                        : Health.of(HealthStatus.DEGRADED, "image not allowed here"))
            .build();
    try (ClusterFixture f = new ClusterFixture(Duration.ofSeconds(2));
        RolloutDriver driver = f.driver("healthy").health(custom).build()) {
      f.namespace(NS);
      Rollout v1 = driver.start(plan("web:1"));
      assertThat(
              f.driveUntil(
                  () -> f.available(NS, "web-" + v1.revision()) == 2, Duration.ofSeconds(30)))
          .isTrue();
      Rollout v2 = driver.start(plan("web:2"));
      assertThat(
              f.driveUntil(
                  () -> v2.status().phase() == RolloutPhase.PAUSED, Duration.ofSeconds(60)))
          .as("the rollout proceeds on available replicas, whatever the checks say")
          .isTrue();

      RolloutHealth h = v2.health();
      assertThat(h.canary()).contains(Health.of(HealthStatus.DEGRADED, "image not allowed here"));
      assertThat(h.stable()).contains(Health.healthy());
    }
  }

  @Test
  void anInMemoryClusterKeepsNoReplicaSetObjectsSoThereIsNoHealth() {
    try (RolloutDriver driver =
        RolloutDriver.builder(RolloutCluster.inMemory())
            .scheduler(VirtualScheduler.at(ClusterFixture.T0))
            .build()) {
      Rollout v1 = driver.start(plan("web:1"));
      RolloutHealth h = v1.health();
      assertThat(h.canary()).isEqualTo(Optional.empty());
      assertThat(h.stable()).isEqualTo(Optional.empty());
    }
  }
}

package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.internal.driver.KubernetesRolloutCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class StatusPersistenceIT {
  private static CanaryPlan plan(String image) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "api");
    t.putObject("spec").putArray("containers").addObject().put("name", "api").put("image", image);
    return CanaryPlan.builder("api")
        .replicas(2)
        .podTemplate(t)
        .canaryService("api-canary")
        .stableService("api-stable")
        .setWeight(50)
        .pause()
        .build();
  }

  @Test
  void withoutARolloutObjectTheStatusGoesToAConfigMapAndSurvivesTheDriver() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.service("default", "api-canary", "api");
      f.service("default", "api-stable", "api");
      RolloutDriver first =
          RolloutDriver.builder(RolloutCluster.kubernetes(f.client))
              .providers(MetricProviders.of())
              .scheduler(f.scheduler)
              .identity("a")
              .build();
      first.start(plan("api:1"));
      Rollout r = first.start(plan("api:2"));
      f.drive(Duration.ofSeconds(3));
      ObjectNode cm =
          f.get("v1", "ConfigMap", "default", KubernetesRolloutCluster.statusConfigMap("api"))
              .orElseThrow();
      RolloutStatus stored =
          RolloutStatus.fromJson(Yaml.mapper().readTree(cm.path("data").path("status").asString()));
      assertThat(stored).isEqualTo(r.status());
      assertThat(stored.phase()).isEqualTo(RolloutPhase.PAUSED);
      assertThat(stored.weight()).isEqualTo(50);
      // replica ratio: one canary pod, one stable pod; the lease names its holder
      assertThat(f.replicas("default", "api-" + r.revision())).isEqualTo(1);
      assertThat(f.replicas("default", "api-" + stored.stableHash())).isEqualTo(1);
      assertThat(
              f.get("coordination.k8s.io/v1", "Lease", "default", "api-rollout")
                  .orElseThrow()
                  .path("spec")
                  .path("holderIdentity")
                  .asString())
          .isEqualTo("a");
      first.close();

      RolloutDriver second =
          RolloutDriver.builder(RolloutCluster.kubernetes(f.client))
              .providers(MetricProviders.of())
              .scheduler(f.scheduler)
              .identity("b")
              .build();
      Rollout resumed = second.start(plan("api:2"));
      f.drive(Duration.ofSeconds(20));
      assertThat(resumed.status()).isEqualTo(stored);
      resumed.promote();
      f.drive(Duration.ofSeconds(3));
      assertThat(resumed.status().isPromoted()).isTrue();
      assertThat(f.selectorHash("default", "api-stable")).isEqualTo(r.revision());
      second.close();
    }
  }

  @Test
  void aNewRevisionsStatusInTheRolloutObjectKeepsNothingOfThePreviousRevisions() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.namespace("production");
      f.create(io.glidepath.rollout.Seed.rolloutYaml().split("\n---")[0]);
      RolloutCluster cluster = RolloutCluster.kubernetes(f.client);
      java.time.Instant t = ClusterFixture.T0;
      RolloutStatus judged =
          RolloutStatus.start("v2hash", "v1hash", t)
              .withBackgroundVerdict(io.glidepath.analysis.AnalysisPhase.SUCCESSFUL)
              .abortedAt(t, "step 6 analysis Failed");
      cluster.saveStatus("production", "trade-service", judged);
      assertThat(cluster.loadStatus("production", "trade-service")).contains(judged);
      RolloutStatus fresh = RolloutStatus.start("v3hash", "v2hash", t.plusSeconds(60));
      cluster.saveStatus("production", "trade-service", fresh);
      assertThat(cluster.loadStatus("production", "trade-service")).contains(fresh);
    }
  }

  /** The PATCHes of {@code trade-service}'s Rollout object, as "uri status". */
  private static java.util.List<String> rolloutPatches(ClusterFixture f) {
    return f.cluster.requests().stream()
        .filter(c -> c.kind().equals("Rollout") && c.method().equals("PATCH"))
        .map(c -> c.uri().replaceAll("\\?.*", "") + " " + c.status())
        .toList();
  }

  private static final String ROLLOUT =
      "/apis/argoproj.io/v1alpha1/namespaces/production/rollouts/trade-service";

  @Test
  void theStatusGoesThroughTheRolloutsStatusSubresourceInOnePatch() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.namespace("production");
      f.create(io.glidepath.rollout.Seed.rolloutYaml().split("\n---")[0]);
      RolloutCluster cluster = RolloutCluster.kubernetes(f.client);
      RolloutStatus status = RolloutStatus.start("v2hash", "v1hash", ClusterFixture.T0);
      f.cluster.clearRequests();

      cluster.saveStatus("production", "trade-service", status);

      assertThat(rolloutPatches(f)).containsExactly(ROLLOUT + "/status 200");
      assertThat(cluster.loadStatus("production", "trade-service")).contains(status);
    }
  }

  /** Argo Rollouts' Rollout CRD (again), with a status subresource or without one. */
  private static void defineRollouts(ClusterFixture f, boolean statusSubresource) {
    f.cluster.defineCustomResource(
        "argoproj.io", "v1alpha1", "Rollout", "rollouts", statusSubresource);
  }

  @Test
  void aRolloutCrdWithoutAStatusSubresourceHasTheStatusWrittenWithTheObject() {
    try (ClusterFixture f = new ClusterFixture()) {
      defineRollouts(f, false);
      f.namespace("production");
      f.create(io.glidepath.rollout.Seed.rolloutYaml().split("\n---")[0]);
      RolloutCluster cluster = RolloutCluster.kubernetes(f.client);
      RolloutStatus status = RolloutStatus.start("v2hash", "v1hash", ClusterFixture.T0);
      f.cluster.clearRequests();

      cluster.saveStatus("production", "trade-service", status);

      assertThat(rolloutPatches(f)).as("no 404 on /status first").containsExactly(ROLLOUT + " 200");
      assertThat(cluster.loadStatus("production", "trade-service")).contains(status);
    }
  }

  @Test
  void aStatusSubresourceRemovedSinceDiscoveryCostsOneFallbackThenTheObjectIsWritten() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.namespace("production");
      f.create(io.glidepath.rollout.Seed.rolloutYaml().split("\n---")[0]);
      RolloutCluster cluster = RolloutCluster.kubernetes(f.client);
      java.time.Instant t = ClusterFixture.T0;
      cluster.saveStatus("production", "trade-service", RolloutStatus.start("v2hash", "v1hash", t));
      defineRollouts(f, false);
      RolloutStatus second = RolloutStatus.start("v3hash", "v2hash", t.plusSeconds(60));
      RolloutStatus third = RolloutStatus.start("v4hash", "v3hash", t.plusSeconds(120));
      f.cluster.clearRequests();

      cluster.saveStatus("production", "trade-service", second);
      java.util.List<String> first = rolloutPatches(f);
      assertThat(cluster.loadStatus("production", "trade-service")).contains(second);
      f.cluster.clearRequests();
      cluster.saveStatus("production", "trade-service", third);

      assertThat(first).containsExactly(ROLLOUT + "/status 404", ROLLOUT + " 200");
      assertThat(rolloutPatches(f)).as("discovery asked again").containsExactly(ROLLOUT + " 200");
      assertThat(cluster.loadStatus("production", "trade-service")).contains(third);
    }
  }

  @Test
  void aStatusSubresourceAddedSinceDiscoveryGetsTheStatusTheObjectDidNotKeep() {
    try (ClusterFixture f = new ClusterFixture()) {
      defineRollouts(f, false);
      f.namespace("production");
      f.create(io.glidepath.rollout.Seed.rolloutYaml().split("\n---")[0]);
      RolloutCluster cluster = RolloutCluster.kubernetes(f.client);
      java.time.Instant t = ClusterFixture.T0;
      cluster.saveStatus("production", "trade-service", RolloutStatus.start("v2hash", "v1hash", t));
      defineRollouts(f, true);
      RolloutStatus next = RolloutStatus.start("v3hash", "v2hash", t.plusSeconds(60));
      f.cluster.clearRequests();

      cluster.saveStatus("production", "trade-service", next);

      assertThat(rolloutPatches(f))
          .as("the object kept its status: discovery asked again, then /status")
          .containsExactly(ROLLOUT + " 200", ROLLOUT + "/status 200");
      assertThat(cluster.loadStatus("production", "trade-service")).contains(next);
    }
  }
}

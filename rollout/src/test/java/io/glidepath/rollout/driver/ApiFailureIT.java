package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ApiFailureIT {
  private static CanaryPlan plan(String image) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "api");
    t.putObject("spec").putArray("containers").addObject().put("name", "api").put("image", image);
    return CanaryPlan.builder("api").replicas(2).podTemplate(t).setWeight(50).pause().build();
  }

  @Test
  void aFailingApiServerNeverTurnsANewRevisionIntoAFirstDeployment() {
    try (ClusterFixture f = new ClusterFixture()) {
      // the status lives in the Rollout object
      f.create(
          "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api, namespace: default}\n"
              + "spec: {replicas: 2}\n");
      // no client-side retries: the driver's own retry is under test
      var client =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder()
              .withConfig(
                  new io.fabric8.kubernetes.client.ConfigBuilder(f.cluster.config())
                      .withRequestRetryBackoffLimit(0)
                      .build())
              .build();
      RolloutDriver driver =
          RolloutDriver.builder(RolloutCluster.kubernetes(client))
              .providers(MetricProviders.of())
              .scheduler(f.scheduler)
              .build();
      driver.start(plan("api:1"));
      f.drive(Duration.ofSeconds(2));
      String stable = driver.get("default", "api").orElseThrow().status().stableHash();
      f.cluster.inject(Fault.status(500).on(Verb.GET).forKinds("Rollout").withRate(0.5));
      Rollout r = driver.start(plan("api:2"));
      f.drive(Duration.ofSeconds(30));
      f.cluster.clearFaults();
      f.drive(Duration.ofSeconds(5));
      RolloutStatus s = r.status();
      assertThat(s.stableHash()).isEqualTo(stable);
      assertThat(s.canaryHash()).isEqualTo(r.revision());
      assertThat(s.phase()).isEqualTo(RolloutPhase.PAUSED);
      assertThat(s.weight()).isEqualTo(50);
      assertThat(
              f.get("argoproj.io/v1alpha1", "Rollout", "default", "api")
                  .orElseThrow()
                  .path("status")
                  .path("stableRS")
                  .asString())
          .isEqualTo(stable);
      driver.close();
      client.close();
    }
  }
}

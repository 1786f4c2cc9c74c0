package io.glidepath.analysis.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.testkit.cluster.JobRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A canary gated by a smoke-test Job, end to end: the RolloutDriver on the EmbeddedCluster runs the
 * step's analysis with the job provider; the simulated controller completes the smoke test of a
 * good image and fails the one of a broken image, and the rollout is promoted or rolled back.
 */
class JobGatedCanaryIT {
  private static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: trade-service, namespace: production}
      spec:
        replicas: 4
        selector:
          matchLabels: {app: trade-service}
        template:
          metadata:
            labels: {app: trade-service}
          spec:
            containers:
            - name: trade-service
              image: registry.example.com/trade-service:IMAGE
        strategy:
          canary:
            steps:
            - setWeight: 25
            - analysis:
                templates: [{templateName: smoke-test}]
                args:
                - {name: image, value: "registry.example.com/smoke:IMAGE"}
            - setWeight: 100
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: smoke-test, namespace: production}
      spec:
        args: [{name: image}]
        metrics:
        - name: smoke
          provider:
            job:
              metadata:
                labels: {purpose: smoke-test}
              spec:
                backoffLimit: 0
                template:
                  spec:
                    restartPolicy: Never
                    containers:
                    - name: smoke
                      image: "{{args.image}}"
      """;

  private VirtualCluster f;
  private RolloutDriver driver;

  @BeforeEach
  void start() {
    f =
        new VirtualCluster(
            Duration.ofSeconds(30), JobRule.failWhenImage(i -> i.endsWith("smoke:broken")));
    f.client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("production")
                .endMetadata()
                .build())
        .create();
    // the Rollout object, as a GitOps sync would have applied it
    ObjectNode rollout =
        (ObjectNode) Yaml.readDocuments(ROLLOUT.replace("IMAGE", "v1"), "r").get(0).content();
    f.client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Rollout")
        .inNamespace("production")
        .resource(
            io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                Yaml.toJson(rollout),
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .create();
    driver =
        RolloutDriver.builder(RolloutCluster.kubernetes(f.client))
            .providers(MetricProviders.of(JobProvider.of(f.client)))
            .scheduler(f.scheduler)
            .identity("driver-1")
            .build();
    Rollout first = driver.start(plan("v1"));
    assertThat(f.driveUntil(() -> first.status().isPromoted(), Duration.ofMinutes(2))).isTrue();
  }

  @AfterEach
  void stop() {
    driver.close();
    f.close();
  }

  private static CanaryPlan plan(String image) {
    return CanaryPlan.fromRollout(ROLLOUT.replace("IMAGE", image), "rollout.yaml");
  }

  private List<Job> jobs() {
    return f.client.batch().v1().jobs().inNamespace("production").list().getItems();
  }

  @Test
  void aPassingSmokeTestPromotesTheCanary() {
    Rollout v2 = driver.start(plan("v2"));
    assertThat(f.driveUntil(() -> v2.status().isPromoted(), Duration.ofMinutes(5))).isTrue();
    assertThat(v2.status().aborted()).isFalse();
    Job job = jobs().get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.com/smoke:v2");
    assertThat(job.getMetadata().getLabels()).containsEntry("purpose", "smoke-test");
    assertThat(job.getMetadata().getAnnotations().get(JobProvider.RUN_ANNOTATION))
        .startsWith("trade-service-" + v2.revision() + "-step-1");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Rollout/trade-service"));
  }

  @Test
  void aFailingSmokeTestRollsTheCanaryBack() {
    Rollout broken = driver.start(plan("broken"));
    assertThat(f.driveUntil(() -> broken.status().aborted(), Duration.ofMinutes(5))).isTrue();
    assertThat(broken.status().isPromoted()).isFalse();
    assertThat(broken.status().message()).contains("smoke");
    assertThat(jobs()).hasSize(1);
  }
}

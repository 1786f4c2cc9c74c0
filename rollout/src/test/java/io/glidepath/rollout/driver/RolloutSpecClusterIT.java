package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.RolloutException;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.load.ArgoRollouts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Rollout fields whose effect is on Kubernetes objects, on the EmbeddedCluster. */
class RolloutSpecClusterIT {
  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web-deploy, namespace: shop}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: "web:%s"}]}
      """;

  static String workloadRollout(String scaleDown) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 3
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web-deploy, scaleDown: %s}
          strategy:
            canary:
              steps: [{setWeight: 50}, {pause: {}}]
        """
        .formatted(scaleDown);
  }

  @Test
  void workloadRefTakesTheDeploymentsTemplateAndOnSuccessScalesItDown() {
    try (ClusterFixture c = new ClusterFixture(Duration.ofSeconds(2))) {
      c.namespace("shop");
      c.create(DEPLOYMENT.formatted("1"));
      // the Deployment in the same file gives the template at load
      RolloutSpec spec =
          ArgoRollouts.ofDefaults()
              .parseAll(
                  workloadRollout("onsuccess") + "---\n" + DEPLOYMENT.formatted("1"), "w.yaml")
              .stream()
              .filter(d -> d instanceof io.glidepath.rollout.load.ArgoDocument.Rollout)
              .map(d -> ((io.glidepath.rollout.load.ArgoDocument.Rollout) d).spec())
              .findFirst()
              .orElseThrow();
      assertThat(spec.podTemplate().at("/spec/containers/0/image").asString()).isEqualTo("web:1");
      try (RolloutDriver driver = c.driver("healthy").build()) {
        Rollout r = driver.start(spec);
        assertThat(
                c.driveUntil(
                    () ->
                        r.status().isPromoted() && c.available("shop", "web-" + r.revision()) == 3,
                    Duration.ofMinutes(1)))
            .isTrue();
        c.drive(Duration.ofSeconds(2));
        assertThat(c.replicas("shop", "web-deploy")).isEqualTo(-1); // not a ReplicaSet
        assertThat(
                c.get("apps/v1", "Deployment", "shop", "web-deploy")
                    .orElseThrow()
                    .at("/spec/replicas")
                    .asInt())
            .isZero();
        ObjectNode rs = c.get("apps/v1", "ReplicaSet", "shop", "web-" + r.revision()).orElseThrow();
        assertThat(rs.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("web:1");
      }
    }
  }

  @Test
  void withoutTheDeploymentInTheFilesTheDriverReadsItFromTheClusterAndScalesItProgressively() {
    try (ClusterFixture c = new ClusterFixture(Duration.ofSeconds(2))) {
      c.namespace("shop");
      c.create(DEPLOYMENT.formatted("7"));
      CanaryPlan plan =
          (CanaryPlan)
              ArgoRollouts.ofDefaults()
                  .parseAll(workloadRollout("progressively"), "w.yaml")
                  .stream()
                  .map(d -> ((io.glidepath.rollout.load.ArgoDocument.Rollout) d).spec())
                  .findFirst()
                  .orElseThrow();
      assertThat(plan.podTemplate().isEmpty()).isTrue();
      try (RolloutDriver driver = c.driver("healthy").build()) {
        Rollout r = driver.start(plan);
        ObjectNode rs = c.get("apps/v1", "ReplicaSet", "shop", "web-" + r.revision()).orElseThrow();
        assertThat(rs.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("web:7");
        // as the rollout's pods become available the Deployment gives its replicas up
        assertThat(
                c.driveUntil(
                    () ->
                        c.get("apps/v1", "Deployment", "shop", "web-deploy")
                                .orElseThrow()
                                .at("/spec/replicas")
                                .asInt()
                            == 0,
                    Duration.ofMinutes(1)))
            .isTrue();
      }
      CanaryPlan missing =
          plan.newBuilder()
              .options(
                  plan.options().toBuilder()
                      .workloadRef(
                          new io.glidepath.rollout.WorkloadRef(
                              "apps/v1",
                              "Deployment",
                              "nope",
                              io.glidepath.rollout.WorkloadRef.ScaleDown.NEVER))
                      .build())
              .build();
      try (RolloutDriver driver = c.driver("healthy").build()) {
        assertThatThrownBy(() -> driver.start(missing))
            .isInstanceOf(RolloutException.class)
            .hasMessageContaining(
                "takes its pod template from Deployment 'nope' (workloadRef), which does not exist");
      }
    }
  }

  static String rollout(String image) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 2
          minReadySeconds: 15
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "%s"}]}
          strategy:
            canary:
              canaryMetadata: {labels: {role: canary}}
              stableMetadata: {labels: {role: stable}}
              antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}
              steps: [{setWeight: 50}, {pause: {}}]
        """
        .formatted(image);
  }

  static CanaryPlan plan(String image) {
    return CanaryPlan.fromRollout(rollout(image), "web.yaml");
  }

  @Test
  void roleMetadataAntiAffinityAndMinReadySecondsReachTheReplicaSetsAndTheRunningPods() {
    try (ClusterFixture c = new ClusterFixture(Duration.ofSeconds(2))) {
      c.namespace("shop");
      try (RolloutDriver driver = c.driver("healthy").build()) {
        Rollout v1 = driver.start(plan("web:1"));
        c.drive(Duration.ofSeconds(5));
        String stable = v1.revision();
        // a running pod of the stable ReplicaSet (the EmbeddedCluster runs no pods itself)
        c.create(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-stable-pod
              namespace: shop
              labels: {app: web, rollouts-pod-template-hash: %s, role: stable}
            spec: {containers: [{name: web, image: "web:1"}]}
            """
                .formatted(stable));
        Rollout v2 = driver.start(plan("web:2"));
        c.drive(Duration.ofSeconds(5));
        ObjectNode canary =
            c.get("apps/v1", "ReplicaSet", "shop", "web-" + v2.revision()).orElseThrow();
        assertThat(canary.at("/spec/minReadySeconds").asInt()).isEqualTo(15);
        assertThat(canary.at("/spec/template/metadata/labels/role").asString()).isEqualTo("canary");
        JsonNode term =
            canary.at(
                "/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0");
        assertThat(term.at("/labelSelector/matchExpressions/0/key").asString())
            .isEqualTo("rollouts-pod-template-hash");
        assertThat(term.at("/labelSelector/matchExpressions/0/values/0").asString())
            .isEqualTo(stable);
        v2.promote();
        assertThat(c.driveUntil(() -> v2.status().isPromoted(), Duration.ofMinutes(1))).isTrue();
        c.drive(Duration.ofSeconds(35));
        ObjectNode promoted =
            c.get("apps/v1", "ReplicaSet", "shop", "web-" + v2.revision()).orElseThrow();
        assertThat(promoted.at("/spec/template/metadata/labels/role").asString())
            .isEqualTo("stable");
        assertThat(promoted.at("/spec/template/spec/affinity").isMissingNode()).isTrue();
        ObjectNode old = c.get("apps/v1", "ReplicaSet", "shop", "web-" + stable).orElseThrow();
        assertThat(old.at("/spec/replicas").asInt()).isZero();
        assertThat(old.at("/spec/template/metadata/labels").has("role")).isFalse();
        // the running pod of the old stable lost its role label with its ReplicaSet
        ObjectNode pod = c.get("v1", "Pod", "shop", "web-stable-pod").orElseThrow();
        assertThat(pod.at("/metadata/labels").has("role")).isFalse();
        assertThat(pod.at("/metadata/labels/app").asString()).isEqualTo("web");
      }
    }
  }

  @Test
  void restartAtEvictsTheRunningPodsCreatedBeforeItOneAtATime() {
    try (ClusterFixture c = new ClusterFixture(Duration.ofSeconds(2))) {
      c.namespace("shop");
      java.time.Instant restartAt = ClusterFixture.T0.plusSeconds(30);
      String yaml =
          rollout("web:1")
              .replace("  replicas: 2\n", "  replicas: 2\n  restartAt: " + restartAt + "\n");
      try (RolloutDriver driver = c.driver("healthy").build()) {
        Rollout v1 = driver.start(CanaryPlan.fromRollout(yaml, "web.yaml"));
        c.drive(Duration.ofSeconds(5));
        for (String pod : List.of("web-a", "web-b")) {
          // running pods of the ReplicaSet (the EmbeddedCluster runs none itself), made now
          c.create(
              """
              apiVersion: v1
              kind: Pod
              metadata:
                name: %s
                namespace: shop
                labels: {app: web, rollouts-pod-template-hash: %s}
              spec: {containers: [{name: web, image: "web:1"}]}
              """
                  .formatted(pod, v1.revision()));
          c.drive(Duration.ofSeconds(1)); // web-a is the older
        }
        c.drive(Duration.ofSeconds(18));
        assertThat(c.get("v1", "Pod", "shop", "web-a")).isPresent();
        assertThat(v1.status().restartedAt()).isEmpty();
        // 2 replicas, maxUnavailable 25%: one pod per pass, the ReplicaSet available in between
        java.util.function.IntSupplier running =
            () ->
                (int)
                    java.util.stream.Stream.of("web-a", "web-b")
                        .filter(p -> c.get("v1", "Pod", "shop", p).isPresent())
                        .count();
        assertThat(c.driveUntil(() -> running.getAsInt() < 2, Duration.ofSeconds(10))).isTrue();
        assertThat(running.getAsInt()).isEqualTo(1);
        assertThat(c.get("v1", "Pod", "shop", "web-a")).isEmpty(); // the oldest first
        assertThat(
                c.driveUntil(() -> v1.status().restartedAt().isPresent(), Duration.ofSeconds(10)))
            .isTrue();
        assertThat(c.get("v1", "Pod", "shop", "web-a")).isEmpty();
        assertThat(c.get("v1", "Pod", "shop", "web-b")).isEmpty();
        assertThat(v1.status().restartedAt()).contains(restartAt);
      }
    }
  }

  @Test
  void anExperimentRunsItsReplicaSetsAndServiceOnTheCluster() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Experiment
        metadata: {name: exp, namespace: shop}
        spec:
          duration: 10s
          scaleDownDelaySeconds: 5
          templates:
            - name: test
              replicas: 2
              service: {name: exp-svc}
              selector: {matchLabels: {app: exp}}
              template:
                metadata: {labels: {app: exp}}
                spec: {containers: [{name: c, image: "e:1", ports: [{containerPort: 8080, name: http}]}]}
        """;
    io.glidepath.rollout.experiment.ExperimentSpec spec =
        ((io.glidepath.rollout.load.ArgoDocument.Experiment)
                ArgoRollouts.ofDefaults().parseAll(yaml, "exp.yaml").get(0))
            .experiment();
    try (ClusterFixture c = new ClusterFixture(Duration.ofSeconds(2))) {
      c.namespace("shop");
      io.glidepath.rollout.experiment.ExperimentRun run =
          io.glidepath.rollout.experiment.ExperimentRun.start(
              spec,
              RolloutCluster.kubernetes(c.client),
              io.glidepath.analysis.provider.MetricProviders.of(),
              c.scheduler,
              r -> {});
      ObjectNode rs = c.get("apps/v1", "ReplicaSet", "shop", "exp-test").orElseThrow();
      String hash = rs.at("/metadata/labels/rollouts-pod-template-hash").asString();
      assertThat(rs.at("/spec/replicas").asInt()).isEqualTo(2);
      assertThat(rs.at("/spec/selector/matchLabels/app").asString()).isEqualTo("exp");
      ObjectNode svc = c.get("v1", "Service", "shop", "exp-svc").orElseThrow();
      assertThat(svc.at("/spec/selector/rollouts-pod-template-hash").asString()).isEqualTo(hash);
      assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
      assertThat(svc.at("/spec/ports/0/name").asString()).isEqualTo("http");
      assertThat(c.driveUntil(() -> run.result().isCompleted(), Duration.ofSeconds(30))).isTrue();
      assertThat(run.result().phase()).isEqualTo(io.glidepath.analysis.AnalysisPhase.SUCCESSFUL);
      c.drive(Duration.ofSeconds(6));
      assertThat(c.replicas("shop", "exp-test")).isZero();
      assertThat(c.get("v1", "Service", "shop", "exp-svc")).isEmpty();
    }
  }
}

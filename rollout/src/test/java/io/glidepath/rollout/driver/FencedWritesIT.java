package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.WorkloadRef;
import io.glidepath.rollout.internal.driver.Fenced;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.testkit.cluster.RecordedCall;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sharded driver's writes of ReplicaSets, Services, workloads and routing carry the
 * resourceVersion of the object read before the fencing check: a write that passed the check but
 * arrives after another replica took the rollout over and changed the object is refused by the API
 * server (409), the check run again before the second try refuses it, and the new owner's change
 * stays. (Each check here plays the takeover: the first one lets the new owner write, then passes;
 * the next one finds the claim lost.)
 */
class FencedWritesIT {
  private static final ObjectNode TEMPLATE =
      (ObjectNode)
          Yaml.mapper()
              .readTree(
                  """
                  {"metadata": {"labels": {"app": "api"}},
                   "spec": {"containers": [{"name": "api", "image": "api:1",
                     "ports": [{"containerPort": 8080}]}]}}
                  """);

  /** A check that lets {@code newOwner} write first and passes, then refuses every later call. */
  private static Runnable takenOverDuringTheFirstCheck(Runnable newOwner, AtomicInteger checks) {
    return () -> {
      if (checks.incrementAndGet() == 1) {
        onAnotherThread(newOwner); // another replica: outside this thread's fence
        return;
      }
      throw new FencedWriteException(
          "rollout/default/api", "replica-a", null, "the claim is held by 'replica-b'");
    };
  }

  private static void onAnotherThread(Runnable r) {
    Thread t = new Thread(r, "new-owner");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Integer> writes(ClusterFixture f, String kind, String name) {
    return f.cluster.requests().stream()
        .filter(c -> c.kind().equals(kind) && c.name().equals(name) && c.verb().isWrite())
        .map(RecordedCall::status)
        .toList();
  }

  @Test
  void aReplicaSetScaleOvertakenByTheNewOwnersIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      plain.ensureReplicaSet("default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 1));
      AtomicInteger checks = new AtomicInteger();
      Runnable check =
          takenOverDuringTheFirstCheck(
              () ->
                  plain.ensureReplicaSet(
                      "default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 5)),
              checks);
      f.cluster.clearRequests();

      assertThatThrownBy(
              () ->
                  Fenced.cluster(plain, check)
                      .ensureReplicaSet(
                          "default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 3)))
          .isInstanceOf(FencedWriteException.class);

      assertThat(f.replicas("default", "api-aaaa")).isEqualTo(5);
      assertThat(checks).hasValue(2);
      assertThat(writes(f, "ReplicaSet", "api-aaaa"))
          .as("the new owner's scale, then the stale one")
          .containsExactly(200, 409);
    }
  }

  @Test
  void aServicePinOvertakenByTheNewOwnersIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.service("default", "api-stable", "api");
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      plain.pinService("default", "api-stable", "aaaa");
      AtomicInteger checks = new AtomicInteger();
      Runnable check =
          takenOverDuringTheFirstCheck(
              () -> plain.pinService("default", "api-stable", "cccc"), checks);
      f.cluster.clearRequests();

      assertThatThrownBy(
              () -> Fenced.cluster(plain, check).pinService("default", "api-stable", "bbbb"))
          .isInstanceOf(FencedWriteException.class);

      assertThat(f.selectorHash("default", "api-stable")).isEqualTo("cccc");
      assertThat(writes(f, "Service", "api-stable")).containsExactly(200, 409);
    }
  }

  @Test
  void aWorkloadScaleOvertakenByTheNewOwnersIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.create(
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api, namespace: default}
          spec:
            replicas: 3
            selector: {matchLabels: {app: api}}
            template:
              metadata: {labels: {app: api}}
              spec: {containers: [{name: api, image: "api:1"}]}
          """);
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      WorkloadRef ref =
          new WorkloadRef("apps/v1", "Deployment", "api", WorkloadRef.ScaleDown.NEVER);
      AtomicInteger checks = new AtomicInteger();
      Runnable check =
          takenOverDuringTheFirstCheck(() -> plain.scaleWorkload("default", ref, 4), checks);
      f.cluster.clearRequests();

      assertThatThrownBy(() -> Fenced.cluster(plain, check).scaleWorkload("default", ref, 0))
          .isInstanceOf(FencedWriteException.class);

      assertThat(
              f.get("apps/v1", "Deployment", "default", "api")
                  .orElseThrow()
                  .at("/spec/replicas")
                  .asInt())
          .isEqualTo(4);
      assertThat(writes(f, "Deployment", "api")).containsExactly(200, 409);
    }
  }

  @Test
  void aPruneOvertakenByTheNewOwnersScaleUpIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      plain.ensureReplicaSet("default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 0));
      AtomicInteger checks = new AtomicInteger();
      // the new owner rolls back to the old revision: its ReplicaSet is scaled up again
      Runnable check =
          takenOverDuringTheFirstCheck(
              () ->
                  plain.ensureReplicaSet(
                      "default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 2)),
              checks);
      f.cluster.clearRequests();

      // refused; listed again, the ReplicaSet is in use again: nothing more to prune
      Fenced.cluster(plain, check).pruneReplicaSets("default", "api", Set.of(), 0);

      assertThat(f.replicas("default", "api-aaaa")).isEqualTo(2);
      assertThat(writes(f, "ReplicaSet", "api-aaaa")).containsExactly(200, 409);
    }
  }

  @Test
  void aServiceDeletionOvertakenByTheNewOwnersChangeIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.service("default", "api-preview", "api");
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      AtomicInteger checks = new AtomicInteger();
      Runnable check =
          takenOverDuringTheFirstCheck(
              () -> plain.pinService("default", "api-preview", "cccc"), checks);
      f.cluster.clearRequests();

      assertThatThrownBy(() -> Fenced.cluster(plain, check).deleteService("default", "api-preview"))
          .isInstanceOf(FencedWriteException.class);

      assertThat(f.selectorHash("default", "api-preview")).isEqualTo("cccc");
      assertThat(writes(f, "Service", "api-preview")).containsExactly(200, 409);
    }
  }

  @Test
  void aRoutingWeightOvertakenByTheNewOwnersIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      TrafficRouter plain = TrafficRouter.smi(f.client, new TrafficRouting.Smi("api", "api-split"));
      RouteTarget target = new RouteTarget("default", "api", "api-canary", "api-stable");
      plain.setWeight(target, 10);
      AtomicInteger checks = new AtomicInteger();
      Runnable check = takenOverDuringTheFirstCheck(() -> plain.setWeight(target, 30), checks);
      f.cluster.clearRequests();

      assertThatThrownBy(() -> Fenced.router(plain, check).setWeight(target, 60))
          .isInstanceOf(FencedWriteException.class);

      assertThat(
              f.get("split.smi-spec.io/v1alpha2", "TrafficSplit", "default", "api-split")
                  .orElseThrow()
                  .at("/spec/backends/0/weight")
                  .asInt())
          .isEqualTo(30);
      assertThat(writes(f, "TrafficSplit", "api-split")).containsExactly(200, 409);
    }
  }

  @Test
  void underAHeldClaimEachWriteIsCheckedOnceAndLands() {
    try (ClusterFixture f = new ClusterFixture()) {
      f.service("default", "api-stable", "api");
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      AtomicInteger checks = new AtomicInteger();
      RolloutCluster fenced = Fenced.cluster(plain, checks::incrementAndGet);

      fenced.ensureReplicaSet("default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 1));
      fenced.ensureReplicaSet("default", ReplicaSetSpec.of("api", "aaaa", TEMPLATE, sel(), 2));
      fenced.pinService("default", "api-stable", "aaaa");
      fenced.ensureReplicaSet("default", ReplicaSetSpec.of("api", "bbbb", TEMPLATE, sel(), 0));
      fenced.pruneReplicaSets("default", "api", Set.of("aaaa"), 0);

      assertThat(f.replicas("default", "api-aaaa")).isEqualTo(2);
      assertThat(f.replicas("default", "api-bbbb")).isEqualTo(-1); // pruned
      assertThat(f.selectorHash("default", "api-stable")).isEqualTo("aaaa");
      assertThat(checks).hasValue(5); // create, scale, pin, create, delete
    }
  }

  private static Map<String, String> sel() {
    return Map.of("app", "api");
  }
}

package io.glidepath.rollout.internal.driver;

import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.WorkloadRef;
import io.glidepath.rollout.driver.ReplicaSetSpec;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.WeightDestination;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rollout's cluster and router with the fencing check of sharded drivers: {@code check} runs
 * immediately before every write (status, ReplicaSets, Services, pod evictions, routing weights)
 * and throws when this replica no longer holds the rollout's claim. Reads pass through. The
 * rollout's own lease is the claim: {@code tryAcquireLease} is the claim check alone, so a takeover
 * waits for the claim only.
 */
public final class Fenced {
  private Fenced() {}

  private static boolean inside(Object target) {
    return target instanceof WritesThroughKube k && k.writesThroughKube();
  }

  /**
   * A write of {@code target}: on one that writes through {@link Kube}, with {@code check} run
   * inside, between reading the object and writing it at the version read; on another, {@code
   * check} first.
   */
  private static void write(boolean inside, Runnable check, Runnable action) {
    if (inside) {
      Kube.fenced(check, action);
    } else {
      check.run();
      action.run();
    }
  }

  /**
   * {@code cluster} with {@code check} before every write: on the Kubernetes cluster, between the
   * read of the object and the write, which carries the resourceVersion read as a precondition.
   */
  public static RolloutCluster cluster(RolloutCluster cluster, Runnable check) {
    boolean inside = inside(cluster);
    return new RolloutCluster() {
      @Override
      public Optional<RolloutStatus> loadStatus(String namespace, String name) {
        return cluster.loadStatus(namespace, name);
      }

      @Override
      public void saveStatus(String namespace, String name, RolloutStatus status) {
        if (cluster instanceof KubernetesRolloutCluster k) {
          // the check between reading the status object's version and writing with it
          k.saveStatusFenced(namespace, name, status, check);
          return;
        }
        write(inside, check, () -> cluster.saveStatus(namespace, name, status));
      }

      @Override
      public void ensureReplicaSet(
          String namespace,
          String name,
          String hash,
          ObjectNode podTemplate,
          Map<String, String> selector,
          int replicas) {
        write(
            inside,
            check,
            () -> cluster.ensureReplicaSet(namespace, name, hash, podTemplate, selector, replicas));
      }

      @Override
      public void ensureReplicaSet(String namespace, ReplicaSetSpec spec) {
        write(inside, check, () -> cluster.ensureReplicaSet(namespace, spec));
      }

      @Override
      public Optional<ObjectNode> replicaSetTemplate(String namespace, String replicaSet) {
        return cluster.replicaSetTemplate(namespace, replicaSet);
      }

      @Override
      public Optional<ObjectNode> workloadTemplate(String namespace, WorkloadRef ref) {
        return cluster.workloadTemplate(namespace, ref);
      }

      @Override
      public void scaleWorkload(String namespace, WorkloadRef ref, int replicas) {
        write(inside, check, () -> cluster.scaleWorkload(namespace, ref, replicas));
      }

      @Override
      public Optional<String> secretValue(String namespace, String name, String key) {
        return cluster.secretValue(namespace, name, key);
      }

      @Override
      public void ensureService(
          String namespace, String name, Map<String, String> selector, ObjectNode podTemplate) {
        write(inside, check, () -> cluster.ensureService(namespace, name, selector, podTemplate));
      }

      @Override
      public void deleteService(String namespace, String name) {
        write(inside, check, () -> cluster.deleteService(namespace, name));
      }

      @Override
      public void pruneReplicaSets(String namespace, String rollout, Set<String> inUse, int keep) {
        write(inside, check, () -> cluster.pruneReplicaSets(namespace, rollout, inUse, keep));
      }

      @Override
      public int replicas(String namespace, String name, String hash) {
        return cluster.replicas(namespace, name, hash);
      }

      @Override
      public int availableReplicas(String namespace, String name, String hash) {
        return cluster.availableReplicas(namespace, name, hash);
      }

      @Override
      public void pinService(String namespace, String service, String hash) {
        write(inside, check, () -> cluster.pinService(namespace, service, hash));
      }

      @Override
      public List<io.glidepath.rollout.driver.RolloutPod> pods(
          String namespace, String name, String hash) {
        return cluster.pods(namespace, name, hash);
      }

      @Override
      public Optional<io.glidepath.core.resource.Resource> replicaSet(
          String namespace, String name, String hash) {
        return cluster.replicaSet(namespace, name, hash);
      }

      @Override
      public boolean evictPod(String namespace, String pod) {
        if (!inside) {
          check.run();
          return cluster.evictPod(namespace, pod);
        }
        return Kube.fenced(check, () -> cluster.evictPod(namespace, pod));
      }

      @Override
      public boolean tryAcquireLease(
          String namespace, String name, String holder, Instant now, Duration duration) {
        // the item's claim is the rollout's lease: a replica that passes the claim check holds it
        // now. Waiting for the rollout's own Lease as well would add up to its duration to every
        // takeover, since the old owner renewed it until it was cut off; it is not written.
        check.run();
        return true;
      }
    };
  }

  /**
   * {@code router} with {@code check} before every change of routing: on Glidepath's routers,
   * between the read of the routing object and the write at the version read.
   */
  public static TrafficRouter router(TrafficRouter router, Runnable check) {
    boolean inside = inside(router);
    return new TrafficRouter() {
      @Override
      public String type() {
        return router.type();
      }

      @Override
      public void setWeight(RouteTarget target, int canaryWeight) {
        write(inside, check, () -> router.setWeight(target, canaryWeight));
      }

      @Override
      public void setWeight(
          RouteTarget target, int canaryWeight, List<WeightDestination> additional) {
        write(inside, check, () -> router.setWeight(target, canaryWeight, additional));
      }

      @Override
      public boolean supportsAdditionalDestinations() {
        return router.supportsAdditionalDestinations();
      }

      @Override
      public void setHeaderRoute(RouteTarget target, CanaryStep.SetHeaderRoute route) {
        write(inside, check, () -> router.setHeaderRoute(target, route));
      }

      @Override
      public void setMirrorRoute(RouteTarget target, CanaryStep.SetMirrorRoute route) {
        write(inside, check, () -> router.setMirrorRoute(target, route));
      }

      @Override
      public void pinRevisions(RouteTarget target, String canaryHash, String stableHash) {
        write(inside, check, () -> router.pinRevisions(target, canaryHash, stableHash));
      }

      @Override
      public boolean byReplicas() {
        return router.byReplicas();
      }

      @Override
      public String toString() {
        return router.toString();
      }
    };
  }
}

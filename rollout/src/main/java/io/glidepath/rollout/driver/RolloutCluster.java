package io.glidepath.rollout.driver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.internal.driver.InMemoryRolloutCluster;
import io.glidepath.rollout.internal.driver.KubernetesRolloutCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link RolloutDriver} needs from a cluster: persisted status, ReplicaSets pinned by
 * pod-template hash, Services pinned to a hash, and a lease.
 *
 * <p>{@link #kubernetes(KubernetesClient)} talks to a real API server (status in the {@code
 * argoproj.io} Rollout's status when that object exists, else in a ConfigMap {@code
 * <name>-rollout-status}; a {@code coordination.k8s.io} Lease {@code <name>-rollout}). {@link
 * #inMemory()} keeps everything in memory, for simulations, tests and benchmarks.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RolloutCluster {
  /** The persisted status of rollout {@code name}, if any. */
  Optional<RolloutStatus> loadStatus(String namespace, String name);

  /** Persists {@code status}; returns only once it is stored. */
  void saveStatus(String namespace, String name, RolloutStatus status);

  /**
   * Makes ReplicaSet {@code <name>-<hash>} exist with {@code replicas}, the pod template and the
   * selector pinned by {@code pod-template-hash}.
   */
  void ensureReplicaSet(
      String namespace,
      String name,
      String hash,
      ObjectNode podTemplate,
      Map<String, String> selector,
      int replicas);

  /**
   * The replicas ReplicaSet {@code <name>-<hash>} asks for ({@code spec.replicas}; 0 if it does not
   * exist). With {@link #availableReplicas} it drives the canary's maxSurge/maxUnavailable steps.
   */
  int replicas(String namespace, String name, String hash);

  /** Available replicas of ReplicaSet {@code <name>-<hash>} (0 if it does not exist). */
  int availableReplicas(String namespace, String name, String hash);

  /** Pins Service {@code service}'s selector to {@code pod-template-hash: hash}. */
  void pinService(String namespace, String service, String hash);

  /**
   * Takes or renews the lease of rollout {@code name} for {@code holder}; false when another
   * holder's lease has not expired.
   */
  boolean tryAcquireLease(
      String namespace, String name, String holder, Instant now, Duration duration);

  /** A cluster reached through a fabric8 client. */
  static RolloutCluster kubernetes(KubernetesClient client) {
    return new KubernetesRolloutCluster(client);
  }

  /** A cluster held in memory: ReplicaSets are available as soon as they are scaled. */
  static RolloutCluster inMemory() {
    return new InMemoryRolloutCluster();
  }
}

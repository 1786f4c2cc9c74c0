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
   * selector pinned by {@code rollouts-pod-template-hash}, without role metadata.
   */
  default void ensureReplicaSet(
      String namespace,
      String name,
      String hash,
      ObjectNode podTemplate,
      Map<String, String> selector,
      int replicas) {
    ensureReplicaSet(namespace, ReplicaSetSpec.of(name, hash, podTemplate, selector, replicas));
  }

  /**
   * Makes the ReplicaSet {@code spec} describes exist with its replicas, minReadySeconds and role
   * metadata (see {@link ReplicaSetSpec}); an existing one is scaled, and its template and pods
   * follow a change of role metadata.
   */
  void ensureReplicaSet(String namespace, ReplicaSetSpec spec);

  /** The pod template of ReplicaSet {@code replicaSet}, if it exists. */
  Optional<ObjectNode> replicaSetTemplate(String namespace, String replicaSet);

  /**
   * The pod template of the workload a Rollout's {@code workloadRef} names, if it exists. The
   * default finds none.
   */
  default Optional<ObjectNode> workloadTemplate(
      String namespace, io.glidepath.rollout.WorkloadRef ref) {
    return Optional.empty();
  }

  /**
   * Scales the workload a {@code workloadRef} names (its {@code scaleDown}). The default cannot.
   *
   * @throws io.glidepath.rollout.RolloutException if the workload cannot be scaled
   */
  default void scaleWorkload(String namespace, io.glidepath.rollout.WorkloadRef ref, int replicas) {
    throw new io.glidepath.rollout.RolloutException(
        "this cluster cannot scale " + ref.kind() + " " + namespace + "/" + ref.name());
  }

  /**
   * The value of key {@code key} of Secret {@code name} (a template argument's {@code
   * valueFrom.secretKeyRef}), if both exist. The default finds none.
   */
  default Optional<String> secretValue(String namespace, String name, String key) {
    return Optional.empty();
  }

  /**
   * The pods of ReplicaSet {@code <name>-<hash>} (a restart's candidates). The default cannot list
   * pods.
   *
   * @throws io.glidepath.rollout.RolloutException if this cluster cannot list pods
   */
  default java.util.List<RolloutPod> pods(String namespace, String name, String hash) {
    throw new io.glidepath.rollout.RolloutException(
        "this cluster cannot list pods, so spec.restartAt cannot restart ReplicaSet "
            + namespace
            + "/"
            + name
            + "-"
            + hash);
  }

  /**
   * Evicts pod {@code pod} (its ReplicaSet makes a new one), honouring PodDisruptionBudgets; false
   * when a budget refuses it for now. The default cannot.
   *
   * @throws io.glidepath.rollout.RolloutException if this cluster cannot evict pods
   */
  default boolean evictPod(String namespace, String pod) {
    throw new io.glidepath.rollout.RolloutException(
        "this cluster cannot evict pod " + namespace + "/" + pod);
  }

  /**
   * Makes Service {@code name} exist selecting {@code selector} (an experiment template's Service),
   * with the container ports of {@code podTemplate}.
   */
  void ensureService(
      String namespace, String name, Map<String, String> selector, ObjectNode podTemplate);

  /** Deletes Service {@code name} if it exists. */
  void deleteService(String namespace, String name);

  /**
   * Deletes the old ReplicaSets of rollout {@code rollout} ({@code <rollout>-<hash>}) beyond the
   * {@code keep} newest: only those scaled to 0 and not in {@code inUse} (Argo's
   * revisionHistoryLimit).
   */
  void pruneReplicaSets(String namespace, String rollout, java.util.Set<String> inUse, int keep);

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

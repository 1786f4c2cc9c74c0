package io.glidepath.rollout.driver;

import io.glidepath.core.health.Health;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of the ReplicaSets a rollout manages, as the driver's {@link
 * io.glidepath.core.health.HealthAssessor} judges them ({@link RolloutDriver.Builder#health}): the
 * same checks the {@code ApplicationController} and the {@code SyncEngine} use, so a ReplicaSet
 * that cannot create its pods (a {@code ReplicaFailure} condition, a quota) reads Degraded here as
 * in the Application's resource tree. It is a report: the driver's own progress (scaling, weights,
 * pauses, the progress deadline) follows the ReplicaSets' available replicas, as Argo Rollouts
 * does, whatever these say.
 *
 * <pre>{@code
 * RolloutHealth h = rollout.health();
 * h.canary().filter(x -> x.status() == HealthStatus.DEGRADED).ifPresent(x -> rollout.abort());
 * }</pre>
 *
 * @param canaryReplicaSet the name of the revision being rolled out's ReplicaSet ({@code
 *     <name>-<hash>})
 * @param canary its health; empty when the ReplicaSet does not exist (or the cluster keeps no
 *     ReplicaSet objects: {@link RolloutCluster#inMemory()}) or no check answers for it
 * @param stableReplicaSet the name of the stable revision's ReplicaSet (the same as the canary's
 *     once promoted)
 * @param stable its health, as {@code canary}
 */
public record RolloutHealth(
    String canaryReplicaSet,
    Optional<Health> canary,
    String stableReplicaSet,
    Optional<Health> stable) {
  public RolloutHealth {
    Objects.requireNonNull(canaryReplicaSet, "canaryReplicaSet");
    Objects.requireNonNull(canary, "canary");
    Objects.requireNonNull(stableReplicaSet, "stableReplicaSet");
    Objects.requireNonNull(stable, "stable");
  }
}

package io.glidepath.rollout.driver;

import java.time.Instant;
import java.util.Objects;

/**
 * A running pod of one of a rollout's ReplicaSets, as {@link RolloutCluster#pods} reports it: what
 * a restart ({@code spec.restartAt}) needs to know.
 *
 * @param name the pod's name
 * @param createdAt its {@code metadata.creationTimestamp}
 * @param terminating true once it has a {@code deletionTimestamp}
 */
public record RolloutPod(String name, Instant createdAt, boolean terminating) {
  public RolloutPod {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}

package io.glidepath.rollout;

import java.util.Objects;

/**
 * Argo Rollouts' {@code antiAffinity}: the new ReplicaSet's pods avoid the nodes of the previous
 * (stable) revision's pods, by a pod anti-affinity term on {@code rollouts-pod-template-hash} with
 * topology key {@code kubernetes.io/hostname}, added to the new pods' template.
 *
 * <p>{@code AntiAffinity.required()} or {@code AntiAffinity.preferred(100)}. Immutable.
 *
 * @param type required or preferred during scheduling
 * @param weight the preferred term's weight (1..100); 0 for required
 */
public record AntiAffinity(Type type, int weight) {
  /** Which scheduling rule the term is. */
  public enum Type {
    /** {@code requiredDuringSchedulingIgnoredDuringExecution}. */
    REQUIRED,
    /** {@code preferredDuringSchedulingIgnoredDuringExecution} with a weight. */
    PREFERRED
  }

  public AntiAffinity {
    Objects.requireNonNull(type, "type");
    if (type == Type.PREFERRED && (weight < 1 || weight > 100)) {
      throw new IllegalArgumentException("weight must be within 1..100, but was " + weight);
    }
    if (type == Type.REQUIRED && weight != 0) {
      throw new IllegalArgumentException("a required term has no weight, but was " + weight);
    }
  }

  public static AntiAffinity required() {
    return new AntiAffinity(Type.REQUIRED, 0);
  }

  public static AntiAffinity preferred(int weight) {
    return new AntiAffinity(Type.PREFERRED, weight);
  }
}

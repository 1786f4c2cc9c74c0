package io.glidepath.rollout.traffic;

import java.util.Objects;

/**
 * A destination that receives traffic beside the canary and the stable: an experiment template's
 * Service during a Rollout's experiment step (Argo Rollouts' {@code WeightDestination}).
 *
 * @param serviceName the Service that selects the experiment's ReplicaSet
 * @param podTemplateHash the ReplicaSet's {@code rollouts-pod-template-hash}
 * @param weight its percentage of the traffic, 0..100
 */
public record WeightDestination(String serviceName, String podTemplateHash, int weight) {
  public WeightDestination {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(podTemplateHash, "podTemplateHash");
    if (weight < 0 || weight > 100) {
      throw new IllegalArgumentException("weight must be within 0..100, but was " + weight);
    }
  }
}

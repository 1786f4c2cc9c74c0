package io.glidepath.rollout.traffic;

import java.util.Objects;

/**
 * What a {@link TrafficRouter} routes between.
 *
 * @param namespace the rollout's namespace
 * @param rollout the rollout's name
 * @param canaryService the canary Service (pinned to the canary hash)
 * @param stableService the stable Service (pinned to the stable hash)
 * @param totalWeight the weight all destinations share (Argo's {@code
 *     trafficRouting.maxTrafficWeight}, default 100): the canary's weight is out of it and the
 *     stable gets the rest
 */
public record RouteTarget(
    String namespace, String rollout, String canaryService, String stableService, int totalWeight) {
  /** Argo Rollouts' default {@code maxTrafficWeight}. */
  public static final int DEFAULT_TOTAL_WEIGHT = 100;

  public RouteTarget {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(canaryService, "canaryService");
    Objects.requireNonNull(stableService, "stableService");
    if (totalWeight < 1) {
      throw new IllegalArgumentException("totalWeight must be >= 1, but was " + totalWeight);
    }
  }

  /** A target whose weights total {@value #DEFAULT_TOTAL_WEIGHT}. */
  public RouteTarget(String namespace, String rollout, String canaryService, String stableService) {
    this(namespace, rollout, canaryService, stableService, DEFAULT_TOTAL_WEIGHT);
  }
}

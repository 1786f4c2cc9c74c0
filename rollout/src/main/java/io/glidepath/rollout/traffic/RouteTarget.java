package io.glidepath.rollout.traffic;

import java.util.Objects;

/**
 * What a {@link TrafficRouter} routes between.
 *
 * @param namespace the rollout's namespace
 * @param rollout the rollout's name
 * @param canaryService the canary Service (pinned to the canary hash)
 * @param stableService the stable Service (pinned to the stable hash)
 */
public record RouteTarget(
    String namespace, String rollout, String canaryService, String stableService) {
  public RouteTarget {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(canaryService, "canaryService");
    Objects.requireNonNull(stableService, "stableService");
  }
}

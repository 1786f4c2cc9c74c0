package io.glidepath.rollout.internal.traffic;

import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.util.List;

/**
 * Several routers at once, as Argo Rollouts runs every router a plan names: a weight goes to each
 * in order; header and mirror routes go to those that have them (the plan was validated to have at
 * least one).
 */
public final class CombinedRouter implements TrafficRouter, WritesThroughKube {
  private final List<TrafficRouter> routers;
  private final List<Boolean> headerRoutes;
  private final List<Boolean> mirrorRoutes;

  /**
   * @param routers the routers
   * @param headerRoutes per router, whether it takes header routes
   * @param mirrorRoutes per router, whether it takes mirror routes
   */
  public CombinedRouter(
      List<TrafficRouter> routers, List<Boolean> headerRoutes, List<Boolean> mirrorRoutes) {
    this.routers = List.copyOf(routers);
    this.headerRoutes = List.copyOf(headerRoutes);
    this.mirrorRoutes = List.copyOf(mirrorRoutes);
  }

  @Override
  public boolean writesThroughKube() {
    return routers.stream()
        .allMatch(r -> r instanceof WritesThroughKube k && k.writesThroughKube());
  }

  @Override
  public String type() {
    return String.join("+", routers.stream().map(TrafficRouter::type).toList());
  }

  @Override
  public void setWeight(RouteTarget target, int canaryWeight) {
    routers.forEach(r -> r.setWeight(target, canaryWeight));
  }

  @Override
  public void setWeight(
      RouteTarget target,
      int canaryWeight,
      List<io.glidepath.rollout.traffic.WeightDestination> additional) {
    routers.forEach(r -> r.setWeight(target, canaryWeight, additional));
  }

  @Override
  public boolean supportsAdditionalDestinations() {
    return routers.stream().allMatch(TrafficRouter::supportsAdditionalDestinations);
  }

  @Override
  public void setHeaderRoute(RouteTarget target, CanaryStep.SetHeaderRoute route) {
    for (int i = 0; i < routers.size(); i++) {
      if (headerRoutes.get(i)) {
        routers.get(i).setHeaderRoute(target, route);
      }
    }
  }

  @Override
  public void setMirrorRoute(RouteTarget target, CanaryStep.SetMirrorRoute route) {
    for (int i = 0; i < routers.size(); i++) {
      if (mirrorRoutes.get(i)) {
        routers.get(i).setMirrorRoute(target, route);
      }
    }
  }

  @Override
  public void pinRevisions(RouteTarget target, String canaryHash, String stableHash) {
    routers.forEach(r -> r.pinRevisions(target, canaryHash, stableHash));
  }
}

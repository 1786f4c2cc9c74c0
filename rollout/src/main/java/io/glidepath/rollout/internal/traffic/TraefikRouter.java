package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Traefik, as Argo Rollouts: the weights of the canary and stable Services in {@code
 * spec.weighted.services} of a TraefikService.
 */
public final class TraefikRouter implements TrafficRouter, WritesThroughKube {
  private final KubernetesClient client;
  private final TrafficRouting.Traefik routing;

  public TraefikRouter(KubernetesClient client, TrafficRouting.Traefik routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "traefik";
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    String object = "TraefikService " + t.namespace() + "/" + routing.weightedTraefikServiceName();
    RouterSupport.modify(
        client,
        type(),
        routing.apiVersion(),
        "TraefikService",
        t.namespace(),
        routing.weightedTraefikServiceName(),
        ts -> {
          JsonNode services = ts.path("spec").path("weighted").path("services");
          if (!services.isArray()) {
            throw new TrafficRoutingException(
                type(), object, "spec.weighted.services was not found in TraefikService");
          }
          boolean canary = false;
          boolean stable = false;
          for (JsonNode s : services) {
            String name = s.path("name").asString("");
            if (name.equals(t.canaryService())) {
              ((ObjectNode) s).put("weight", weight);
              canary = true;
            } else if (name.equals(t.stableService())) {
              ((ObjectNode) s).put("weight", t.totalWeight() - weight);
              stable = true;
            }
          }
          if (!canary || !stable) {
            throw new TrafficRoutingException(
                type(),
                object,
                "spec.weighted.services must name "
                    + t.canaryService()
                    + " and "
                    + t.stableService());
          }
          return ts;
        },
        ts -> {
          for (JsonNode s : ts.path("spec").path("weighted").path("services")) {
            String name = s.path("name").asString("");
            long w = s.path("weight").asLong(-1);
            if (name.equals(t.canaryService()) && w != weight
                || name.equals(t.stableService()) && w != t.totalWeight() - weight) {
              return false;
            }
          }
          return true;
        });
  }
}

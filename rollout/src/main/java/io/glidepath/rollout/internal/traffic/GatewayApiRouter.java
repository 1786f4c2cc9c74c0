package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Weights on a Gateway API HTTPRoute's backendRefs. */
public final class GatewayApiRouter implements TrafficRouter, WritesThroughKube {
  private static final String API = "gateway.networking.k8s.io/v1";

  private final KubernetesClient client;
  private final TrafficRouting.GatewayApi routing;

  public GatewayApiRouter(KubernetesClient client, TrafficRouting.GatewayApi routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "gateway-api";
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    RouterSupport.modify(
        client,
        type(),
        API,
        "HTTPRoute",
        t.namespace(),
        routing.httpRoute(),
        route -> {
          int touched = 0;
          for (JsonNode rule : route.path("spec").path("rules")) {
            for (JsonNode ref : rule.path("backendRefs")) {
              String name = ref.path("name").asString("");
              if (name.equals(t.canaryService())) {
                ((ObjectNode) ref).put("weight", weight);
                touched++;
              } else if (name.equals(t.stableService())) {
                ((ObjectNode) ref).put("weight", t.totalWeight() - weight);
                touched++;
              }
            }
          }
          if (touched < 2) {
            throw new TrafficRoutingException(
                type(),
                "HTTPRoute " + t.namespace() + "/" + routing.httpRoute(),
                "must have backendRefs " + t.canaryService() + " and " + t.stableService());
          }
          return route;
        },
        route -> {
          for (JsonNode rule : route.path("spec").path("rules")) {
            for (JsonNode ref : rule.path("backendRefs")) {
              String name = ref.path("name").asString("");
              int w = ref.path("weight").asInt(1);
              if (name.equals(t.canaryService()) && w != weight
                  || name.equals(t.stableService()) && w != t.totalWeight() - weight) {
                return false;
              }
            }
          }
          return true;
        });
  }
}

package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS App Mesh (appmesh.k8s.aws/v1beta2), as Argo Rollouts: the weights of the canary and stable
 * VirtualNodes in the weighted targets of the routes ({@code httpRoute}, {@code tcpRoute}, {@code
 * http2Route}, {@code grpcRoute}) of the VirtualRouter behind the VirtualService; the VirtualNodes'
 * {@code podSelector} is pinned to the stable and canary revisions.
 */
public final class AppMeshRouter implements TrafficRouter, WritesThroughKube {
  private static final String API = "appmesh.k8s.aws/v1beta2";
  private static final List<String> ROUTE_TYPES =
      List.of("httpRoute", "tcpRoute", "http2Route", "grpcRoute");
  private static final String HASH_LABEL = "rollouts-pod-template-hash";

  private final KubernetesClient client;
  private final TrafficRouting.AppMesh routing;

  public AppMeshRouter(KubernetesClient client, TrafficRouting.AppMesh routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "appmesh";
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    String vsObject = "VirtualService " + t.namespace() + "/" + routing.virtualService();
    ObjectNode vs =
        Kube.get(client, API, "VirtualService", t.namespace(), routing.virtualService())
            .orElseThrow(
                () -> new TrafficRoutingException(type(), vsObject, "Virtual-service is missing"));
    JsonNode ref = vs.path("spec").path("provider").path("virtualRouter").path("virtualRouterRef");
    if (!ref.has("name")) {
      throw new TrafficRoutingException(
          type(), vsObject, "Virtual-service is not associated with virtual-router");
    }
    String routerName = ref.path("name").asString();
    String routerNamespace = ref.path("namespace").asString(t.namespace());
    RouterSupport.modify(
        client,
        type(),
        API,
        "VirtualRouter",
        routerNamespace,
        routerName,
        vr -> {
          for (ObjectNode target : targets(vr, t, routerName)) {
            String node = target.path("virtualNodeRef").path("name").asString("");
            String ns = target.path("virtualNodeRef").path("namespace").asString(t.namespace());
            if (!ns.equals(t.namespace())) {
              continue;
            }
            if (node.equals(routing.stableVirtualNode())) {
              target.put("weight", 100 - weight);
            } else if (node.equals(routing.canaryVirtualNode())) {
              target.put("weight", weight);
            }
          }
          return vr;
        },
        vr ->
            targets(vr, t, routerName).stream()
                .allMatch(
                    x -> {
                      String node = x.path("virtualNodeRef").path("name").asString("");
                      long w = x.path("weight").asLong(-1);
                      return !(node.equals(routing.stableVirtualNode()) && w != 100 - weight)
                          && !(node.equals(routing.canaryVirtualNode()) && w != weight);
                    }));
  }

  /** The weighted targets of the routes to weight (those named, or every route). */
  private List<ObjectNode> targets(ObjectNode vr, RouteTarget t, String routerName) {
    String object = "VirtualRouter " + t.namespace() + "/" + routerName;
    JsonNode routes = vr.path("spec").path("routes");
    if (!routes.isArray() || routes.isEmpty()) {
      throw new TrafficRoutingException(type(), object, "No routes found");
    }
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode route : routes) {
      String name = route.path("name").asString("");
      if (!routing.routes().isEmpty() && !routing.routes().contains(name)) {
        continue;
      }
      JsonNode rule = null;
      for (String type : ROUTE_TYPES) {
        if (route.has(type)) {
          rule = route.get(type);
          break;
        }
      }
      if (rule == null || !rule.path("action").path("weightedTargets").isArray()) {
        throw new TrafficRoutingException(
            type(), object, "route '" + name + "' is not well-formed (no weightedTargets)");
      }
      rule.path("action").path("weightedTargets").forEach(x -> out.add((ObjectNode) x));
    }
    return out;
  }

  /** Pins the VirtualNodes' podSelector to the revisions, as Argo Rollouts' UpdateHash. */
  @Override
  public void pinRevisions(RouteTarget t, String canaryHash, String stableHash) {
    String stable = stableHash.isEmpty() ? "stable-hash" : stableHash;
    pin(t, routing.stableVirtualNode(), stable);
    // App Mesh refuses two VirtualNodes with the same podSelector
    String canary =
        canaryHash.isEmpty() || canaryHash.equals(stableHash) ? "canary-hash" : canaryHash;
    pin(t, routing.canaryVirtualNode(), canary);
  }

  private void pin(RouteTarget t, String node, String hash) {
    RouterSupport.modify(
        client,
        type(),
        API,
        "VirtualNode",
        t.namespace(),
        node,
        vn -> {
          ObjectNode meta = (ObjectNode) vn.path("metadata");
          ObjectNode annotations =
              meta.has("annotations")
                  ? (ObjectNode) meta.get("annotations")
                  : meta.putObject("annotations");
          annotations.put("argo-rollouts.argoproj.io/managed-by-rollouts", t.rollout());
          ObjectNode spec = vn.has("spec") ? (ObjectNode) vn.get("spec") : vn.putObject("spec");
          ObjectNode selector =
              spec.has("podSelector")
                  ? (ObjectNode) spec.get("podSelector")
                  : spec.putObject("podSelector");
          ObjectNode labels =
              selector.has("matchLabels")
                  ? (ObjectNode) selector.get("matchLabels")
                  : selector.putObject("matchLabels");
          labels.put(HASH_LABEL, hash);
          return vn;
        },
        vn ->
            hash.equals(
                vn.path("spec")
                    .path("podSelector")
                    .path("matchLabels")
                    .path(HASH_LABEL)
                    .asString("")));
  }
}

package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import java.util.Iterator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Weights on an Istio VirtualService's named HTTP routes; header and mirror routes. */
public final class IstioRouter implements TrafficRouter {
  private static final String API = "networking.istio.io/v1beta1";
  private static final String KIND = "VirtualService";

  private final KubernetesClient client;
  private final TrafficRouting.Istio routing;

  public IstioRouter(KubernetesClient client, TrafficRouting.Istio routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "istio";
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    RouterSupport.modify(
        client,
        type(),
        API,
        KIND,
        t.namespace(),
        routing.virtualService(),
        vs -> {
          for (ObjectNode route : routes(vs, t)) {
            boolean canary = false;
            boolean stable = false;
            for (JsonNode d : route.path("route")) {
              String host = d.path("destination").path("host").asString("");
              if (RouterSupport.sameService(host, t.canaryService())) {
                ((ObjectNode) d).put("weight", weight);
                canary = true;
              } else if (RouterSupport.sameService(host, t.stableService())) {
                ((ObjectNode) d).put("weight", 100 - weight);
                stable = true;
              }
            }
            if (!canary || !stable) {
              throw new TrafficRoutingException(
                  type(),
                  "VirtualService " + t.namespace() + "/" + routing.virtualService(),
                  "HTTP route '"
                      + route.path("name").asString("")
                      + "' must have destinations "
                      + t.canaryService()
                      + " and "
                      + t.stableService());
            }
          }
          return vs;
        },
        vs -> routes(vs, t).stream().allMatch(r -> weightsAre(r, t, weight)));
  }

  private static boolean weightsAre(ObjectNode route, RouteTarget t, int weight) {
    for (JsonNode d : route.path("route")) {
      String host = d.path("destination").path("host").asString("");
      if (RouterSupport.sameService(host, t.canaryService())
          && d.path("weight").asInt(-1) != weight) {
        return false;
      }
      if (RouterSupport.sameService(host, t.stableService())
          && d.path("weight").asInt(-1) != 100 - weight) {
        return false;
      }
    }
    return true;
  }

  /** The managed routes: those named in the plan, or the single route when none is named. */
  private List<ObjectNode> routes(ObjectNode vs, RouteTarget t) {
    JsonNode http = vs.path("spec").path("http");
    List<ObjectNode> out = new java.util.ArrayList<>();
    if (routing.routes().isEmpty()) {
      if (http.size() != 1) {
        throw new TrafficRoutingException(
            type(),
            "VirtualService " + t.namespace() + "/" + routing.virtualService(),
            "no route named in the plan, so exactly one HTTP route is required, but it has "
                + http.size());
      }
      out.add((ObjectNode) http.get(0));
      return out;
    }
    for (String name : routing.routes()) {
      ObjectNode found = null;
      for (JsonNode r : http) {
        if (name.equals(r.path("name").asString(""))) {
          found = (ObjectNode) r;
        }
      }
      if (found == null) {
        throw new TrafficRoutingException(
            type(),
            "VirtualService " + t.namespace() + "/" + routing.virtualService(),
            "has no HTTP route named '" + name + "'");
      }
      out.add(found);
    }
    return out;
  }

  @Override
  public void setHeaderRoute(RouteTarget t, CanaryStep.SetHeaderRoute route) {
    ObjectNode managed = null;
    if (!route.match().isEmpty()) {
      managed = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      managed.put("name", route.name());
      ArrayNode match = managed.putArray("match");
      for (CanaryStep.HeaderMatch m : route.match()) {
        match
            .addObject()
            .putObject("headers")
            .putObject(m.headerName())
            .put(m.matchType(), m.value());
      }
      managed
          .putArray("route")
          .addObject()
          .put("weight", 100)
          .putObject("destination")
          .put("host", t.canaryService());
    }
    putManagedRoute(t, route.name(), managed);
  }

  @Override
  public void setMirrorRoute(RouteTarget t, CanaryStep.SetMirrorRoute route) {
    ObjectNode managed = null;
    if (!route.match().isEmpty()) {
      managed = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      managed.put("name", route.name());
      managed.set("match", io.glidepath.core.yaml.Yaml.mapper().valueToTree(route.match()));
      managed
          .putArray("route")
          .addObject()
          .put("weight", 100)
          .putObject("destination")
          .put("host", t.stableService());
      managed.putObject("mirror").put("host", t.canaryService());
      managed.putObject("mirrorPercentage").put("value", route.percentage());
    }
    putManagedRoute(t, route.name(), managed);
  }

  /** Puts (or with null removes) a route named {@code name} in front of the HTTP routes. */
  private void putManagedRoute(RouteTarget t, String name, ObjectNode route) {
    RouterSupport.modify(
        client,
        type(),
        API,
        KIND,
        t.namespace(),
        routing.virtualService(),
        vs -> {
          ObjectNode spec = (ObjectNode) vs.path("spec");
          ArrayNode http = spec.has("http") ? (ArrayNode) spec.get("http") : spec.putArray("http");
          for (Iterator<JsonNode> it = http.iterator(); it.hasNext(); ) {
            if (name.equals(it.next().path("name").asString(""))) {
              it.remove();
            }
          }
          if (route != null) {
            http.insert(0, route);
          }
          return vs;
        },
        vs -> {
          boolean present = false;
          for (JsonNode r : vs.path("spec").path("http")) {
            present |= name.equals(r.path("name").asString(""));
          }
          return present == (route != null);
        });
  }
}

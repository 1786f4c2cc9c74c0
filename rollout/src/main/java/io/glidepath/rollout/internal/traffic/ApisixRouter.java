package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Apache APISIX (apisix.apache.org/v2), as Argo Rollouts: the weights of the canary and stable
 * backends of the named HTTP rules of an ApisixRoute. A header route is an ApisixRoute of its own,
 * named after the route: a copy of the route whose rules send only to the canary, one priority
 * higher, matching the headers ({@code Equal}, {@code RegexMatch}); it is deleted with the route.
 */
public final class ApisixRouter implements TrafficRouter, WritesThroughKube {
  private static final String API = "apisix.apache.org/v2";
  private static final String KIND = "ApisixRoute";

  /** Marks a header-route ApisixRoute as the rollout's (Argo uses a controller reference). */
  public static final String MANAGED_BY = "argo-rollouts.argoproj.io/managed-by-rollouts";

  private final KubernetesClient client;
  private final TrafficRouting.Apisix routing;

  public ApisixRouter(KubernetesClient client, TrafficRouting.Apisix routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "apisix";
  }

  private List<String> rules() {
    return routing.rules().isEmpty() ? List.of(routing.route()) : routing.rules();
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    RouterSupport.modify(
        client,
        type(),
        API,
        KIND,
        t.namespace(),
        routing.route(),
        route -> {
          for (String rule : rules()) {
            ArrayNode backends = backends(route, rule, t);
            weight(backends, t.canaryService(), weight, t);
            weight(backends, t.stableService(), t.totalWeight() - weight, t);
          }
          return route;
        },
        route ->
            rules().stream()
                .allMatch(
                    rule -> {
                      ArrayNode b = backends(route, rule, t);
                      return weightOf(b, t.canaryService()) == weight
                          && weightOf(b, t.stableService()) == t.totalWeight() - weight;
                    }));
  }

  private ObjectNode httpRule(ObjectNode route, String rule, RouteTarget t) {
    JsonNode http = route.path("spec").path("http");
    if (!http.isArray()) {
      throw new TrafficRoutingException(
          type(), object(t, route), "spec.http was not found in Apisix Route manifest");
    }
    for (JsonNode r : http) {
      if (rule.equals(r.path("name").asString(""))) {
        return (ObjectNode) r;
      }
    }
    throw new TrafficRoutingException(
        type(), object(t, route), "Apisix http route rule " + rule + " not found");
  }

  private ArrayNode backends(ObjectNode route, String rule, RouteTarget t) {
    JsonNode b = httpRule(route, rule, t).path("backends");
    if (!b.isArray()) {
      throw new TrafficRoutingException(
          type(), object(t, route), "Apisix http route backends not found");
    }
    return (ArrayNode) b;
  }

  private void weight(ArrayNode backends, String service, int weight, RouteTarget t) {
    for (JsonNode b : backends) {
      if (service.equals(b.path("serviceName").asString(""))) {
        ((ObjectNode) b).put("weight", weight);
        return;
      }
    }
    throw new TrafficRoutingException(
        type(),
        "ApisixRoute " + t.namespace() + "/" + routing.route(),
        "apisix route " + service + " backend was not found");
  }

  private static long weightOf(ArrayNode backends, String service) {
    for (JsonNode b : backends) {
      if (service.equals(b.path("serviceName").asString(""))) {
        return b.path("weight").asLong(-1);
      }
    }
    return -1;
  }

  private static String object(RouteTarget t, ObjectNode route) {
    return KIND + " " + t.namespace() + "/" + route.path("metadata").path("name").asString("");
  }

  @Override
  public void setHeaderRoute(RouteTarget t, CanaryStep.SetHeaderRoute header) {
    String name = header.name();
    Optional<ObjectNode> existing = Kube.get(client, API, KIND, t.namespace(), name);
    if (existing.isPresent()
        && !t.rollout()
            .equals(
                existing
                    .get()
                    .path("metadata")
                    .path("annotations")
                    .path(MANAGED_BY)
                    .asString(""))) {
      throw new TrafficRoutingException(
          type(),
          KIND + " " + t.namespace() + "/" + name,
          "duplicate ApisixRoute [" + name + "] already exists");
    }
    if (header.match().isEmpty()) {
      if (existing.isPresent()) {
        Kube.delete(client, API, KIND, existing.get());
      }
      return;
    }
    boolean isNew = existing.isEmpty();
    ObjectNode route;
    if (isNew) {
      route =
          Kube.get(client, API, KIND, t.namespace(), routing.route())
              .orElseThrow(
                  () ->
                      new TrafficRoutingException(
                          type(),
                          KIND + " " + t.namespace() + "/" + routing.route(),
                          "does not exist"))
              .deepCopy();
      route.remove("status");
      ObjectNode meta = route.putObject("metadata");
      meta.put("name", name).put("namespace", t.namespace());
      meta.putObject("annotations").put(MANAGED_BY, t.rollout());
    } else {
      route = existing.get().deepCopy();
    }
    for (String rule : rules()) {
      ObjectNode http = httpRule(route, rule, t);
      ArrayNode backends = backends(route, rule, t);
      weight(backends, t.canaryService(), 100, t);
      for (Iterator<JsonNode> it = backends.iterator(); it.hasNext(); ) {
        if (t.stableService().equals(it.next().path("serviceName").asString(""))) {
          it.remove();
        }
      }
      if (isNew) {
        http.put("priority", http.path("priority").asLong(0) + 1);
      }
      ObjectNode match =
          http.has("match") ? (ObjectNode) http.get("match") : http.putObject("match");
      ArrayNode exprs = match.putArray("exprs");
      for (CanaryStep.HeaderMatch m : header.match()) {
        ObjectNode expr = exprs.addObject();
        expr.putObject("subject").put("scope", "Header").put("name", m.headerName());
        switch (m.matchType()) {
          case "exact" -> expr.put("op", "Equal").put("value", m.value());
          case "regex" -> expr.put("op", "RegexMatch").put("value", m.value());
          default -> expr.put("op", "RegexMatch").put("value", "^" + m.value() + ".*");
        }
      }
    }
    try {
      if (isNew) {
        Kube.create(client, route);
      } else {
        Kube.update(client, route);
      }
    } catch (KubernetesClientException e) {
      throw new TrafficRoutingException(
          type(),
          KIND + " " + t.namespace() + "/" + name,
          (isNew ? "create" : "update") + " failed: " + e.getMessage());
    }
  }
}

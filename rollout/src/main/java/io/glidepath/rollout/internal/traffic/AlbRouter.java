package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import io.glidepath.rollout.traffic.WeightDestination;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS Load Balancer Controller: the forward action annotation Argo Rollouts writes on each Ingress,
 * {@code <prefix>/actions.<rootService>}, with the canary's and the stable Service's target groups
 * and weights; {@code rollouts.argoproj.io/managed-alb-annotations} lists the annotations each
 * rollout manages. Header routes are an action and a condition annotation named after the route and
 * an Ingress path for it, in {@code managedRoutes} order.
 */
public final class AlbRouter implements TrafficRouter, WritesThroughKube {
  /** The annotation listing the annotations each rollout manages (JSON: rollout -> keys). */
  public static final String MANAGED_ANNOTATIONS = "rollouts.argoproj.io/managed-alb-annotations";

  private static final String API = "networking.k8s.io/v1";

  private final KubernetesClient client;
  private final TrafficRouting.Alb routing;
  private final List<String> managedRoutes;

  public AlbRouter(
      KubernetesClient client, TrafficRouting.Alb routing, List<String> managedRoutes) {
    this.client = client;
    this.routing = routing;
    this.managedRoutes = List.copyOf(managedRoutes);
  }

  @Override
  public String type() {
    return "alb";
  }

  private String actionService(RouteTarget t) {
    return routing.rootService().orElse(t.stableService());
  }

  private String key(String kind, String name) {
    return routing.annotationPrefix() + "/" + kind + "." + name;
  }

  /** The forward action JSON, field for field as Argo Rollouts marshals it. */
  static String forwardAction(List<String[]> groups, int port, java.util.OptionalLong stickiness) {
    ObjectNode action = JsonNodeFactory.instance.objectNode();
    action.put("Type", "forward");
    ObjectNode forward = action.putObject("ForwardConfig");
    ArrayNode targetGroups = forward.putArray("TargetGroups");
    for (String[] g : groups) {
      targetGroups
          .addObject()
          .put("ServiceName", g[0])
          .put("ServicePort", Integer.toString(port))
          .put("Weight", Integer.parseInt(g[1]));
    }
    if (stickiness.isPresent()) {
      forward
          .putObject("TargetGroupStickinessConfig")
          .put("Enabled", true)
          .put("DurationSeconds", stickiness.getAsLong());
    }
    return Yaml.toJson(action);
  }

  @Override
  public boolean supportsAdditionalDestinations() {
    return true;
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    setWeight(t, weight, List.of());
  }

  /** The forward action's target groups: canary, stable, then each experiment Service. */
  @Override
  public void setWeight(RouteTarget t, int weight, List<WeightDestination> additional) {
    String key = key("actions", actionService(t));
    List<String[]> groups = new java.util.ArrayList<>();
    groups.add(new String[] {t.canaryService(), Integer.toString(weight)});
    groups.add(
        new String[] {
          t.stableService(),
          Integer.toString(RouterSupport.stableWeight(t.totalWeight(), weight, additional))
        });
    for (WeightDestination d : additional) {
      groups.add(new String[] {d.serviceName(), Integer.toString(d.weight())});
    }
    String value = forwardAction(groups, routing.servicePort(), routing.stickinessSeconds());
    for (String ingress : routing.ingresses()) {
      RouterSupport.modify(
          client,
          type(),
          API,
          "Ingress",
          t.namespace(),
          ingress,
          o -> {
            if (!hasService(o, actionService(t))) {
              throw new TrafficRoutingException(
                  type(),
                  "Ingress " + t.namespace() + "/" + ingress,
                  "does not have service `" + actionService(t) + "` in rules");
            }
            ObjectNode annotations = annotations(o);
            annotations.put(key, value);
            managed(annotations, t.rollout(), List.of(key), true);
            return o;
          },
          o -> value.equals(o.path("metadata").path("annotations").path(key).asString("")));
    }
  }

  @Override
  public void setHeaderRoute(RouteTarget t, CanaryStep.SetHeaderRoute route) {
    String actionKey = key("actions", route.name());
    String conditionKey = key("conditions", route.name());
    boolean add = !route.match().isEmpty();
    String action =
        forwardAction(
            List.<String[]>of(new String[] {t.canaryService(), "100"}),
            routing.servicePort(),
            routing.stickinessSeconds());
    ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
    for (CanaryStep.HeaderMatch m : route.match()) {
      if (!m.matchType().equals("exact")) {
        throw new TrafficRoutingException(
            type(),
            "header route " + route.name(),
            "ALB header conditions match exact values only, but was " + m.matchType());
      }
      ObjectNode c = conditions.addObject();
      c.put("field", "http-header");
      ObjectNode h = c.putObject("httpHeaderConfig");
      h.put("httpHeaderName", m.headerName());
      h.putArray("values").add(m.value());
    }
    String condition = Yaml.toJson(conditions);
    for (String ingress : routing.ingresses()) {
      RouterSupport.modify(
          client,
          type(),
          API,
          "Ingress",
          t.namespace(),
          ingress,
          o -> {
            ObjectNode annotations = annotations(o);
            if (add) {
              annotations.put(actionKey, action);
              annotations.put(conditionKey, condition);
            } else {
              annotations.remove(actionKey);
              annotations.remove(conditionKey);
            }
            managed(annotations, t.rollout(), List.of(actionKey, conditionKey), add);
            if (add && !hasService(o, route.name())) {
              addPath(o, route.name());
            } else if (!add) {
              removePaths(o, route.name());
            }
            sortPaths(o);
            return o;
          },
          o ->
              add
                  == (o.path("metadata").path("annotations").has(actionKey)
                      && hasService(o, route.name())));
    }
  }

  private static ObjectNode annotations(ObjectNode ingress) {
    ObjectNode meta = (ObjectNode) ingress.path("metadata");
    return meta.has("annotations") && meta.get("annotations").isObject()
        ? (ObjectNode) meta.get("annotations")
        : meta.putObject("annotations");
  }

  /** Adds (or removes) {@code keys} to the rollout's entry of the managed annotation. */
  private static void managed(
      ObjectNode annotations, String rollout, List<String> keys, boolean add) {
    Map<String, List<String>> all = new TreeMap<>();
    String current = annotations.path(MANAGED_ANNOTATIONS).asString("");
    if (!current.isEmpty()) {
      JsonNode parsed = Yaml.mapper().readTree(current);
      parsed
          .properties()
          .forEach(
              e -> {
                List<String> list = new ArrayList<>();
                e.getValue().forEach(v -> list.add(v.asString()));
                all.put(e.getKey(), list);
              });
    }
    List<String> mine = all.computeIfAbsent(rollout, r -> new ArrayList<>());
    for (String k : keys) {
      if (add && !mine.contains(k)) {
        mine.add(k);
      } else if (!add) {
        mine.remove(k);
      }
    }
    // Go marshals the map with sorted keys; a rollout that manages nothing keeps its []
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    all.forEach(
        (r, list) -> {
          ArrayNode a = out.putArray(r);
          list.forEach(a::add);
        });
    annotations.put(MANAGED_ANNOTATIONS, Yaml.toJson(out));
  }

  static boolean hasService(JsonNode ingress, String service) {
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      for (JsonNode path : rule.path("http").path("paths")) {
        JsonNode backend = path.path("backend");
        String name =
            backend.path("service").path("name").asString(backend.path("serviceName").asString(""));
        if (service.equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An annotation-based path for a header route, in front of every rule's paths. */
  private static void addPath(ObjectNode ingress, String route) {
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      JsonNode paths = rule.path("http").path("paths");
      if (!paths.isArray()) {
        continue;
      }
      ObjectNode p = JsonNodeFactory.instance.objectNode();
      p.put("path", "/*");
      p.put("pathType", "ImplementationSpecific");
      ObjectNode service = p.putObject("backend").putObject("service");
      service.put("name", route);
      service.putObject("port").put("name", "use-annotation");
      ((ArrayNode) paths).insert(0, p);
    }
  }

  private static void removePaths(ObjectNode ingress, String route) {
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      JsonNode paths = rule.path("http").path("paths");
      for (Iterator<JsonNode> it = paths.iterator(); it.hasNext(); ) {
        if (route.equals(it.next().path("backend").path("service").path("name").asString(""))) {
          it.remove();
        }
      }
    }
  }

  /** Managed routes' paths first, in managedRoutes order; the others after, as they were. */
  private void sortPaths(ObjectNode ingress) {
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      JsonNode paths = rule.path("http").path("paths");
      if (!paths.isArray()) {
        continue;
      }
      List<JsonNode> managed = new ArrayList<>();
      List<JsonNode> others = new ArrayList<>();
      for (String r : managedRoutes) {
        for (JsonNode p : paths) {
          if (r.equals(p.path("backend").path("service").path("name").asString(""))) {
            managed.add(p);
          }
        }
      }
      for (JsonNode p : paths) {
        if (!managed.contains(p)) {
          others.add(p);
        }
      }
      ArrayNode sorted = (ArrayNode) paths;
      sorted.removeAll();
      managed.forEach(sorted::add);
      others.forEach(sorted::add);
    }
  }
}

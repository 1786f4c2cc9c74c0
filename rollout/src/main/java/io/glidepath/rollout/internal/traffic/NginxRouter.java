package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * NGINX Ingress: a canary Ingress {@code <rollout>-<stableIngress>-canary}, a copy of the stable
 * Ingress whose backends point at the canary Service, with {@code
 * nginx.ingress.kubernetes.io/canary: "true"} and {@code canary-weight}.
 */
public final class NginxRouter implements TrafficRouter {
  /** The annotation prefix of ingress-nginx. */
  public static final String PREFIX = "nginx.ingress.kubernetes.io/";

  private static final String API = "networking.k8s.io/v1";

  private final KubernetesClient client;
  private final TrafficRouting.Nginx routing;

  public NginxRouter(KubernetesClient client, TrafficRouting.Nginx routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "nginx";
  }

  /** The generated canary Ingress's name. */
  public static String canaryIngressName(String rollout, String stableIngress) {
    return rollout + "-" + stableIngress + "-canary";
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    String stableName = routing.stableIngress();
    String object = "Ingress " + t.namespace() + "/" + stableName;
    ObjectNode stable =
        Kube.get(client, API, "Ingress", t.namespace(), stableName)
            .orElseThrow(() -> new TrafficRoutingException(type(), object, "does not exist"));
    String canaryName = canaryIngressName(t.rollout(), stableName);
    if (Kube.get(client, API, "Ingress", t.namespace(), canaryName).isEmpty()) {
      ObjectNode canary = Yaml.mapper().createObjectNode();
      canary.put("apiVersion", API);
      canary.put("kind", "Ingress");
      ObjectNode meta = canary.putObject("metadata");
      meta.put("name", canaryName).put("namespace", t.namespace());
      ObjectNode annotations = meta.putObject("annotations");
      annotations.put(PREFIX + "canary", "true");
      annotations.put(PREFIX + "canary-weight", Integer.toString(weight));
      ObjectNode spec = (ObjectNode) stable.path("spec").deepCopy();
      retarget(spec, t);
      canary.set("spec", spec);
      try {
        Kube.create(client, canary);
      } catch (KubernetesClientException e) {
        if (!Kube.isConflict(e)) {
          throw new TrafficRoutingException(type(), object, e.getMessage());
        }
      }
    }
    RouterSupport.modify(
        client,
        type(),
        API,
        "Ingress",
        t.namespace(),
        canaryName,
        canary -> {
          ObjectNode meta = (ObjectNode) canary.path("metadata");
          ObjectNode annotations =
              meta.has("annotations")
                  ? (ObjectNode) meta.get("annotations")
                  : meta.putObject("annotations");
          annotations.put(PREFIX + "canary", "true");
          annotations.put(PREFIX + "canary-weight", Integer.toString(weight));
          ObjectNode spec = (ObjectNode) stable.path("spec").deepCopy();
          retarget(spec, t);
          canary.set("spec", spec);
          return canary;
        },
        canary ->
            Integer.toString(weight)
                .equals(
                    canary
                        .path("metadata")
                        .path("annotations")
                        .path(PREFIX + "canary-weight")
                        .asString("")));
  }

  private void retarget(ObjectNode spec, RouteTarget t) {
    int replaced = 0;
    for (JsonNode rule : spec.path("rules")) {
      for (JsonNode path : rule.path("http").path("paths")) {
        JsonNode service = path.path("backend").path("service");
        if (service.isObject() && t.stableService().equals(service.path("name").asString(""))) {
          ((ObjectNode) service).put("name", t.canaryService());
          replaced++;
        }
      }
    }
    if (replaced == 0) {
      throw new TrafficRoutingException(
          type(),
          "Ingress " + t.namespace() + "/" + routing.stableIngress(),
          "has no backend on the stable service " + t.stableService());
    }
  }
}

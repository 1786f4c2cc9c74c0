package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * NGINX Ingress: per stable Ingress a canary Ingress {@code <rollout>-<stableIngress>-canary}, a
 * copy of the stable Ingress whose backends point at the canary Service, with {@code
 * <prefix>/canary: "true"}, {@code <prefix>/canary-weight}, the additionalIngressAnnotations under
 * the prefix and the canaryIngressAnnotations as written.
 */
public final class NginxRouter implements TrafficRouter, WritesThroughKube {
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
    for (String stableName : routing.stableIngresses()) {
      setWeight(t, stableName, weight);
    }
  }

  /**
   * The canary annotations: canary, canary-weight (and canary-weight-total when the weights do not
   * total 100, Argo's maxTrafficWeight) and the additional ones under the prefix.
   */
  private void annotate(ObjectNode annotations, int weight, int total) {
    String prefix = routing.annotationPrefix() + "/";
    annotations.put(prefix + "canary", "true");
    annotations.put(prefix + "canary-weight", Integer.toString(weight));
    if (total != RouteTarget.DEFAULT_TOTAL_WEIGHT) {
      annotations.put(prefix + "canary-weight-total", Integer.toString(total));
    } else {
      annotations.remove(prefix + "canary-weight-total");
    }
    routing.additionalIngressAnnotations().forEach((k, v) -> annotations.put(prefix + k, v));
    routing.canaryIngressAnnotations().forEach(annotations::put);
  }

  private void setWeight(RouteTarget t, String stableName, int weight) {
    String object = "Ingress " + t.namespace() + "/" + stableName;
    ObjectNode stable =
        Kube.get(client, API, "Ingress", t.namespace(), stableName)
            .orElseThrow(() -> new TrafficRoutingException(type(), object, "does not exist"));
    String canaryName = canaryIngressName(t.rollout(), stableName);
    String weightKey = routing.annotationPrefix() + "/canary-weight";
    if (Kube.get(client, API, "Ingress", t.namespace(), canaryName).isEmpty()) {
      ObjectNode canary = Yaml.mapper().createObjectNode();
      canary.put("apiVersion", API);
      canary.put("kind", "Ingress");
      ObjectNode meta = canary.putObject("metadata");
      meta.put("name", canaryName).put("namespace", t.namespace());
      annotate(meta.putObject("annotations"), weight, t.totalWeight());
      ObjectNode spec = (ObjectNode) stable.path("spec").deepCopy();
      retarget(spec, t, stableName);
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
          annotate(annotations, weight, t.totalWeight());
          ObjectNode spec = (ObjectNode) stable.path("spec").deepCopy();
          retarget(spec, t, stableName);
          canary.set("spec", spec);
          return canary;
        },
        canary ->
            Integer.toString(weight)
                .equals(canary.path("metadata").path("annotations").path(weightKey).asString("")));
  }

  private void retarget(ObjectNode spec, RouteTarget t, String stableName) {
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
          "Ingress " + t.namespace() + "/" + stableName,
          "has no backend on the stable service " + t.stableService());
    }
  }
}

package io.glidepath.rollout.internal.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.WritesThroughKube;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.rollout.traffic.TrafficRoutingException;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ambassador (Emissary): as Argo Rollouts, a canary Mapping {@code <mapping>-canary} per base
 * Mapping: a copy of it (without its metadata) pointing at the canary Service (the base's port
 * kept) with {@code spec.weight}; created when the weight leaves 0, deleted when it returns to 0. A
 * base Mapping with a weight of its own is an error.
 */
public final class AmbassadorRouter implements TrafficRouter, WritesThroughKube {
  private static final String KIND = "Mapping";

  private final KubernetesClient client;
  private final TrafficRouting.Ambassador routing;

  public AmbassadorRouter(KubernetesClient client, TrafficRouting.Ambassador routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "ambassador";
  }

  /** The canary Mapping's name for base Mapping {@code base} (at most 253 characters). */
  public static String canaryMappingName(String base) {
    return (base.length() > 246 ? base.substring(0, 246) : base) + "-canary";
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    for (String base : routing.mappings()) {
      mapping(t, base, weight);
    }
  }

  private void mapping(RouteTarget t, String base, int weight) {
    String api = routing.apiVersion();
    String canaryName = canaryMappingName(base);
    Optional<ObjectNode> canary = Kube.get(client, api, KIND, t.namespace(), canaryName);
    if (canary.isEmpty()) {
      if (weight == 0) {
        return;
      }
      ObjectNode baseMapping =
          Kube.get(client, api, KIND, t.namespace(), base)
              .orElseThrow(
                  () ->
                      new TrafficRoutingException(
                          type(),
                          KIND + " " + t.namespace() + "/" + base,
                          "Ambassador mapping \"" + base + "\" not found"));
      if (baseMapping.path("spec").path("weight").asLong(0) != 0) {
        throw new TrafficRoutingException(
            type(),
            KIND + " " + t.namespace() + "/" + base,
            "Ambassador mapping \"" + base + "\" can not define weight");
      }
      ObjectNode created = baseMapping.deepCopy();
      created.remove("metadata");
      created.remove("status");
      created.putObject("metadata").put("name", canaryName).put("namespace", t.namespace());
      ObjectNode spec = (ObjectNode) created.path("spec");
      spec.put("service", canaryService(baseMapping.path("spec").path("service").asString(""), t));
      spec.put("weight", weight);
      try {
        Kube.create(client, created);
      } catch (KubernetesClientException e) {
        throw new TrafficRoutingException(
            type(),
            KIND + " " + t.namespace() + "/" + canaryName,
            "create failed: " + e.getMessage());
      }
      return;
    }
    RouterSupport.modify(
        client,
        type(),
        api,
        KIND,
        t.namespace(),
        canaryName,
        m -> {
          ((ObjectNode) m.path("spec")).put("weight", weight);
          return m;
        },
        m -> m.path("spec").path("weight").asLong(-1) == weight);
    if (weight == 0) {
      // Argo Rollouts waits 5 s for the zero weight to spread before deleting; the driver does
      // not sleep, and a deleted canary Mapping sends no traffic either
      Kube.get(client, api, KIND, t.namespace(), canaryName)
          .ifPresent(m -> Kube.delete(client, api, KIND, m));
    }
  }

  /** The canary Service with the base Mapping's port, when it names one ({@code svc:8080}). */
  static String canaryService(String baseService, RouteTarget t) {
    String[] parts = baseService.split(":");
    if (parts.length < 2 || !parts[parts.length - 1].matches("\\d+")) {
      return t.canaryService();
    }
    return t.canaryService() + ":" + parts[parts.length - 1];
  }
}

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
import io.glidepath.rollout.traffic.WeightDestination;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Weights of an SMI TrafficSplit's backends; creates the TrafficSplit when missing. */
public final class SmiRouter implements TrafficRouter, WritesThroughKube {
  private static final String API = "split.smi-spec.io/v1alpha2";

  private final KubernetesClient client;
  private final TrafficRouting.Smi routing;

  public SmiRouter(KubernetesClient client, TrafficRouting.Smi routing) {
    this.client = client;
    this.routing = routing;
  }

  @Override
  public String type() {
    return "smi";
  }

  @Override
  public boolean supportsAdditionalDestinations() {
    return true;
  }

  @Override
  public void setWeight(RouteTarget t, int weight) {
    setWeight(t, weight, java.util.List.of());
  }

  /** The backends: canary, stable, then each experiment Service, as Argo Rollouts writes them. */
  @Override
  public void setWeight(RouteTarget t, int weight, java.util.List<WeightDestination> additional) {
    int stableWeight = RouterSupport.stableWeight(t.totalWeight(), weight, additional);
    String name = routing.trafficSplitName();
    if (Kube.get(client, API, "TrafficSplit", t.namespace(), name).isEmpty()) {
      ObjectNode split = Yaml.mapper().createObjectNode();
      split.put("apiVersion", API);
      split.put("kind", "TrafficSplit");
      split.putObject("metadata").put("name", name).put("namespace", t.namespace());
      split.putObject("spec").put("service", routing.rootService()).putArray("backends");
      try {
        Kube.create(client, split);
      } catch (KubernetesClientException e) {
        if (!Kube.isConflict(e)) {
          throw new TrafficRoutingException(
              type(), "TrafficSplit " + t.namespace() + "/" + name, e.getMessage());
        }
      }
    }
    RouterSupport.modify(
        client,
        type(),
        API,
        "TrafficSplit",
        t.namespace(),
        name,
        split -> {
          ObjectNode spec = (ObjectNode) split.path("spec");
          spec.put("service", routing.rootService());
          ArrayNode backends = spec.putArray("backends");
          backends.addObject().put("service", t.canaryService()).put("weight", weight);
          backends.addObject().put("service", t.stableService()).put("weight", stableWeight);
          for (WeightDestination d : additional) {
            backends.addObject().put("service", d.serviceName()).put("weight", d.weight());
          }
          return split;
        },
        split -> {
          var b = split.path("spec").path("backends");
          if (b.size() != 2 + additional.size()
              || b.get(0).path("weight").asInt(-1) != weight
              || b.get(1).path("weight").asInt(-1) != stableWeight) {
            return false;
          }
          for (int i = 0; i < additional.size(); i++) {
            JsonNode x = b.get(2 + i);
            if (!x.path("service").asString("").equals(additional.get(i).serviceName())
                || x.path("weight").asInt(-1) != additional.get(i).weight()) {
              return false;
            }
          }
          return true;
        });
  }
}

package io.glidepath.rollout;

import java.util.List;
import java.util.Objects;

/**
 * How a canary plan splits traffic: a closed set mirroring Argo's {@code trafficRouting} block.
 * Without one, the weight is approximated by replica counts.
 */
public sealed interface TrafficRouting {
  /** A short description, e.g. {@code Istio VirtualService trade-service-vs routes [primary]}. */
  String describe();

  /**
   * Istio: weights on the canary and stable destinations of named HTTP routes of a VirtualService.
   *
   * @param virtualService the VirtualService's name
   * @param routes the HTTP route names (empty: the single unnamed route)
   */
  record Istio(String virtualService, List<String> routes) implements TrafficRouting {
    public Istio {
      Objects.requireNonNull(virtualService, "virtualService");
      routes = List.copyOf(routes);
    }

    @Override
    public String describe() {
      return "Istio VirtualService " + virtualService + " routes " + routes;
    }
  }

  /** NGINX Ingress: a generated canary copy of {@code stableIngress} with a canary weight. */
  record Nginx(String stableIngress) implements TrafficRouting {
    public Nginx {
      Objects.requireNonNull(stableIngress, "stableIngress");
    }

    @Override
    public String describe() {
      return "NGINX canary Ingress of " + stableIngress;
    }
  }

  /** Gateway API: backendRefs weights of an HTTPRoute. */
  record GatewayApi(String httpRoute) implements TrafficRouting {
    public GatewayApi {
      Objects.requireNonNull(httpRoute, "httpRoute");
    }

    @Override
    public String describe() {
      return "Gateway API HTTPRoute " + httpRoute;
    }
  }

  /**
   * SMI: a TrafficSplit named {@code trafficSplitName} on {@code rootService}.
   *
   * @param rootService the service clients call
   * @param trafficSplitName the TrafficSplit's name
   */
  record Smi(String rootService, String trafficSplitName) implements TrafficRouting {
    public Smi {
      Objects.requireNonNull(rootService, "rootService");
      Objects.requireNonNull(trafficSplitName, "trafficSplitName");
    }

    @Override
    public String describe() {
      return "SMI TrafficSplit " + trafficSplitName + " on " + rootService;
    }
  }
}

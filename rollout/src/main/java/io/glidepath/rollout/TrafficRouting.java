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
   * Istio: weights on the canary and stable destinations of named HTTP routes of one or more
   * VirtualServices (Argo's {@code istio.virtualService} or {@code istio.virtualServices}). Every
   * VirtualService is written and read back; when one fails, those already written are restored
   * (see {@link io.glidepath.rollout.traffic.TrafficRouter#istio}).
   *
   * <pre>{@code
   * new TrafficRouting.Istio("trade-service-vs", List.of("primary"));
   * new TrafficRouting.Istio(List.of(
   *     new TrafficRouting.Istio.VirtualService("trade-service-vs", List.of("primary")),
   *     new TrafficRouting.Istio.VirtualService("trade-service-internal-vs", List.of())));
   * }</pre>
   *
   * <p>With a {@link DestinationRule} (Argo's subset-level routing) the weights go to the route
   * destinations whose {@code subset} is the canary or stable subset, and the driver pins the
   * subsets' {@code rollouts-pod-template-hash} label to the canary and stable revisions; canary
   * and stable Services are then optional.
   *
   * @param virtualServices the VirtualServices, at least one, names unique
   * @param destinationRule the DestinationRule of subset-level routing, if any
   */
  record Istio(
      List<VirtualService> virtualServices, java.util.Optional<DestinationRule> destinationRule)
      implements TrafficRouting {
    /**
     * One VirtualService.
     *
     * @param name the VirtualService's name
     * @param routes the HTTP route names (empty: the single unnamed route)
     */
    public record VirtualService(String name, List<String> routes) {
      public VirtualService {
        Objects.requireNonNull(name, "name");
        routes = List.copyOf(routes);
      }
    }

    /**
     * Argo's {@code istio.destinationRule}.
     *
     * @param name the DestinationRule's name
     * @param canarySubsetName the subset that selects the canary
     * @param stableSubsetName the subset that selects the stable version
     */
    public record DestinationRule(String name, String canarySubsetName, String stableSubsetName) {
      public DestinationRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(canarySubsetName, "canarySubsetName");
        Objects.requireNonNull(stableSubsetName, "stableSubsetName");
        if (canarySubsetName.equals(stableSubsetName)) {
          throw new IllegalArgumentException(
              "canarySubsetName and stableSubsetName must differ, but both are '"
                  + canarySubsetName
                  + "'");
        }
      }
    }

    public Istio {
      Objects.requireNonNull(destinationRule, "destinationRule");
      virtualServices = List.copyOf(virtualServices);
      if (virtualServices.isEmpty()) {
        throw new IllegalArgumentException("virtualServices must not be empty");
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (VirtualService vs : virtualServices) {
        if (!names.add(vs.name())) {
          throw new IllegalArgumentException(
              "virtualServices must have unique names, but '" + vs.name() + "' is repeated");
        }
      }
    }

    /** VirtualServices with host-level routing (canary and stable Services). */
    public Istio(List<VirtualService> virtualServices) {
      this(virtualServices, java.util.Optional.empty());
    }

    /** The single-VirtualService form. */
    public Istio(String virtualService, List<String> routes) {
      this(List.of(new VirtualService(virtualService, routes)));
    }

    @Override
    public String describe() {
      String subsets =
          destinationRule
              .map(
                  d ->
                      " with DestinationRule "
                          + d.name()
                          + " subsets "
                          + d.canarySubsetName()
                          + "/"
                          + d.stableSubsetName())
              .orElse("");
      if (virtualServices.size() == 1) {
        VirtualService vs = virtualServices.get(0);
        return "Istio VirtualService " + vs.name() + " routes " + vs.routes() + subsets;
      }
      StringBuilder out = new StringBuilder("Istio VirtualServices ");
      for (int i = 0; i < virtualServices.size(); i++) {
        VirtualService vs = virtualServices.get(i);
        out.append(i == 0 ? "" : ", ").append(vs.name()).append(" routes ").append(vs.routes());
      }
      return out.append(subsets).toString();
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

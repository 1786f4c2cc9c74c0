package io.glidepath.rollout;

import java.util.List;
import java.util.Objects;

/**
 * How a canary plan splits traffic: a closed set mirroring Argo's {@code trafficRouting} block
 * (Istio, NGINX, ALB, SMI, Ambassador, App Mesh, APISIX, Traefik, the Gateway API plugin, or
 * several of them {@link Combined}). Without one, the weight is approximated by replica counts.
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
     * @param routes the HTTP route names (empty: the single HTTP route, if the VirtualService has
     *     HTTP routes and no TLS or TCP route is named)
     * @param tlsRoutes the TLS routes to weight, matched by port and SNI hosts
     * @param tcpRoutes the TCP routes to weight, matched by port
     */
    public record VirtualService(
        String name, List<String> routes, List<TlsRoute> tlsRoutes, List<TcpRoute> tcpRoutes) {
      public VirtualService {
        Objects.requireNonNull(name, "name");
        routes = List.copyOf(routes);
        tlsRoutes = List.copyOf(tlsRoutes);
        tcpRoutes = List.copyOf(tcpRoutes);
      }

      /** A VirtualService with HTTP routes only. */
      public VirtualService(String name, List<String> routes) {
        this(name, routes, List.of(), List.of());
      }
    }

    /**
     * A TLS route of a VirtualService, found by the port and SNI hosts of one of its matches.
     *
     * @param port the match's port (0: any)
     * @param sniHosts the match's SNI hosts (empty: any)
     */
    public record TlsRoute(long port, List<String> sniHosts) {
      public TlsRoute {
        sniHosts = List.copyOf(sniHosts);
      }
    }

    /**
     * A TCP route of a VirtualService, found by the port of one of its matches.
     *
     * @param port the match's port (0: any)
     */
    public record TcpRoute(long port) {}

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

  /**
   * NGINX Ingress: for each stable Ingress a generated canary copy {@code
   * <rollout>-<ingress>-canary} whose backends are the canary Service, annotated {@code
   * <prefix>/canary: "true"} and {@code <prefix>/canary-weight}, plus {@code
   * additionalIngressAnnotations} (under the prefix) and {@code canaryIngressAnnotations} (as
   * written).
   *
   * @param stableIngresses the stable Ingresses (Argo's {@code stableIngress} or {@code
   *     stableIngresses})
   * @param annotationPrefix the ingress-nginx annotation prefix (default {@value
   *     #DEFAULT_ANNOTATION_PREFIX})
   * @param additionalIngressAnnotations more canary annotations, keys without the prefix
   * @param canaryIngressAnnotations annotations copied to the canary Ingresses as they are
   */
  record Nginx(
      List<String> stableIngresses,
      String annotationPrefix,
      java.util.Map<String, String> additionalIngressAnnotations,
      java.util.Map<String, String> canaryIngressAnnotations)
      implements TrafficRouting {
    /** ingress-nginx's annotation prefix. */
    public static final String DEFAULT_ANNOTATION_PREFIX = "nginx.ingress.kubernetes.io";

    public Nginx {
      stableIngresses = List.copyOf(stableIngresses);
      Objects.requireNonNull(annotationPrefix, "annotationPrefix");
      additionalIngressAnnotations =
          java.util.Collections.unmodifiableMap(
              new java.util.LinkedHashMap<>(additionalIngressAnnotations));
      canaryIngressAnnotations =
          java.util.Collections.unmodifiableMap(
              new java.util.LinkedHashMap<>(canaryIngressAnnotations));
      if (stableIngresses.isEmpty()) {
        throw new IllegalArgumentException("stableIngresses must not be empty");
      }
    }

    /** One stable Ingress with the default prefix. */
    public Nginx(String stableIngress) {
      this(
          List.of(stableIngress),
          DEFAULT_ANNOTATION_PREFIX,
          java.util.Map.of(),
          java.util.Map.of());
    }

    /** The first stable Ingress. */
    public String stableIngress() {
      return stableIngresses.get(0);
    }

    @Override
    public String describe() {
      return "NGINX canary Ingress of " + String.join(", ", stableIngresses);
    }
  }

  /**
   * AWS Load Balancer Controller: the Ingresses' {@code <prefix>/actions.<rootService>} annotation
   * holds a forward action splitting traffic between the canary and stable Services (JSON, as Argo
   * Rollouts writes it), and {@code rollouts.argoproj.io/managed-alb-annotations} records the
   * annotations the rollout manages. Header routes add {@code actions.<route>} and {@code
   * conditions.<route>} annotations and an Ingress path for the route.
   *
   * @param ingresses the Ingresses (Argo's {@code ingress} or {@code ingresses})
   * @param servicePort the Services' port the action forwards to
   * @param rootService the action's name (the Service the Ingress rules name); empty: the stable
   *     Service
   * @param annotationPrefix the controller's annotation prefix (default {@value
   *     #DEFAULT_ANNOTATION_PREFIX})
   * @param stickinessSeconds target group stickiness duration, when enabled (1..604800)
   */
  record Alb(
      List<String> ingresses,
      int servicePort,
      java.util.Optional<String> rootService,
      String annotationPrefix,
      java.util.OptionalLong stickinessSeconds)
      implements TrafficRouting {
    /** The AWS Load Balancer Controller's default annotation prefix. */
    public static final String DEFAULT_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io";

    public Alb {
      ingresses = List.copyOf(ingresses);
      Objects.requireNonNull(rootService, "rootService");
      Objects.requireNonNull(annotationPrefix, "annotationPrefix");
      Objects.requireNonNull(stickinessSeconds, "stickinessSeconds");
      if (ingresses.isEmpty()) {
        throw new IllegalArgumentException("ingresses must not be empty");
      }
      if (servicePort < 1 || servicePort > 65535) {
        throw new IllegalArgumentException(
            "servicePort must be within 1..65535, but was " + servicePort);
      }
      if (stickinessSeconds.isPresent()
          && (stickinessSeconds.getAsLong() < 1 || stickinessSeconds.getAsLong() > 604800)) {
        throw new IllegalArgumentException(
            "stickinessConfig.durationSeconds must be within 1..604800, but was "
                + stickinessSeconds.getAsLong());
      }
    }

    /** One Ingress, the default prefix, no root service, no stickiness. */
    public Alb(String ingress, int servicePort) {
      this(
          List.of(ingress),
          servicePort,
          java.util.Optional.empty(),
          DEFAULT_ANNOTATION_PREFIX,
          java.util.OptionalLong.empty());
    }

    @Override
    public String describe() {
      return "ALB Ingress " + String.join(", ", ingresses) + " port " + servicePort;
    }
  }

  /**
   * Ambassador (Emissary): for each Mapping a canary copy {@code <mapping>-canary} pointing at the
   * canary Service with {@code spec.weight}; deleted again when the weight goes back to 0.
   *
   * @param mappings the base Mappings (which must have no weight)
   * @param apiVersion the Mappings' apiVersion (default {@value #DEFAULT_API_VERSION})
   */
  record Ambassador(List<String> mappings, String apiVersion) implements TrafficRouting {
    /** Argo Rollouts' default Ambassador API version. */
    public static final String DEFAULT_API_VERSION = "getambassador.io/v2";

    public Ambassador {
      mappings = List.copyOf(mappings);
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (mappings.isEmpty()) {
        throw new IllegalArgumentException("mappings must not be empty");
      }
    }

    public Ambassador(List<String> mappings) {
      this(mappings, DEFAULT_API_VERSION);
    }

    @Override
    public String describe() {
      return "Ambassador Mappings " + String.join(", ", mappings);
    }
  }

  /**
   * AWS App Mesh: the weights of the canary and stable VirtualNodes in the routes of the
   * VirtualRouter behind {@code virtualService}; the VirtualNodes' podSelector is pinned to the
   * canary and stable revisions.
   *
   * @param virtualService the App Mesh VirtualService
   * @param routes the VirtualRouter's routes to weight (empty: all)
   * @param canaryVirtualNode the canary VirtualNode
   * @param stableVirtualNode the stable VirtualNode
   */
  record AppMesh(
      String virtualService,
      List<String> routes,
      String canaryVirtualNode,
      String stableVirtualNode)
      implements TrafficRouting {
    public AppMesh {
      Objects.requireNonNull(virtualService, "virtualService");
      routes = List.copyOf(routes);
      Objects.requireNonNull(canaryVirtualNode, "canaryVirtualNode");
      Objects.requireNonNull(stableVirtualNode, "stableVirtualNode");
    }

    @Override
    public String describe() {
      return "App Mesh VirtualService " + virtualService;
    }
  }

  /**
   * Apache APISIX: the weights of the canary and stable backends of named HTTP rules of an
   * ApisixRoute; header routes are ApisixRoutes of their own.
   *
   * @param route the ApisixRoute
   * @param rules the HTTP rules to weight (empty: the rule named like the route)
   */
  record Apisix(String route, List<String> rules) implements TrafficRouting {
    public Apisix {
      Objects.requireNonNull(route, "route");
      rules = List.copyOf(rules);
    }

    @Override
    public String describe() {
      return "APISIX route " + route;
    }
  }

  /**
   * Traefik: the weights of the canary and stable Services of a weighted TraefikService.
   *
   * @param weightedTraefikServiceName the TraefikService
   * @param apiVersion the TraefikService's apiVersion (default {@value #DEFAULT_API_VERSION}, as
   *     Argo Rollouts; Traefik v3 serves {@code traefik.io/v1alpha1})
   */
  record Traefik(String weightedTraefikServiceName, String apiVersion) implements TrafficRouting {
    /** Argo Rollouts' default Traefik API version. */
    public static final String DEFAULT_API_VERSION = "traefik.containo.us/v1alpha1";

    public Traefik {
      Objects.requireNonNull(weightedTraefikServiceName, "weightedTraefikServiceName");
      Objects.requireNonNull(apiVersion, "apiVersion");
    }

    public Traefik(String weightedTraefikServiceName) {
      this(weightedTraefikServiceName, DEFAULT_API_VERSION);
    }

    @Override
    public String describe() {
      return "Traefik TraefikService " + weightedTraefikServiceName;
    }
  }

  /**
   * Several routers at once (e.g. NGINX and SMI): every weight and route goes to each, in order.
   *
   * @param routers two or more routers, none of them combined
   */
  record Combined(List<TrafficRouting> routers) implements TrafficRouting {
    public Combined {
      routers = List.copyOf(routers);
      if (routers.size() < 2) {
        throw new IllegalArgumentException(
            "a combination needs two or more routers, but had " + routers.size());
      }
      for (TrafficRouting r : routers) {
        if (r instanceof Combined) {
          throw new IllegalArgumentException("a combination cannot contain a combination");
        }
      }
    }

    @Override
    public String describe() {
      StringBuilder out = new StringBuilder();
      for (TrafficRouting r : routers) {
        out.append(out.length() == 0 ? "" : " + ").append(r.describe());
      }
      return out.toString();
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

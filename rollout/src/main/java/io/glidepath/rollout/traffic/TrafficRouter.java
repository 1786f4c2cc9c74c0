package io.glidepath.rollout.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.traffic.AlbRouter;
import io.glidepath.rollout.internal.traffic.AmbassadorRouter;
import io.glidepath.rollout.internal.traffic.ApisixRouter;
import io.glidepath.rollout.internal.traffic.AppMeshRouter;
import io.glidepath.rollout.internal.traffic.CombinedRouter;
import io.glidepath.rollout.internal.traffic.GatewayApiRouter;
import io.glidepath.rollout.internal.traffic.IstioRouter;
import io.glidepath.rollout.internal.traffic.NginxRouter;
import io.glidepath.rollout.internal.traffic.SmiRouter;
import io.glidepath.rollout.internal.traffic.TraefikRouter;

/**
 * The SPI that splits traffic between a canary and the stable version.
 *
 * <p>Glidepath ships {@link #istio}, {@link #gatewayApi}, {@link #nginx}, {@link #smi}, {@link
 * #alb}, {@link #ambassador}, {@link #appMesh}, {@link #apisix}, {@link #traefik} and {@link
 * #replicaRatio()} (no mesh: the weight is approximated by replica counts); {@link #forPlan} picks
 * the one (or several) a plan's {@code trafficRouting} names. Each writes the objects Argo Rollouts
 * writes, in the same shape. Every write is read back and verified: a router that cannot confirm
 * the weight throws {@link TrafficRoutingException} (Argo Rollouts bug #4741 was a VirtualService
 * update that silently did nothing).
 *
 * <pre>{@code
 * TrafficRouter router = TrafficRouter.forPlan(client, plan);
 * router.setWeight(target, 10);
 * }</pre>
 *
 * <p>The built-in routers write with field manager {@link
 * io.glidepath.rollout.driver.RolloutDriver#FIELD_MANAGER}, so a GitOps controller's self-heal does
 * not take the weights for a manual edit.
 *
 * <p>Implementations must be idempotent (the driver re-applies the persisted weight when it
 * resumes) and thread-safe.
 */
public interface TrafficRouter {
  /** The router's type, e.g. {@code istio}. */
  String type();

  /** Routes {@code canaryWeight} percent (0..100) to the canary, the rest to the stable version. */
  void setWeight(RouteTarget target, int canaryWeight);

  /**
   * Routes {@code canaryWeight} percent to the canary, each additional destination (an experiment
   * template's Service) its weight, and the rest to the stable version; destinations of an earlier
   * call that are not in {@code additional} stop receiving traffic. With no additional destination
   * this is {@link #setWeight(RouteTarget, int)}.
   *
   * @throws TrafficRoutingException if this router cannot route to additional destinations
   */
  default void setWeight(
      RouteTarget target, int canaryWeight, java.util.List<WeightDestination> additional) {
    if (!additional.isEmpty()) {
      throw new TrafficRoutingException(
          type(), target.rollout(), "traffic weights for experiment Services are not supported");
    }
    setWeight(target, canaryWeight);
  }

  /**
   * True if {@link #setWeight(RouteTarget, int, java.util.List)} takes additional destinations
   * (Istio without a DestinationRule, SMI and ALB, as in Argo Rollouts).
   */
  default boolean supportsAdditionalDestinations() {
    return false;
  }

  /**
   * Adds (or, with no matches, removes) a header-based route to the canary.
   *
   * @throws TrafficRoutingException if this router has no header routes
   */
  default void setHeaderRoute(RouteTarget target, CanaryStep.SetHeaderRoute route) {
    throw new TrafficRoutingException(type(), target.rollout(), "header routes are not supported");
  }

  /**
   * Adds (or, with no matches, removes) a mirror route to the canary.
   *
   * @throws TrafficRoutingException if this router has no mirror routes
   */
  default void setMirrorRoute(RouteTarget target, CanaryStep.SetMirrorRoute route) {
    throw new TrafficRoutingException(type(), target.rollout(), "mirror routes are not supported");
  }

  /**
   * Points the router's own selectors at the revisions, where it has any (Istio subset-level
   * routing: the DestinationRule's canary and stable subsets). The driver calls it when the
   * revisions change; the default has none.
   */
  default void pinRevisions(RouteTarget target, String canaryHash, String stableHash) {}

  /**
   * True when the weight is realised by replica counts: the driver then scales the stable
   * ReplicaSet down as the canary grows.
   */
  default boolean byReplicas() {
    return false;
  }

  /**
   * Istio: weights on the canary/stable destinations of named HTTP routes of one or more
   * VirtualServices. With several, every change is tried on a copy of each first (nothing is
   * written if one lacks a route or destination), then each is written and read back; when one
   * fails, those already written get their {@code spec.http} back and the {@link
   * TrafficRoutingException} names the one that failed and what was rolled back.
   */
  static TrafficRouter istio(KubernetesClient client, TrafficRouting.Istio routing) {
    return new IstioRouter(client, routing);
  }

  /** Gateway API: backendRefs weights of an HTTPRoute. */
  static TrafficRouter gatewayApi(KubernetesClient client, TrafficRouting.GatewayApi routing) {
    return new GatewayApiRouter(client, routing);
  }

  /** NGINX Ingress: a generated canary Ingress with the canary-weight annotation. */
  static TrafficRouter nginx(KubernetesClient client, TrafficRouting.Nginx routing) {
    return new NginxRouter(client, routing);
  }

  /** SMI: a TrafficSplit's backends weights. */
  static TrafficRouter smi(KubernetesClient client, TrafficRouting.Smi routing) {
    return new SmiRouter(client, routing);
  }

  /**
   * AWS Load Balancer Controller: the forward action annotation on the Ingresses; header routes as
   * action and condition annotations and an Ingress path, ordered as {@code managedRoutes}.
   */
  static TrafficRouter alb(
      KubernetesClient client, TrafficRouting.Alb routing, java.util.List<String> managedRoutes) {
    return new AlbRouter(client, routing, managedRoutes);
  }

  /** Ambassador: a canary Mapping per Mapping, with the canary weight. */
  static TrafficRouter ambassador(KubernetesClient client, TrafficRouting.Ambassador routing) {
    return new AmbassadorRouter(client, routing);
  }

  /** AWS App Mesh: VirtualRouter weights and VirtualNode selectors. */
  static TrafficRouter appMesh(KubernetesClient client, TrafficRouting.AppMesh routing) {
    return new AppMeshRouter(client, routing);
  }

  /** Apache APISIX: ApisixRoute backend weights; header routes as ApisixRoutes. */
  static TrafficRouter apisix(KubernetesClient client, TrafficRouting.Apisix routing) {
    return new ApisixRouter(client, routing);
  }

  /** Traefik: the weights of a weighted TraefikService. */
  static TrafficRouter traefik(KubernetesClient client, TrafficRouting.Traefik routing) {
    return new TraefikRouter(client, routing);
  }

  /** No mesh: canary and stable replica counts approximate the weight; writes nothing. */
  static TrafficRouter replicaRatio() {
    return ReplicaRatio.INSTANCE;
  }

  /** The router a plan's {@code trafficRouting} names ({@link #replicaRatio()} if none). */
  static TrafficRouter forPlan(KubernetesClient client, CanaryPlan plan) {
    if (plan.trafficRouting().isEmpty()) {
      return replicaRatio();
    }
    return of(client, plan.trafficRouting().get(), plan.managedRoutes());
  }

  private static TrafficRouter of(
      KubernetesClient client, TrafficRouting r, java.util.List<String> managedRoutes) {
    if (r instanceof TrafficRouting.Istio i) {
      return istio(client, i);
    } else if (r instanceof TrafficRouting.GatewayApi g) {
      return gatewayApi(client, g);
    } else if (r instanceof TrafficRouting.Nginx n) {
      return nginx(client, n);
    } else if (r instanceof TrafficRouting.Smi s) {
      return smi(client, s);
    } else if (r instanceof TrafficRouting.Alb a) {
      return alb(client, a, managedRoutes);
    } else if (r instanceof TrafficRouting.Ambassador a) {
      return ambassador(client, a);
    } else if (r instanceof TrafficRouting.AppMesh m) {
      return appMesh(client, m);
    } else if (r instanceof TrafficRouting.Apisix a) {
      return apisix(client, a);
    } else if (r instanceof TrafficRouting.Traefik t) {
      return traefik(client, t);
    }
    TrafficRouting.Combined c = (TrafficRouting.Combined) r;
    java.util.List<TrafficRouter> routers = new java.util.ArrayList<>();
    java.util.List<Boolean> headers = new java.util.ArrayList<>();
    java.util.List<Boolean> mirrors = new java.util.ArrayList<>();
    for (TrafficRouting each : c.routers()) {
      routers.add(of(client, each, managedRoutes));
      boolean istio = each instanceof TrafficRouting.Istio i && i.destinationRule().isEmpty();
      headers.add(
          istio || each instanceof TrafficRouting.Alb || each instanceof TrafficRouting.Apisix);
      mirrors.add(istio);
    }
    return new CombinedRouter(routers, headers, mirrors);
  }

  /** The replica-ratio router. */
  final class ReplicaRatio implements TrafficRouter {
    static final ReplicaRatio INSTANCE = new ReplicaRatio();

    private ReplicaRatio() {}

    @Override
    public String type() {
      return "replica-ratio";
    }

    @Override
    public void setWeight(RouteTarget target, int canaryWeight) {
      // the driver realises the weight through replica counts
    }

    @Override
    public boolean byReplicas() {
      return true;
    }
  }
}

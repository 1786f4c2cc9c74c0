package io.glidepath.rollout.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.traffic.GatewayApiRouter;
import io.glidepath.rollout.internal.traffic.IstioRouter;
import io.glidepath.rollout.internal.traffic.NginxRouter;
import io.glidepath.rollout.internal.traffic.SmiRouter;

/**
 * The SPI that splits traffic between a canary and the stable version.
 *
 * <p>Glidepath ships {@link #istio}, {@link #gatewayApi}, {@link #nginx}, {@link #smi} and {@link
 * #replicaRatio()} (no mesh: the weight is approximated by replica counts); {@link #forPlan} picks
 * the one a plan's {@code trafficRouting} names. Every write is read back and verified: a router
 * that cannot confirm the weight throws {@link TrafficRoutingException} (Argo Rollouts bug #4741
 * was a VirtualService update that silently did nothing).
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

  /** No mesh: canary and stable replica counts approximate the weight; writes nothing. */
  static TrafficRouter replicaRatio() {
    return ReplicaRatio.INSTANCE;
  }

  /** The router a plan's {@code trafficRouting} names ({@link #replicaRatio()} if none). */
  static TrafficRouter forPlan(KubernetesClient client, CanaryPlan plan) {
    if (plan.trafficRouting().isEmpty()) {
      return replicaRatio();
    }
    TrafficRouting r = plan.trafficRouting().get();
    if (r instanceof TrafficRouting.Istio i) {
      return istio(client, i);
    } else if (r instanceof TrafficRouting.GatewayApi g) {
      return gatewayApi(client, g);
    } else if (r instanceof TrafficRouting.Nginx n) {
      return nginx(client, n);
    } else {
      return smi(client, (TrafficRouting.Smi) r);
    }
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

package io.glidepath.rollout.internal.load;

import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.TrafficRouting;
import java.util.List;

/**
 * Parts of the Argo Rollouts specification that Glidepath reads but does not run: a plan that uses
 * one is refused at load, naming the field, rather than run without it.
 */
final class Pending {
  private static final String NOT_YET = "is not supported by Glidepath's rollout driver";

  private Pending() {}

  static void check(RolloutSpec spec, String strategy, Refusals refusals) {
    if (spec instanceof CanaryPlan c) {
      if (c.pingPong().isPresent()) {
        refusals.add(strategy + ".pingPong", NOT_YET);
      }
      c.trafficRouting().ifPresent(r -> routing(r, strategy + ".trafficRouting", refusals));
      List<CanaryStep> steps = c.steps();
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i) instanceof CanaryStep.Experiment) {
          refusals.add(strategy + ".steps[" + i + "].experiment", NOT_YET);
        }
      }
    }
  }

  private static void routing(TrafficRouting r, String path, Refusals refusals) {
    if (r instanceof TrafficRouting.Combined c) {
      refusals.add(path, "several traffic routers at once " + NOT_YET);
      return;
    }
    if (r instanceof TrafficRouting.Alb) {
      refusals.add(path + ".alb", NOT_YET);
    } else if (r instanceof TrafficRouting.Ambassador) {
      refusals.add(path + ".ambassador", NOT_YET);
    } else if (r instanceof TrafficRouting.AppMesh) {
      refusals.add(path + ".appMesh", NOT_YET);
    } else if (r instanceof TrafficRouting.Apisix) {
      refusals.add(path + ".apisix", NOT_YET);
    } else if (r instanceof TrafficRouting.Traefik) {
      refusals.add(path + ".traefik", NOT_YET);
    } else if (r instanceof TrafficRouting.Istio i) {
      for (var vs : i.virtualServices()) {
        if (!vs.tlsRoutes().isEmpty() || !vs.tcpRoutes().isEmpty()) {
          refusals.add(path + ".istio", "tlsRoutes and tcpRoutes " + NOT_YET);
        }
      }
    } else if (r instanceof TrafficRouting.Nginx n) {
      if (n.stableIngresses().size() > 1
          || !n.annotationPrefix().equals(TrafficRouting.Nginx.DEFAULT_ANNOTATION_PREFIX)
          || !n.additionalIngressAnnotations().isEmpty()
          || !n.canaryIngressAnnotations().isEmpty()) {
        refusals.add(
            path + ".nginx",
            "stableIngresses, annotationPrefix and the extra annotations " + NOT_YET);
      }
    }
  }
}

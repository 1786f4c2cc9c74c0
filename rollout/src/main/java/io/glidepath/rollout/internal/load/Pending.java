package io.glidepath.rollout.internal.load;

import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.RolloutOptions;
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
    RolloutOptions o = spec.options();
    if (o.minReadySeconds() != 0) {
      refusals.add("spec.minReadySeconds", NOT_YET);
    }
    if (o.paused()) {
      refusals.add("spec.paused", NOT_YET);
    }
    if (o.progressDeadlineAbort()) {
      refusals.add("spec.progressDeadlineAbort", NOT_YET);
    }
    if (o.rollbackWindowRevisions().isPresent()) {
      refusals.add("spec.rollbackWindow", NOT_YET);
    }
    if (o.workloadRef().isPresent()) {
      refusals.add("spec.workloadRef", NOT_YET);
    }
    if (spec instanceof CanaryPlan c) {
      if (!c.canaryMetadata().isEmpty()) {
        refusals.add(strategy + ".canaryMetadata", NOT_YET);
      }
      if (!c.stableMetadata().isEmpty()) {
        refusals.add(strategy + ".stableMetadata", NOT_YET);
      }
      if (c.antiAffinity().isPresent()) {
        refusals.add(strategy + ".antiAffinity", NOT_YET);
      }
      if (c.minPodsPerReplicaSet().isPresent()) {
        refusals.add(strategy + ".minPodsPerReplicaSet", NOT_YET);
      }
      if (c.scaleDownDelayRevisionLimit().isPresent()) {
        refusals.add(strategy + ".scaleDownDelayRevisionLimit", NOT_YET);
      }
      if (c.pingPong().isPresent()) {
        refusals.add(strategy + ".pingPong", NOT_YET);
      }
      c.trafficRouting().ifPresent(r -> routing(r, strategy + ".trafficRouting", refusals));
      List<CanaryStep> steps = c.steps();
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i) instanceof CanaryStep.Experiment) {
          refusals.add(strategy + ".steps[" + i + "].experiment", NOT_YET);
        }
        if (steps.get(i) instanceof CanaryStep.Analysis a && !a.analysis().valueFrom().isEmpty()) {
          refusals.add(strategy + ".steps[" + i + "].analysis.args", "valueFrom " + NOT_YET);
        }
      }
      c.backgroundAnalysis()
          .filter(b -> !b.analysis().valueFrom().isEmpty())
          .ifPresent(b -> refusals.add(strategy + ".analysis.args", "valueFrom " + NOT_YET));
    } else if (spec instanceof BlueGreenPlan g) {
      if (!g.previewMetadata().isEmpty()) {
        refusals.add(strategy + ".previewMetadata", NOT_YET);
      }
      if (!g.activeMetadata().isEmpty()) {
        refusals.add(strategy + ".activeMetadata", NOT_YET);
      }
      if (g.antiAffinity().isPresent()) {
        refusals.add(strategy + ".antiAffinity", NOT_YET);
      }
      if (g.scaleDownDelayRevisionLimit().isPresent()) {
        refusals.add(strategy + ".scaleDownDelayRevisionLimit", NOT_YET);
      }
      if (g.abortScaleDownDelaySeconds() != CanaryPlan.DEFAULT_SCALE_DOWN_DELAY_SECONDS) {
        refusals.add(strategy + ".abortScaleDownDelaySeconds", NOT_YET);
      }
      for (var ref :
          new java.util.ArrayList<>(List.of(g.prePromotionAnalysis(), g.postPromotionAnalysis()))) {
        ref.filter(r -> !r.valueFrom().isEmpty())
            .ifPresent(r -> refusals.add(strategy, "analysis valueFrom " + NOT_YET));
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

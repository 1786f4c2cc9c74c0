package io.glidepath.rollout.internal.load;

import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.RolloutSpec;
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
      List<CanaryStep> steps = c.steps();
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i) instanceof CanaryStep.Experiment e) {
          for (int t = 0; t < e.templates().size(); t++) {
            if (e.templates().get(t).weight().isPresent()) {
              refusals.add(
                  strategy + ".steps[" + i + "].experiment.templates[" + t + "].weight",
                  "traffic weights for experiment ReplicaSets " + NOT_YET);
            }
          }
        }
      }
    }
  }
}

package io.glidepath.rollout;

import io.glidepath.analysis.AnalysisTemplate;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Argo Rollouts {@code Rollout} as Glidepath runs it: a {@link CanaryPlan} or a {@link
 * BlueGreenPlan}, by its strategy. {@code ArgoRollouts} (package {@code .load}) reads one from
 * YAML; a {@code switch} over the two covers every rollout:
 *
 * <pre>{@code
 * RolloutSpec spec = ArgoRollouts.ofDefaults().rollout(Path.of("rollout.yaml"));
 * Rollout running = switch (spec) {
 *   case CanaryPlan canary -> driver.start(canary);
 *   case BlueGreenPlan blueGreen -> driver.start(blueGreen);
 * };
 * }</pre>
 */
public sealed interface RolloutSpec permits CanaryPlan, BlueGreenPlan {
  /** The workload's name. */
  String name();

  String namespace();

  /** spec.replicas. */
  int replicas();

  /** The pod template (a copy). */
  ObjectNode podTemplate();

  /** The Rollout-level settings both strategies share. */
  RolloutOptions options();

  /** The AnalysisTemplates the plan refers to, by name. */
  Map<String, AnalysisTemplate> templates();

  /** The ClusterAnalysisTemplates the plan refers to with clusterScope, by name. */
  Map<String, AnalysisTemplate> clusterTemplates();

  /** A human-readable timeline. */
  String describe();
}

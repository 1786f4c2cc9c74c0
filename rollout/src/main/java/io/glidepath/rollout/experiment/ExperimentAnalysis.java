package io.glidepath.rollout.experiment;

import io.glidepath.rollout.ArgumentSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An analysis an experiment runs alongside its ReplicaSets.
 *
 * <p>Literal argument values may use {@code {{templates.<name>.podTemplateHash}}} and {@code
 * {{templates.<name>.replicaset.name}}}, replaced when the experiment's ReplicaSets exist.
 *
 * @param name the analysis' name within the experiment
 * @param templateName the AnalysisTemplate (or, with clusterScope, ClusterAnalysisTemplate)
 * @param clusterScope whether {@code templateName} names a ClusterAnalysisTemplate
 * @param args literal argument values
 * @param valueFrom arguments looked up when the experiment starts (in a Rollout step)
 * @param requiredForCompletion the experiment lasts until this analysis completes
 */
public record ExperimentAnalysis(
    String name,
    String templateName,
    boolean clusterScope,
    Map<String, String> args,
    Map<String, ArgumentSource> valueFrom,
    boolean requiredForCompletion) {
  public ExperimentAnalysis {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(templateName, "templateName");
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    valueFrom = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(valueFrom));
  }

  /** An analysis of {@code templateName} without arguments. */
  public static ExperimentAnalysis of(String name, String templateName) {
    return new ExperimentAnalysis(name, templateName, false, Map.of(), Map.of(), false);
  }
}

package io.glidepath.rollout.load;

import io.glidepath.analysis.AnalysisTemplate;
import java.util.Objects;

/**
 * An Argo Rollouts {@code AnalysisRun} document: the metrics, arguments (with their values),
 * dry-run and retention rules of one run, as an {@link AnalysisTemplate}, and whether it is
 * terminated.
 *
 * <p>Run it like a template: {@code AnalysisRun.start(spec.template().resolve(Map.of(), resolver),
 * providers, scheduler, listener)}; with {@link #terminate()} terminate it at once. Glidepath keeps
 * no AnalysisRun object in the cluster, so {@code spec.ttlStrategy} has nothing to delete.
 *
 * @param name the run's name ({@code metadata.name} or {@code generateName})
 * @param namespace its namespace
 * @param template the run's metrics, arguments and rules
 * @param terminate {@code spec.terminate}: the run is to stop (its metrics are assessed as
 *     terminated)
 */
public record AnalysisRunSpec(
    String name, String namespace, AnalysisTemplate template, boolean terminate) {
  public AnalysisRunSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(template, "template");
  }
}

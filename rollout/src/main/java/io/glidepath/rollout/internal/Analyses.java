package io.glidepath.rollout.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.RolloutSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an {@link AnalysisRef} into one resolved template, as Argo merges a step's templates. */
public final class Analyses {
  private Analyses() {}

  /**
   * The referenced templates (AnalysisTemplates, or ClusterAnalysisTemplates where the reference is
   * cluster-scoped) resolved with the reference's arguments and {@code looked up} values
   * (valueFrom), merged into one, with the reference's own dry-run and retention rules added.
   */
  public static AnalysisTemplate merged(
      RolloutSpec plan, AnalysisRef ref, Map<String, String> lookedUp) {
    return merged(plan.templates(), plan.clusterTemplates(), ref, lookedUp);
  }

  public static AnalysisTemplate merged(
      Map<String, AnalysisTemplate> templates,
      Map<String, AnalysisTemplate> clusterTemplates,
      AnalysisRef ref,
      Map<String, String> lookedUp) {
    Map<String, String> args = new LinkedHashMap<>(ref.args());
    args.putAll(lookedUp);
    AnalysisTemplate.Builder b = null;
    AnalysisTemplate single = null;
    for (String name : ref.templates()) {
      AnalysisTemplate t = lookup(ref.isClusterScoped(name) ? clusterTemplates : templates, name);
      AnalysisTemplate resolved = t.resolve(args);
      if (ref.templates().size() == 1
          && ref.dryRun().isEmpty()
          && ref.measurementRetention().isEmpty()) {
        single = resolved;
        break;
      }
      if (b == null) {
        b =
            AnalysisTemplate.newBuilder(String.join("+", ref.templates()))
                .source(resolved.source());
        resolved.namespace().ifPresent(b::namespace);
      }
      for (Metric m : resolved.metrics()) {
        b.addMetric(m);
      }
      resolved.dryRun().forEach(b::addDryRun);
      resolved.measurementRetention().forEach(b::addMeasurementRetention);
    }
    if (single != null) {
      return single;
    }
    ref.dryRun().forEach(b::addDryRun);
    ref.measurementRetention().forEach(b::addMeasurementRetention);
    return b.build();
  }

  private static AnalysisTemplate lookup(Map<String, AnalysisTemplate> templates, String name) {
    AnalysisTemplate t = templates.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no analysis template '" + name + "'");
    }
    return t;
  }
}

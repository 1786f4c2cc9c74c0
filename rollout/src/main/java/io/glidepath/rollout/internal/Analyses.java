package io.glidepath.rollout.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.CanaryPlan;
import java.util.Map;

/** Turns an {@link AnalysisRef} into one resolved template, as Argo merges a step's templates. */
public final class Analyses {
  private Analyses() {}

  /**
   * The referenced templates resolved with the reference's arguments and merged into one, so that
   * one run judges all their metrics together.
   */
  public static AnalysisTemplate merged(CanaryPlan plan, AnalysisRef ref) {
    return merged(plan.templates(), ref);
  }

  public static AnalysisTemplate merged(Map<String, AnalysisTemplate> templates, AnalysisRef ref) {
    if (ref.templates().size() == 1) {
      return lookup(templates, ref.templates().get(0)).resolve(ref.args());
    }
    AnalysisTemplate.Builder b = null;
    for (String name : ref.templates()) {
      AnalysisTemplate resolved = lookup(templates, name).resolve(ref.args());
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

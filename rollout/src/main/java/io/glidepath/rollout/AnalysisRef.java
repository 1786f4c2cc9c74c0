package io.glidepath.rollout;

import io.glidepath.analysis.AnalysisTemplate.MeasurementRetention;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A reference to analysis templates with argument values, as in a Rollout's {@code analysis} step
 * or background analysis: {@code new AnalysisRef(List.of("success-rate"), Map.of("service-name",
 * "trade-service"))}.
 *
 * @param templates the template names, in order
 * @param args argument values by name (insertion order kept)
 * @param valueFrom arguments whose value is looked up when the run starts (a pod-template hash, a
 *     field of the Rollout)
 * @param clusterScoped the names in {@code templates} that name ClusterAnalysisTemplates ({@code
 *     clusterScope: true})
 * @param dryRun the reference's own dry-run metric patterns, added to the templates'
 * @param measurementRetention the reference's own retention rules, added to the templates'
 */
public record AnalysisRef(
    List<String> templates,
    Map<String, String> args,
    Map<String, ArgumentSource> valueFrom,
    Set<String> clusterScoped,
    List<String> dryRun,
    List<MeasurementRetention> measurementRetention) {
  public AnalysisRef {
    templates = List.copyOf(templates);
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(args)));
    valueFrom =
        java.util.Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(valueFrom)));
    clusterScoped = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(clusterScoped));
    dryRun = List.copyOf(dryRun);
    measurementRetention = List.copyOf(measurementRetention);
    for (String name : valueFrom.keySet()) {
      if (args.containsKey(name)) {
        throw new IllegalArgumentException(
            "argument '" + name + "' must not have both a value and valueFrom");
      }
    }
  }

  /** Templates and literal argument values only. */
  public AnalysisRef(List<String> templates, Map<String, String> args) {
    this(templates, args, Map.of(), Set.of(), List.of(), List.of());
  }

  /** A reference to {@code templates} without arguments. */
  public static AnalysisRef of(String... templates) {
    return new AnalysisRef(List.of(templates), Map.of());
  }

  /** This reference with one more argument value. */
  public AnalysisRef withArg(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(args);
    m.put(name, value);
    Map<String, ArgumentSource> from = new LinkedHashMap<>(valueFrom);
    from.remove(name);
    return new AnalysisRef(templates, m, from, clusterScoped, dryRun, measurementRetention);
  }

  /** This reference with an argument looked up when the run starts. */
  public AnalysisRef withArg(String name, ArgumentSource source) {
    Map<String, String> m = new LinkedHashMap<>(args);
    m.remove(name);
    Map<String, ArgumentSource> from = new LinkedHashMap<>(valueFrom);
    from.put(name, source);
    return new AnalysisRef(templates, m, from, clusterScoped, dryRun, measurementRetention);
  }

  /** True when {@code template} is looked up among ClusterAnalysisTemplates. */
  public boolean isClusterScoped(String template) {
    return clusterScoped.contains(template);
  }
}

package io.glidepath.rollout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reference to analysis templates with argument values, as in a Rollout's {@code analysis} step
 * or background analysis: {@code new AnalysisRef(List.of("success-rate"), Map.of("service-name",
 * "trade-service"))}.
 *
 * @param templates the template names, in order
 * @param args argument values by name (insertion order kept)
 */
public record AnalysisRef(List<String> templates, Map<String, String> args) {
  public AnalysisRef {
    templates = List.copyOf(templates);
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(args)));
  }

  /** A reference to {@code templates} without arguments. */
  public static AnalysisRef of(String... templates) {
    return new AnalysisRef(List.of(templates), Map.of());
  }

  /** This reference with one more argument value. */
  public AnalysisRef withArg(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(args);
    m.put(name, value);
    return new AnalysisRef(templates, m);
  }
}

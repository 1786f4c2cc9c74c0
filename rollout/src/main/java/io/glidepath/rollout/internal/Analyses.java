package io.glidepath.rollout.internal;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.ArgumentResolver;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.RolloutSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an {@link AnalysisRef} into one resolved template, as Argo merges a step's templates. */
public final class Analyses {
  private Analyses() {}

  /**
   * The referenced templates (AnalysisTemplates, or ClusterAnalysisTemplates where the reference is
   * cluster-scoped) flattened into one as Argo does ({@link AnalysisTemplate#combine}), with the
   * reference's own dry-run and retention rules merged in, resolved with the reference's arguments
   * and {@code looked up} values (valueFrom); template arguments' own {@code valueFrom} through
   * {@code resolver}.
   *
   * @throws IllegalArgumentException if the templates collide or a substituted field is invalid
   * @throws io.glidepath.analysis.MissingArgumentException if an argument ends without a value
   */
  public static AnalysisTemplate merged(
      RolloutSpec plan, AnalysisRef ref, Map<String, String> lookedUp, ArgumentResolver resolver) {
    return merged(plan.templates(), plan.clusterTemplates(), ref, lookedUp, resolver);
  }

  /** {@link #merged(RolloutSpec, AnalysisRef, Map, ArgumentResolver)} without resolving. */
  public static AnalysisTemplate flattened(
      Map<String, AnalysisTemplate> templates,
      Map<String, AnalysisTemplate> clusterTemplates,
      AnalysisRef ref) {
    List<AnalysisTemplate> list = new ArrayList<>();
    for (String name : ref.templates()) {
      list.add(lookup(ref.isClusterScoped(name) ? clusterTemplates : templates, name));
    }
    return AnalysisTemplate.combine(String.join("+", ref.templates()), list)
        .withRunRules(ref.dryRun(), ref.measurementRetention());
  }

  public static AnalysisTemplate merged(
      Map<String, AnalysisTemplate> templates,
      Map<String, AnalysisTemplate> clusterTemplates,
      AnalysisRef ref,
      Map<String, String> lookedUp,
      ArgumentResolver resolver) {
    Map<String, String> args = new LinkedHashMap<>(ref.args());
    args.putAll(lookedUp);
    return flattened(templates, clusterTemplates, ref).resolve(args, resolver);
  }

  /**
   * What Argo would refuse when forming the run of {@code ref}, every template being present: the
   * templates' flattening (colliding metrics, rules or argument values), a dry-run or retention
   * rule that matches no metric, and an argument that ends without a value ({@code given}: the
   * argument names the analysis supplies). Each problem is a field under the reference ({@code
   * templates}, {@code dryRun}, {@code measurementRetention}, {@code args}) and a message.
   */
  public static List<Map.Entry<String, String>> check(
      Map<String, AnalysisTemplate> templates,
      Map<String, AnalysisTemplate> clusterTemplates,
      AnalysisRef ref,
      java.util.Set<String> given) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    AnalysisTemplate flat;
    try {
      flat = flattened(templates, clusterTemplates, ref);
    } catch (IllegalArgumentException e) {
      out.add(Map.entry("templates", e.getMessage()));
      return out;
    }
    try {
      flat.checkRules();
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("dryRun") ? "dryRun" : "measurementRetention";
      out.add(
          Map.entry(
              field,
              e.getMessage() + " (rules of the analysis first, then of its templates, in order)"));
    }
    for (io.glidepath.analysis.Argument arg : flat.args()) {
      if (arg.value().isEmpty() && arg.valueFrom().isEmpty() && !given.contains(arg.name())) {
        out.add(
            Map.entry(
                "args",
                "gives no value for argument '"
                    + arg.name()
                    + "' of "
                    + (ref.templates().size() == 1
                        ? "template '" + ref.templates().get(0) + "'"
                        : "templates " + ref.templates())
                    + " (args."
                    + arg.name()
                    + " was not resolved)"));
      }
    }
    return out;
  }

  private static AnalysisTemplate lookup(Map<String, AnalysisTemplate> templates, String name) {
    AnalysisTemplate t = templates.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no analysis template '" + name + "'");
    }
    return t;
  }
}

package io.glidepath.analysis;

import io.glidepath.analysis.internal.ArgSubstitution;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Something in an AnalysisTemplate that works but is unsafe, found before anything runs: today, a
 * condition that splices an argument's text into code ({@code result[0] < {{args.threshold}}}),
 * where the argument {@code 2 || true} makes the condition always true.
 *
 * <pre>{@code
 * for (TemplateWarning w : TemplateWarning.check(template)) {
 *   System.err.println("warning: " + w.message());
 * }
 * }</pre>
 *
 * <p>A command that validates templates (such as {@code glidepath validate}) reports these as
 * warnings, not errors: Argo Rollouts substitutes the same way, and such templates are valid.
 *
 * @param template the template's name
 * @param metric the metric's name
 * @param field {@code successCondition} or {@code failureCondition}
 * @param argument the argument spliced into code
 * @param message the whole warning, naming all of the above and what to do
 */
public record TemplateWarning(
    String template, String metric, String field, String argument, String message) {
  public TemplateWarning {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(argument, "argument");
    Objects.requireNonNull(message, "message");
  }

  /** The warnings of an unresolved template (one with its {@code {{args.NAME}}} placeholders). */
  public static List<TemplateWarning> check(AnalysisTemplate template) {
    List<TemplateWarning> out = new ArrayList<>();
    for (Metric m : template.metrics()) {
      m.successCondition().ifPresent(c -> splices(template, m, "successCondition", c, out));
      m.failureCondition().ifPresent(c -> splices(template, m, "failureCondition", c, out));
    }
    return out;
  }

  private static void splices(
      AnalysisTemplate t, Metric m, String field, String condition, List<TemplateWarning> out) {
    for (String arg : ArgSubstitution.argumentsInCode(condition)) {
      out.add(
          new TemplateWarning(
              t.name(),
              m.name(),
              field,
              arg,
              "template "
                  + t.name()
                  + ", metric "
                  + m.name()
                  + ": "
                  + field
                  + " splices argument '"
                  + arg
                  + "' into the expression, so its text becomes code (the value '2 || true'"
                  + " makes a comparison always true); bind arguments as values"
                  + " (ArgumentBinding.VARIABLES, glidepath analyze --bind-args)"));
    }
  }
}

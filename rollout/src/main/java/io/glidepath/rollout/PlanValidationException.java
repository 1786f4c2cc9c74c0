package io.glidepath.rollout;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A plan that breaks a rule; {@link #problems()} lists every broken rule with the step index it
 * concerns, e.g. {@code steps[3].setWeight must be within 0..100, but was 120}.
 */
public final class PlanValidationException extends RolloutException {
  private static final long serialVersionUID = 1L;

  /**
   * One broken rule.
   *
   * @param stepIndex the 0-based step index, empty for strategy-level fields
   * @param field the field path, e.g. {@code steps[3].setWeight} or {@code canaryService}
   * @param message the rule and the actual value
   */
  public record Problem(Optional<Integer> stepIndex, String field, String message) {
    public Problem {
      Objects.requireNonNull(stepIndex, "stepIndex");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return field + " " + message;
    }
  }

  private final String plan;
  private final transient List<Problem> problems;

  public PlanValidationException(String plan, List<Problem> problems) {
    super(
        "plan '"
            + plan
            + "' is invalid: "
            + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.plan = plan;
    this.problems = List.copyOf(problems);
  }

  /** The plan's name. */
  public String plan() {
    return plan;
  }

  /** Every broken rule, in step order. */
  public List<Problem> problems() {
    return problems;
  }

  /** The step index of the first problem that concerns a step. */
  public Optional<Integer> stepIndex() {
    return problems.stream().flatMap(p -> p.stepIndex().stream()).findFirst();
  }
}

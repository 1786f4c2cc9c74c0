package io.glidepath.rollout.simulate;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.rollout.internal.simulate.Reports;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link RolloutSimulator} run decided: the outcome, when, why, the decision timeline and
 * every metric's measurements with its thresholds. Renders as text, JSON and a self-contained HTML
 * report with SVG charts.
 *
 * @param plan the plan's name
 * @param scenario the scenario or recording the metrics came from
 * @param outcome promoted, rolled back or paused
 * @param elapsed virtual time from the start to the outcome
 * @param reason why (the failed metric and its measurements for a rollback)
 * @param timeline the decisions and measurements, in order
 * @param series each metric's measurements
 */
public record SimulationResult(
    String plan,
    String scenario,
    Outcome outcome,
    Duration elapsed,
    String reason,
    List<Entry> timeline,
    List<Series> series) {
  public SimulationResult {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(reason, "reason");
    timeline = List.copyOf(timeline);
    series = List.copyOf(series);
  }

  /** How a simulated rollout ended, with the CLI's exit code. */
  public enum Outcome {
    PROMOTED(0),
    ROLLED_BACK(1),
    PAUSED(4);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    /**
     * {@code glidepath simulate}'s exit code: 0 promoted, 1 rolled back (the command line's "not
     * good"), 4 paused.
     */
    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * One line of the timeline.
   *
   * @param at virtual time since the start
   * @param type the event type ({@code STEP_STARTED}, {@code MEASUREMENT}, {@code ABORTED}, ...)
   * @param step the step index
   * @param weight the canary weight, in percent (of maxTrafficWeight when the plan sets one)
   * @param message what happened
   */
  public record Entry(Duration at, String type, int step, int weight, String message) {}

  /**
   * A condition's numeric threshold, when it has the form {@code result[0] OP number}.
   *
   * @param operator {@code >=}, {@code >}, {@code <=}, {@code <} or {@code ==}
   * @param value the number
   * @param condition the condition's text
   */
  public record Threshold(String operator, double value, String condition) {}

  /**
   * One measurement of a metric.
   *
   * @param at virtual time since the start
   * @param value the first number of the value, if any
   * @param phase the measurement's phase
   * @param analysis {@code background} or {@code step N}
   */
  public record Point(Duration at, OptionalDouble value, AnalysisPhase phase, String analysis) {}

  /**
   * A metric's measurements and thresholds.
   *
   * @param metric the metric's name
   * @param success the success condition's threshold
   * @param failure the failure condition's threshold
   * @param points the measurements, oldest first
   */
  public record Series(
      String metric, Optional<Threshold> success, Optional<Threshold> failure, List<Point> points) {
    public Series {
      points = List.copyOf(points);
    }
  }

  /** The timeline and the outcome as plain text. */
  public String toText() {
    return Reports.text(this);
  }

  /** The result as a JSON object. */
  public ObjectNode toJson() {
    return Reports.json(this);
  }

  /** A self-contained HTML page: the timeline and an SVG chart per metric. */
  public String toHtml() {
    return Reports.html(this);
  }
}

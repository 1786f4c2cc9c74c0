package io.glidepath.rollout.internal.simulate;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.Metric;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.simulate.SimulationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Collects a simulated rollout's events into a {@link SimulationResult}. */
public final class Recorder implements RolloutListener {
  private static final Pattern THRESHOLD =
      Pattern.compile(
          "^\\s*result(?:\\[0\\])?\\s*(>=|<=|==|>|<)\\s*([-+]?[0-9.]+(?:[eE][-+]?\\d+)?)\\s*$");

  private final String rollout;
  private final Map<String, AnalysisTemplate> templates;
  private final Instant start;
  private final List<SimulationResult.Entry> timeline = new ArrayList<>();
  private final Map<String, List<SimulationResult.Point>> points = new LinkedHashMap<>();
  private Instant lastDecision;

  private final int totalWeight;

  /**
   * A recorder of the events of {@code rollout}; weights are recorded as percentages of {@code
   * totalWeight} (the plan's maxTrafficWeight).
   */
  public Recorder(
      String rollout, Map<String, AnalysisTemplate> templates, Instant start, int totalWeight) {
    this.totalWeight = totalWeight;
    this.rollout = rollout;
    this.templates = templates;
    this.start = start;
  }

  @Override
  public synchronized void onEvent(RolloutEvent e) {
    Duration at = Duration.between(start, e.at());
    timeline.add(
        new SimulationResult.Entry(
            at,
            e.type().name(),
            e.stepIndex(),
            (int) Math.round(e.weight() * 100.0 / totalWeight),
            e.message()));
    switch (e.type()) {
      case MEASUREMENT -> {
        Measurement m = e.measurement().orElseThrow();
        OptionalDouble value =
            m.value()
                .filter(v -> !v.numbers().isEmpty())
                .map(v -> OptionalDouble.of(v.numbers().get(0)))
                .orElse(OptionalDouble.empty());
        String analysis = e.message().startsWith("background") ? "background" : "step analysis";
        points
            .computeIfAbsent(e.metric().orElseThrow(), k -> new ArrayList<>())
            .add(new SimulationResult.Point(at, value, m.phase(), analysis));
      }
      case ABORTED, PROMOTED, PAUSED -> lastDecision = e.at();
      default -> {}
    }
  }

  public synchronized Optional<Instant> lastDecision() {
    return Optional.ofNullable(lastDecision);
  }

  public synchronized SimulationResult result(
      String source, SimulationResult.Outcome outcome, Duration elapsed, String reason) {
    List<SimulationResult.Series> series = new ArrayList<>();
    for (Map.Entry<String, List<SimulationResult.Point>> e : points.entrySet()) {
      Optional<Metric> metric = metric(e.getKey());
      series.add(
          new SimulationResult.Series(
              e.getKey(),
              metric.flatMap(Metric::successCondition).flatMap(Recorder::threshold),
              metric.flatMap(Metric::failureCondition).flatMap(Recorder::threshold),
              e.getValue()));
    }
    return new SimulationResult(rollout, source, outcome, elapsed, reason, timeline, series);
  }

  private Optional<Metric> metric(String name) {
    for (AnalysisTemplate t : templates.values()) {
      Optional<Metric> m = t.metric(name);
      if (m.isPresent()) {
        return m;
      }
    }
    return Optional.empty();
  }

  static Optional<SimulationResult.Threshold> threshold(String condition) {
    Matcher m = THRESHOLD.matcher(condition);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new SimulationResult.Threshold(
            m.group(1), Double.parseDouble(m.group(2)), condition.trim()));
  }
}

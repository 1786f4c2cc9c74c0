package io.glidepath.analysis;

import io.glidepath.analysis.condition.Condition;
import io.glidepath.analysis.condition.ConditionEvaluationException;
import io.glidepath.analysis.condition.ConditionSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Argo Rollouts' analysis rules as pure functions of a template and measurement histories: no
 * clock, no provider, no threads. Use it to unit-test templates without a metrics server.
 *
 * <h2>One measurement ({@link #evaluate(Metric, MetricValue)})</h2>
 *
 * <table>
 *   <caption>measurement phase</caption>
 *   <tr><th>conditions set</th><th>outcome</th></tr>
 *   <tr><td>success and failure</td><td>failure true: Failed; else success true: Successful;
 *       else Inconclusive</td></tr>
 *   <tr><td>only success</td><td>true: Successful; else Failed</td></tr>
 *   <tr><td>only failure</td><td>true: Failed; else Successful</td></tr>
 *   <tr><td>neither</td><td>Successful</td></tr>
 *   <tr><td>provider or evaluation error</td><td>Error</td></tr>
 * </table>
 *
 * <p>The success condition is evaluated first; an error in either condition makes the measurement
 * Error, as does a condition that substituted arguments made invalid.
 *
 * <h2>One metric ({@link #record}, {@link #assessMetric})</h2>
 *
 * <p>Counters: Successful/Failed/Inconclusive measurements add to {@code count} and reset {@code
 * consecutiveError}; errors add to {@code error} and {@code consecutiveError} but not to {@code
 * count}; any measurement but a Successful one resets {@code consecutiveSuccess}. After each
 * measurement, in this order:
 *
 * <table>
 *   <caption>metric phase</caption>
 *   <tr><th>#</th><th>rule</th><th>phase</th></tr>
 *   <tr><td>1</td><td>failureLimit &gt;= 0 and failed &gt; failureLimit</td><td>Failed</td></tr>
 *   <tr><td>2</td><td>inconclusive &gt; inconclusiveLimit</td><td>Inconclusive (overrides 1)</td></tr>
 *   <tr><td>3</td><td>consecutiveError &gt; consecutiveErrorLimit</td><td>Error (overrides 1 and
 *       2)</td></tr>
 *   <tr><td>4</td><td>successLimit set and successful + (count limit - count) &lt; successLimit
 *       </td><td>Failed (the article's successLimit can no longer be reached)</td></tr>
 *   <tr><td>5</td><td>consecutiveSuccessLimit &gt; 0 and consecutiveSuccess &gt;=
 *       consecutiveSuccessLimit</td><td>Successful</td></tr>
 *   <tr><td>6</td><td>count reached (count; 1 without interval; never with interval and no
 *       count)</td><td>both failureLimit (&gt;= 0) and consecutiveSuccessLimit (&gt; 0) apply:
 *       Inconclusive; only consecutiveSuccessLimit: Failed; otherwise Successful</td></tr>
 *   <tr><td>7</td><td>run terminating</td><td>Successful; <b>but Error if every measurement
 *       errored</b> (deliberate fix of Argo issue #4479, where such a metric passed)</td></tr>
 *   <tr><td>8</td><td>none of the above</td><td>Running</td></tr>
 * </table>
 *
 * <p>Without measurements a metric is Pending (Successful if the run is terminating). A completed
 * metric keeps its phase: later measurements are ignored, as Argo takes none.
 *
 * <h2>The run ({@link #assessRun})</h2>
 *
 * <p>The run is terminating when termination is requested or any non-dry-run metric is Failed,
 * Error or Inconclusive; then every unfinished metric is assessed as terminating (rule 7). The run
 * is Running until every metric is completed; then its phase is the worst phase of its non-dry-run
 * metrics in the order {@code Successful < Running < Pending < Inconclusive < Error < Failed}
 * (Successful if all metrics are dry-run). Dry-run metrics are reported but never change the run's
 * phase.
 *
 * <p>Example: {@code AnalysisEvaluator.assessMetric(metric, List.of(Measurement.of(FAILED), ...),
 * false).phase()}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AnalysisEvaluator {
  private AnalysisEvaluator() {}

  /**
   * The phase of one measurement and a message.
   *
   * @param phase Successful, Failed, Inconclusive or Error
   * @param message the evaluation error, or empty
   */
  public record Outcome(AnalysisPhase phase, String message) {
    public Outcome {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Judges one provider value with the metric's conditions (table above). */
  public static Outcome evaluate(Metric metric, MetricValue value) {
    boolean hasSuccess = metric.successCondition().isPresent();
    boolean hasFailure = metric.failureCondition().isPresent();
    boolean success = false;
    boolean failure = false;
    try {
      if (hasSuccess) {
        success =
            Condition.compile(metric.successCondition().get()).test(value, metric.conditionArgs());
      }
      if (hasFailure) {
        failure =
            Condition.compile(metric.failureCondition().get()).test(value, metric.conditionArgs());
      }
    } catch (ConditionEvaluationException | ConditionSyntaxException e) {
      // a syntax error here comes from a condition that arguments made invalid
      // (Metric#lenientConditions): the measurement is Error, as in Argo
      return new Outcome(AnalysisPhase.ERROR, e.getMessage());
    }
    if (!hasSuccess && !hasFailure) {
      return new Outcome(AnalysisPhase.SUCCESSFUL, "");
    }
    if (hasSuccess && !hasFailure) {
      failure = !success;
    } else if (!hasSuccess) {
      success = !failure;
    }
    if (failure) {
      return new Outcome(AnalysisPhase.FAILED, "");
    }
    return new Outcome(success ? AnalysisPhase.SUCCESSFUL : AnalysisPhase.INCONCLUSIVE, "");
  }

  /** Folds a history into a metric result (retaining the default 10 measurements). */
  public static MetricResult assessMetric(
      Metric metric, List<Measurement> history, boolean terminating) {
    return assessMetric(
        metric, history, false, AnalysisTemplate.DEFAULT_MEASUREMENT_RETENTION, terminating);
  }

  /** Folds a history into a metric result. */
  public static MetricResult assessMetric(
      Metric metric,
      List<Measurement> history,
      boolean dryRun,
      int retention,
      boolean terminating) {
    MetricResult result = MetricResult.pending(metric.name(), dryRun);
    for (Measurement m : history) {
      result = record(metric, result, m, retention);
    }
    return terminating ? terminate(metric, result) : result;
  }

  /**
   * Adds one measurement to a metric's result and reassesses its phase. A completed result is
   * returned unchanged.
   */
  public static MetricResult record(
      Metric metric, MetricResult previous, Measurement measurement, int retention) {
    if (previous.phase().isCompleted()) {
      return previous;
    }
    if (retention < 1) {
      throw new IllegalArgumentException("retention must be >= 1, but was " + retention);
    }
    int count = previous.count();
    int successful = previous.successful();
    int failed = previous.failed();
    int inconclusive = previous.inconclusive();
    int error = previous.error();
    int consecutiveError = previous.consecutiveError();
    int consecutiveSuccess = previous.consecutiveSuccess();
    switch (measurement.phase()) {
      case SUCCESSFUL -> {
        successful++;
        count++;
        consecutiveError = 0;
        consecutiveSuccess++;
      }
      case FAILED -> {
        failed++;
        count++;
        consecutiveError = 0;
        consecutiveSuccess = 0;
      }
      case INCONCLUSIVE -> {
        inconclusive++;
        count++;
        consecutiveError = 0;
        consecutiveSuccess = 0;
      }
      default -> {
        error++;
        consecutiveError++;
        consecutiveSuccess = 0;
      }
    }
    List<Measurement> kept = new ArrayList<>(previous.measurements());
    kept.add(measurement);
    while (kept.size() > retention) {
      kept.remove(0);
    }
    MetricResult counted =
        new MetricResult(
            previous.name(),
            AnalysisPhase.RUNNING,
            kept,
            count,
            successful,
            failed,
            inconclusive,
            error,
            consecutiveError,
            consecutiveSuccess,
            measurement.message(),
            previous.dryRun());
    return assess(metric, counted, false);
  }

  /** Reassesses an unfinished metric as the run terminates (rule 7). */
  public static MetricResult terminate(Metric metric, MetricResult result) {
    if (result.phase().isCompleted()) {
      return result;
    }
    return assess(metric, result, true);
  }

  private static MetricResult assess(Metric metric, MetricResult r, boolean terminating) {
    if (r.measurementsTaken() == 0) {
      return terminating
          ? r.with(AnalysisPhase.SUCCESSFUL, "run terminated before the first measurement")
          : r.with(AnalysisPhase.PENDING, "");
    }
    AnalysisPhase phase = null;
    String why = "";
    if (metric.failureLimit() >= 0 && r.failed() > metric.failureLimit()) {
      phase = AnalysisPhase.FAILED;
      why = "failed (" + r.failed() + ") > failureLimit (" + metric.failureLimit() + ")";
    }
    if (r.inconclusive() > metric.inconclusiveLimit()) {
      phase = AnalysisPhase.INCONCLUSIVE;
      why =
          "inconclusive ("
              + r.inconclusive()
              + ") > inconclusiveLimit ("
              + metric.inconclusiveLimit()
              + ")";
    }
    if (r.consecutiveError() > metric.consecutiveErrorLimit()) {
      phase = AnalysisPhase.ERROR;
      why =
          "consecutiveErrors ("
              + r.consecutiveError()
              + ") > consecutiveErrorLimit ("
              + metric.consecutiveErrorLimit()
              + ")";
    }
    if (phase != null) {
      return r.with(phase, withLastError(why, r));
    }
    OptionalInt effectiveCount = metric.effectiveCount();
    if (metric.successLimit().isPresent()) {
      int limit = metric.successLimit().getAsInt();
      int left = Math.max(0, effectiveCount.getAsInt() - r.count());
      if (r.successful() + left < limit) {
        return r.with(
            AnalysisPhase.FAILED,
            "successLimit ("
                + limit
                + ") can no longer be reached: "
                + r.successful()
                + " successful, "
                + left
                + " measurements left");
      }
    }
    int csl = metric.consecutiveSuccessLimit();
    if (csl > 0 && r.consecutiveSuccess() >= csl) {
      return r.with(
          AnalysisPhase.SUCCESSFUL,
          "consecutiveSuccess ("
              + r.consecutiveSuccess()
              + ") >= consecutiveSuccessLimit ("
              + csl
              + ")");
    }
    if (effectiveCount.isPresent() && r.count() >= effectiveCount.getAsInt()) {
      boolean failureApplies = metric.failureLimit() >= 0;
      boolean successApplies = csl > 0;
      if (failureApplies && successApplies) {
        return r.with(
            AnalysisPhase.INCONCLUSIVE,
            "count (" + r.count() + ") reached without consecutiveSuccessLimit (" + csl + ")");
      }
      if (successApplies) {
        return r.with(
            AnalysisPhase.FAILED,
            "count (" + r.count() + ") reached without consecutiveSuccessLimit (" + csl + ")");
      }
      return r.with(AnalysisPhase.SUCCESSFUL, "count (" + r.count() + ") reached");
    }
    if (terminating) {
      if (r.count() == 0) {
        return r.with(
            AnalysisPhase.ERROR,
            withLastError("run terminated and every measurement (" + r.error() + ") errored", r));
      }
      return r.with(AnalysisPhase.SUCCESSFUL, "run terminated");
    }
    return r.with(AnalysisPhase.RUNNING, r.message());
  }

  private static String withLastError(String why, MetricResult r) {
    if (r.measurements().isEmpty()) {
      return why;
    }
    Measurement last = r.measurements().get(r.measurements().size() - 1);
    if (last.phase() == AnalysisPhase.ERROR && !last.message().isEmpty()) {
      return why + ": " + last.message();
    }
    return why;
  }

  /**
   * The run's result from its metrics' histories.
   *
   * @param template the (resolved) template; gives the metrics, dry-run rules and retention
   * @param histories measurements per metric name, oldest first; a missing name has none
   * @param terminateRequested true if the run was asked to stop (e.g. the rollout ended)
   */
  public static AnalysisResult assessRun(
      AnalysisTemplate template,
      Map<String, List<Measurement>> histories,
      boolean terminateRequested) {
    List<MetricResult> results = new ArrayList<>();
    for (Metric m : template.metrics()) {
      results.add(
          assessMetric(
              m,
              histories.getOrDefault(m.name(), List.of()),
              template.isDryRun(m.name()),
              template.retentionFor(m.name()),
              false));
    }
    return assessRun(template, results, terminateRequested);
  }

  /** True if the run must stop: termination requested or a non-dry-run metric went bad. */
  public static boolean isTerminating(List<MetricResult> results, boolean terminateRequested) {
    if (terminateRequested) {
      return true;
    }
    for (MetricResult r : results) {
      if (!r.dryRun()
          && (r.phase() == AnalysisPhase.FAILED
              || r.phase() == AnalysisPhase.ERROR
              || r.phase() == AnalysisPhase.INCONCLUSIVE)) {
        return true;
      }
    }
    return false;
  }

  /** The run's result from its metrics' current results (see the class documentation). */
  public static AnalysisResult assessRun(
      AnalysisTemplate template, List<MetricResult> current, boolean terminateRequested) {
    boolean terminating = isTerminating(current, terminateRequested);
    List<MetricResult> results = new ArrayList<>();
    for (MetricResult r : current) {
      Metric metric =
          template
              .metric(r.name())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no metric '" + r.name() + "' in template " + template.name()));
      results.add(terminating ? terminate(metric, r) : r);
    }
    AnalysisPhase worst = null;
    String message = "";
    boolean everythingCompleted = true;
    for (MetricResult r : results) {
      if (!r.phase().isCompleted()) {
        everythingCompleted = false;
      } else if (!r.dryRun()) {
        if (worst == null || r.phase().isWorseThan(worst)) {
          worst = r.phase();
          message =
              r.phase() == AnalysisPhase.SUCCESSFUL
                  ? ""
                  : "Metric \"" + r.name() + "\" assessed " + r.phase() + " due to " + r.message();
        }
      } else if (worst == null) {
        worst = AnalysisPhase.SUCCESSFUL;
      }
    }
    AnalysisPhase phase;
    if (terminating) {
      phase = worst == null ? AnalysisPhase.SUCCESSFUL : worst;
    } else if (!everythingCompleted || worst == null) {
      phase = AnalysisPhase.RUNNING;
      message = "";
    } else {
      phase = worst;
    }
    return new AnalysisResult(phase, results, message);
  }
}

package io.glidepath.analysis;

import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One execution of a (resolved) analysis template: takes each metric's measurements on a scheduler,
 * judges them with {@link AnalysisEvaluator}, emits events and completes with the run's result.
 *
 * <p>Scheduling is Argo Rollouts': the first measurement after {@code initialDelay}, the next one
 * {@code interval} after the previous finished, and an errored measurement retried after {@value
 * #ERROR_RETRY_SECONDS} s. The run stops early as soon as a non-dry-run metric is Failed, Error or
 * Inconclusive; {@link #terminate()} stops it from outside (unfinished metrics then count as
 * Successful, unless every measurement errored).
 *
 * <pre>{@code
 * AnalysisRun run = AnalysisRun.start(template.resolve(args), providers,
 *     AnalysisScheduler.of(executor, Clock.systemUTC()), AnalysisListener.NONE);
 * AnalysisResult result = run.completion().join();
 * }</pre>
 *
 * <p>{@link #replay} runs the same logic in virtual time: measurement {@code i} is taken at {@code
 * at + i * interval} (errors retried 10 s later) without waiting, which with a provider that
 * queries at the evaluation time (Prometheus) re-runs an analysis over past data.
 *
 * <p>Thread-safe.
 */
public final class AnalysisRun {
  /** Seconds before an errored measurement is retried (Argo's DefaultErrorRetryInterval). */
  public static final long ERROR_RETRY_SECONDS = 10;

  private static final Duration ERROR_RETRY = Duration.ofSeconds(ERROR_RETRY_SECONDS);

  private final String name;
  private final AnalysisTemplate template;
  private final MetricProviders providers;
  private final AnalysisScheduler scheduler;
  private final AnalysisListener listener;
  private final Map<String, MetricResult> results = new LinkedHashMap<>();
  private final Map<String, AnalysisScheduler.Cancellable> pending = new HashMap<>();
  private final CompletableFuture<AnalysisResult> completion = new CompletableFuture<>();
  private final Instant startedAt;
  private final java.util.Set<String> announced = new java.util.HashSet<>();
  private boolean terminateRequested;
  private AnalysisResult current;

  private AnalysisRun(
      String name,
      AnalysisTemplate template,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      AnalysisListener listener) {
    this.name = Objects.requireNonNull(name, "name");
    this.template = template;
    this.providers = Objects.requireNonNull(providers, "providers");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.startedAt = scheduler.now();
    if (template != null) {
      for (Metric m : template.metrics()) {
        results.put(m.name(), MetricResult.pending(m.name(), template.isDryRun(m.name())));
      }
    }
    this.current = new AnalysisResult(AnalysisPhase.RUNNING, List.copyOf(results.values()), "");
  }

  /**
   * Starts a run: schedules every metric's first measurement.
   *
   * <p>A template Argo would refuse to run completes the run at once as Error with {@code Analysis
   * spec invalid: ...}: a dry-run or retention rule that matches no metric ({@link
   * AnalysisTemplate#checkRules()}).
   *
   * @param template a template whose arguments are resolved ({@link AnalysisTemplate#resolve})
   * @throws IllegalArgumentException if a metric still holds an argument (the template was not
   *     resolved)
   */
  public static AnalysisRun start(
      AnalysisTemplate template,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      AnalysisListener listener) {
    for (Metric m : template.metrics()) {
      if (!m.unresolvedFields().isEmpty()) {
        throw new IllegalArgumentException(
            "metric '"
                + m.name()
                + "' holds unresolved arguments "
                + m.unresolvedFields()
                + "; resolve the template first");
      }
    }
    try {
      template.checkRules();
    } catch (IllegalArgumentException e) {
      return invalid(template.name(), e.getMessage(), scheduler, listener);
    }
    AnalysisRun run = new AnalysisRun(template.name(), template, providers, scheduler, listener);
    synchronized (run) {
      for (Metric m : template.metrics()) {
        run.scheduleMeasurement(m, m.initialDelay().orElse(Duration.ZERO));
      }
    }
    return run;
  }

  /**
   * A run that could not be formed (say its arguments could not be resolved): it completes at once
   * as Error with the message {@code Analysis spec invalid: <problem>}, as Argo marks such a run,
   * and tells the listener.
   *
   * @param name the analysis' name, for messages
   * @param problem what is wrong
   */
  public static AnalysisRun invalid(
      String name, String problem, AnalysisScheduler scheduler, AnalysisListener listener) {
    AnalysisRun run = new AnalysisRun(name, null, MetricProviders.of(), scheduler, listener);
    AnalysisResult done =
        new AnalysisResult(AnalysisPhase.ERROR, List.of(), "Analysis spec invalid: " + problem);
    synchronized (run) {
      run.current = done;
    }
    run.announce(done);
    return run;
  }

  /**
   * Runs an analysis over past data in virtual time and returns its result: the run starts at
   * {@code at}, measurement {@code i} of a metric is taken at {@code at + initialDelay + i *
   * interval} without waiting. Every metric must have a count (or no interval).
   *
   * @throws IllegalArgumentException if a metric would run forever
   */
  public static AnalysisResult replay(
      AnalysisTemplate template, MetricProviders providers, Instant at, AnalysisListener listener) {
    for (Metric m : template.metrics()) {
      if (m.effectiveCount().isEmpty()) {
        throw new IllegalArgumentException(
            "metric '" + m.name() + "' has an interval but no count and would replay forever");
      }
    }
    VirtualScheduler scheduler = VirtualScheduler.at(at);
    AnalysisRun run = start(template, providers, scheduler, listener);
    scheduler.runUntilIdle(Integer.MAX_VALUE);
    return run.result();
  }

  /** The run's result so far (phase Running until it completes). */
  public synchronized AnalysisResult result() {
    return current;
  }

  /** Completes with the final result. */
  public CompletableFuture<AnalysisResult> completion() {
    return completion.copy();
  }

  /** When the run started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** Stops the run: no further measurements; unfinished metrics are assessed as terminated. */
  public void terminate() {
    AnalysisResult done;
    synchronized (this) {
      if (current.isCompleted()) {
        return;
      }
      terminateRequested = true;
      done = reassess();
    }
    announce(done);
  }

  private void scheduleMeasurement(Metric metric, Duration delay) {
    pending.put(metric.name(), scheduler.schedule(delay, () -> measure(metric)));
  }

  private void measure(Metric metric) {
    synchronized (this) {
      pending.remove(metric.name());
      if (current.isCompleted() || results.get(metric.name()).phase().isCompleted()) {
        return;
      }
    }
    Instant started = scheduler.now();
    Measurement measurement = take(metric, started);
    AnalysisResult done;
    synchronized (this) {
      if (current.isCompleted()) {
        return;
      }
      MetricResult before = results.get(metric.name());
      MetricResult after =
          AnalysisEvaluator.record(
              metric, before, measurement, template.retentionFor(metric.name()));
      results.put(metric.name(), after);
      listener.measurementTaken(metric.name(), measurement);
      if (!after.phase().isCompleted()) {
        Duration next =
            measurement.phase() == AnalysisPhase.ERROR || metric.interval().isEmpty()
                ? ERROR_RETRY
                : metric.interval().get();
        scheduleMeasurement(metric, next);
      }
      done = reassess();
    }
    announce(done);
  }

  private Measurement take(Metric metric, Instant started) {
    Optional<MetricProvider> provider = providers.find(metric.provider().type());
    if (provider.isEmpty()) {
      return Measurement.error(
          started, "no metric provider registered for type '" + metric.provider().type() + "'");
    }
    try {
      MetricValue value =
          provider.get().measure(new MeasurementRequest(template.name(), metric, started));
      AnalysisEvaluator.Outcome outcome = AnalysisEvaluator.evaluate(metric, value);
      return new Measurement(
          outcome.phase(), started, later(started), Optional.of(value), redact(outcome.message()));
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Measurement(
          AnalysisPhase.ERROR, started, later(started), Optional.empty(), redact(message));
    }
  }

  private Instant later(Instant started) {
    Instant now = scheduler.now();
    return now.isBefore(started) ? started : now;
  }

  private String redact(String message) {
    String out = message;
    for (String secret : template.sensitiveValues()) {
      out = out.replace(secret, "*****");
    }
    return out;
  }

  /** Recomputes the run's result; returns it if the run just completed, else null. */
  private AnalysisResult reassess() {
    List<MetricResult> list = new ArrayList<>(results.values());
    AnalysisResult next = AnalysisEvaluator.assessRun(template, list, terminateRequested);
    current = next;
    if (next.isCompleted()) {
      for (MetricResult r : next.metrics()) {
        results.put(r.name(), r);
      }
      pending.values().forEach(AnalysisScheduler.Cancellable::cancel);
      pending.clear();
      return next;
    }
    return null;
  }

  private void announce(AnalysisResult done) {
    List<MetricResult> newlyCompleted = new ArrayList<>();
    synchronized (this) {
      for (MetricResult r : current.metrics()) {
        if (r.phase().isCompleted() && announced.add(r.name())) {
          newlyCompleted.add(r);
        }
      }
    }
    for (MetricResult r : newlyCompleted) {
      listener.metricCompleted(r);
    }
    if (done != null) {
      listener.runCompleted(done);
      completion.complete(done);
    }
  }

  @Override
  public String toString() {
    return "AnalysisRun[" + name + ", " + result().phase() + "]";
  }
}

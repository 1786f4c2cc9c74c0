package io.glidepath.analysis;

import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.Observation;
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
 * <p>A provider whose measurement takes time (the {@code job} provider) answers {@link
 * Observation.Running}: the run polls it until it has a verdict, and when the run ends first it
 * asks the provider to terminate it; the measurement then counts as Successful with the message
 * {@value #TERMINATED_MESSAGE}, as in Argo Rollouts. When a metric's retained measurements exceed
 * its retention the provider may garbage-collect (Argo deletes old Jobs).
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

  /** The message of a running measurement stopped because its run ended (Argo's). */
  public static final String TERMINATED_MESSAGE = "Metric Terminated";

  private static final Duration ERROR_RETRY = Duration.ofSeconds(ERROR_RETRY_SECONDS);

  /** A measurement a provider is still taking. */
  private static final class InFlight {
    final Metric metric;
    final MetricProvider provider;
    final MeasurementRequest request;
    final Instant startedAt;
    Observation.Running running;

    InFlight(
        Metric metric,
        MetricProvider provider,
        MeasurementRequest request,
        Instant startedAt,
        Observation.Running running) {
      this.metric = metric;
      this.provider = provider;
      this.request = request;
      this.startedAt = startedAt;
      this.running = running;
    }
  }

  private final String name;
  private final AnalysisTemplate template; // null for an invalid run
  private final MetricProviders providers;
  private final AnalysisScheduler scheduler;
  private final AnalysisListener listener;
  private final RunIdentity identity;
  private final boolean replaying;
  private final Map<String, MetricResult> results = new LinkedHashMap<>();
  private final Map<String, AnalysisScheduler.Cancellable> pending = new HashMap<>();
  private final Map<String, InFlight> inflight = new HashMap<>();
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
      AnalysisListener listener,
      RunIdentity identity,
      boolean replaying) {
    this.name = Objects.requireNonNull(name, "name");
    this.template = template;
    this.providers = Objects.requireNonNull(providers, "providers");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.replaying = replaying;
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
    return start(template, providers, scheduler, listener, defaultIdentity(template));
  }

  /**
   * Starts a run with a given identity: the name, uid, namespace and owner that providers which
   * create resources (the {@code job} provider) name and own them by. Invalid templates make an
   * Error run as with {@link #start(AnalysisTemplate, MetricProviders, AnalysisScheduler,
   * AnalysisListener)}.
   *
   * @param template a template whose arguments are resolved ({@link AnalysisTemplate#resolve})
   * @throws IllegalArgumentException if a metric still holds an argument (the template was not
   *     resolved)
   */
  public static AnalysisRun start(
      AnalysisTemplate template,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      AnalysisListener listener,
      RunIdentity identity) {
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
      return invalid(identity, e.getMessage(), scheduler, listener);
    }
    return begin(template, providers, scheduler, listener, identity, false);
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
    return invalid(RunIdentity.of(name), problem, scheduler, listener);
  }

  /**
   * Like {@link #invalid(String, String, AnalysisScheduler, AnalysisListener)}, for a run's
   * identity.
   */
  public static AnalysisRun invalid(
      RunIdentity identity,
      String problem,
      AnalysisScheduler scheduler,
      AnalysisListener listener) {
    AnalysisRun run =
        new AnalysisRun(
            identity.name(), null, MetricProviders.of(), scheduler, listener, identity, false);
    AnalysisResult done =
        new AnalysisResult(AnalysisPhase.ERROR, List.of(), "Analysis spec invalid: " + problem);
    synchronized (run) {
      run.current = done;
    }
    run.announce(done);
    return run;
  }

  private static RunIdentity defaultIdentity(AnalysisTemplate template) {
    return template.namespace().isPresent()
        ? RunIdentity.of(template.name(), template.namespace().get())
        : RunIdentity.of(template.name());
  }

  private static AnalysisRun begin(
      AnalysisTemplate template,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      AnalysisListener listener,
      RunIdentity identity,
      boolean replaying) {
    AnalysisRun run =
        new AnalysisRun(
            template.name(), template, providers, scheduler, listener, identity, replaying);
    synchronized (run) {
      for (Metric m : template.metrics()) {
        run.scheduleMeasurement(m, m.initialDelay().orElse(Duration.ZERO));
      }
    }
    return run;
  }

  /**
   * Runs an analysis over past data in virtual time and returns its result: the run starts at
   * {@code at}, measurement {@code i} of a metric is taken at {@code at + initialDelay + i *
   * interval} without waiting. Every metric must have a count (or no interval). A measurement that
   * runs over time (a Job) cannot be replayed: it is terminated and recorded as Error.
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
    AnalysisRun run =
        begin(template, providers, scheduler, listener, defaultIdentity(template), true);
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

  /** Who the run is (name, uid, namespace, owner). */
  public RunIdentity identity() {
    return identity;
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
    int attempt;
    synchronized (this) {
      pending.remove(metric.name());
      if (current.isCompleted() || results.get(metric.name()).phase().isCompleted()) {
        return;
      }
      attempt = results.get(metric.name()).measurementsTaken() + 1;
    }
    Instant started = scheduler.now();
    MeasurementRequest request =
        new MeasurementRequest(template.name(), metric, started, identity, attempt);
    Optional<MetricProvider> provider = providers.find(metric.provider().type());
    if (provider.isEmpty()) {
      complete(
          metric,
          request,
          null,
          Measurement.error(
              started,
              "no metric provider registered for type '" + metric.provider().type() + "'"));
      return;
    }
    Observation observation;
    try {
      observation = provider.get().start(request);
    } catch (RuntimeException e) {
      complete(metric, request, provider.get(), failure(started, e));
      return;
    }
    observed(new InFlight(metric, provider.get(), request, started, null), observation);
  }

  private void poll(InFlight f) {
    synchronized (this) {
      pending.remove(f.metric.name());
      if (inflight.get(f.metric.name()) != f) {
        return; // terminated meanwhile
      }
    }
    Observation observation;
    try {
      observation = f.provider.poll(f.request, f.running);
    } catch (RuntimeException e) {
      synchronized (this) {
        if (inflight.get(f.metric.name()) != f) {
          return;
        }
        inflight.remove(f.metric.name());
      }
      complete(f.metric, f.request, f.provider, failure(f.startedAt, e));
      return;
    }
    observed(f, observation);
  }

  /** Records a finished observation, or keeps polling a running one. */
  private void observed(InFlight f, Observation observation) {
    if (observation instanceof Observation.Running running) {
      boolean orphaned;
      synchronized (this) {
        boolean known = inflight.get(f.metric.name()) == f;
        orphaned = current.isCompleted() || (f.running != null && !known);
        if (!orphaned && !replaying) {
          f.running = running;
          inflight.put(f.metric.name(), f);
          pending.put(f.metric.name(), scheduler.schedule(running.pollAfter(), () -> poll(f)));
          return;
        }
        inflight.remove(f.metric.name());
      }
      // the run ended while the provider started it, or it cannot be replayed: stop it
      Measurement stopped = stop(f, running);
      if (!orphaned) {
        complete(
            f.metric,
            f.request,
            f.provider,
            Measurement.error(
                f.startedAt,
                f.metric.provider().type()
                    + " measurements run over time and cannot be replayed"
                    + (stopped.phase() == AnalysisPhase.ERROR ? ": " + stopped.message() : "")));
      }
      return;
    }
    synchronized (this) {
      if (f.running != null) {
        if (inflight.get(f.metric.name()) != f) {
          return;
        }
        inflight.remove(f.metric.name());
      }
    }
    complete(f.metric, f.request, f.provider, finished(f.metric, f.startedAt, observation));
  }

  private Measurement finished(Metric metric, Instant started, Observation observation) {
    if (observation instanceof Observation.Judged judged) {
      return new Measurement(
          judged.phase(), started, later(started), judged.value(), redact(judged.message()));
    }
    MetricValue value = ((Observation.Value) observation).value();
    AnalysisEvaluator.Outcome outcome = AnalysisEvaluator.evaluate(metric, value);
    return new Measurement(
        outcome.phase(), started, later(started), Optional.of(value), redact(outcome.message()));
  }

  private Measurement failure(Instant started, RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new Measurement(
        AnalysisPhase.ERROR, started, later(started), Optional.empty(), redact(message));
  }

  /** Asks the provider to stop a running measurement: Successful "Metric Terminated" or Error. */
  private Measurement stop(InFlight f, Observation.Running running) {
    try {
      f.provider.terminate(f.request, running);
      return new Measurement(
          AnalysisPhase.SUCCESSFUL,
          f.startedAt,
          later(f.startedAt),
          Optional.empty(),
          TERMINATED_MESSAGE);
    } catch (RuntimeException e) {
      return failure(f.startedAt, e);
    }
  }

  private void complete(
      Metric metric, MeasurementRequest request, MetricProvider provider, Measurement measurement) {
    AnalysisResult done;
    boolean collect;
    int retention = template.retentionFor(metric.name());
    synchronized (this) {
      if (current.isCompleted()) {
        return;
      }
      MetricResult before = results.get(metric.name());
      MetricResult after = AnalysisEvaluator.record(metric, before, measurement, retention);
      collect = after != before && before.measurements().size() + 1 > retention;
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
    if (collect && provider != null) {
      try {
        provider.garbageCollect(request, retention);
      } catch (RuntimeException e) {
        // best effort, as in Argo: the next collection keeps the newest `retention` again
      }
    }
    announce(done);
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
    if (!inflight.isEmpty() && AnalysisEvaluator.isTerminating(list, terminateRequested)) {
      // Argo terminates in-flight measurements before it assesses a terminating run
      for (InFlight f : new ArrayList<>(inflight.values())) {
        inflight.remove(f.metric.name());
        Measurement m = stop(f, f.running);
        String name = f.metric.name();
        results.put(
            name,
            AnalysisEvaluator.record(f.metric, results.get(name), m, template.retentionFor(name)));
        listener.measurementTaken(name, m);
      }
      list = new ArrayList<>(results.values());
    }
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

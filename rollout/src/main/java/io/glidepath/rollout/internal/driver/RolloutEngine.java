package io.glidepath.rollout.internal.driver;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.MetricResult;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BackgroundAnalysis;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.Analyses;
import io.glidepath.rollout.internal.PodTemplateHash;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state machine of one rollout revision. Level-triggered: each {@link #reconcile()} reads the
 * persisted status, makes the cluster match it (idempotently), then advances by persisting the next
 * status before acting on it.
 */
public final class RolloutEngine implements Rollout, Stoppable {
  /** What every engine of a driver shares. */
  public record Context(
      RolloutCluster cluster,
      Function<CanaryPlan, TrafficRouter> routers,
      MetricProviders providers,
      AnalysisScheduler scheduler,
      List<RolloutListener> listeners,
      String identity,
      Duration pollInterval,
      Duration leaseDuration) {}

  private static final String BACKGROUND = "background";

  private final Context ctx;
  private final CanaryPlan plan;
  private final String hash;
  private final TrafficRouter router;
  private final RouteTarget target;
  private final Map<String, String> selector;
  private final ObjectNode podTemplate;

  private AnalysisRun stepRun;
  private int stepRunIndex = -1;
  private Instant stepRunStepStart;
  private AnalysisRun backgroundRun;
  private AnalysisScheduler.Cancellable wake;
  private Instant wakeAt;
  // read by measurement events outside the engine's lock
  private volatile int appliedWeight = -1;
  private int announcedWeight;
  private volatile int currentStep;
  private volatile boolean stopped;
  private boolean leased;
  private RolloutStatus last;

  public RolloutEngine(Context ctx, CanaryPlan plan) {
    this.ctx = ctx;
    this.plan = plan;
    this.podTemplate = plan.podTemplate();
    this.hash = PodTemplateHash.of(podTemplate);
    this.router = ctx.routers().apply(plan);
    this.target =
        new RouteTarget(
            plan.namespace(),
            plan.name(),
            plan.canaryService().orElse(""),
            plan.stableService().orElse(""));
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : podTemplate.path("metadata").path("labels").properties()) {
      labels.put(e.getKey(), e.getValue().asString());
    }
    if (labels.isEmpty()) {
      labels.put("app", plan.name());
    }
    this.selector = Map.copyOf(labels);
  }

  @Override
  public String namespace() {
    return plan.namespace();
  }

  @Override
  public String name() {
    return plan.name();
  }

  @Override
  public String revision() {
    return hash;
  }

  @Override
  public RolloutStatus status() {
    return ctx.cluster()
        .loadStatus(plan.namespace(), plan.name())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "rollout " + plan.namespace() + "/" + plan.name() + " has no status yet"));
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    cancelWake();
    dropStepRun();
    dropBackgroundRun();
  }

  // ------------------------------------------------------------------ reconcile

  @Override
  public synchronized void reconcile() {
    if (stopped) {
      return;
    }
    try {
      leased = false;
      reconcileOnce();
      if (leased && last != null && !last.isPromoted() && !last.aborted()) {
        // renew the lease while the rollout is active, or a second driver would take it over in
        // the middle of a long pause or analysis and the two would keep restarting the analysis
        scheduleWake(now().plus(ctx.leaseDuration().dividedBy(3)));
      }
    } catch (RuntimeException e) {
      // the API server or the mesh failed us: look again later, from the persisted status
      appliedWeight = -1;
      dispatch(
          new RolloutEvent(
              plan.namespace(),
              plan.name(),
              RolloutEvent.Type.ERROR,
              now(),
              -1,
              0,
              e.getClass().getSimpleName() + ": " + e.getMessage(),
              Optional.empty(),
              Optional.empty()));
      scheduleWake(now().plus(ctx.pollInterval()));
    }
  }

  private Instant now() {
    return ctx.scheduler().now();
  }

  private void reconcileOnce() {
    Instant now = now();
    if (!ctx.cluster()
        .tryAcquireLease(plan.namespace(), plan.name(), ctx.identity(), now, ctx.leaseDuration())) {
      dropStepRun();
      dropBackgroundRun();
      appliedWeight = -1;
      scheduleWake(now.plus(ctx.pollInterval()));
      return;
    }
    leased = true;
    Optional<RolloutStatus> loaded = ctx.cluster().loadStatus(plan.namespace(), plan.name());
    loaded.ifPresent(l -> last = l);
    loaded.ifPresent(l -> currentStep = l.stepIndex());
    RolloutStatus s;
    if (loaded.isEmpty()) {
      s = save(RolloutStatus.stable(hash, now));
      emit(RolloutEvent.Type.STARTED, s, "first deployment of revision " + hash);
    } else {
      s = loaded.get();
      if (!s.canaryHash().equals(hash) && !s.stableHash().equals(hash)) {
        String abandoned = s.canaryHash().equals(s.stableHash()) ? null : s.canaryHash();
        s = save(RolloutStatus.start(hash, s.stableHash(), now));
        dropStepRun();
        dropBackgroundRun();
        if (abandoned != null) {
          scale(abandoned, 0);
        }
        emit(RolloutEvent.Type.STARTED, s, "revision " + hash + " replaces " + s.stableHash());
      } else if (s.stableHash().equals(hash) && !s.canaryHash().equals(hash)) {
        // the template went back to the stable revision: no steps, the canary goes away
        String abandoned = s.canaryHash();
        s = save(RolloutStatus.stable(hash, now));
        dropStepRun();
        dropBackgroundRun();
        scale(abandoned, 0);
        emit(RolloutEvent.Type.STARTED, s, "back to stable revision " + hash);
      }
    }
    if (s.isPromoted()) {
      ensurePromoted(s, now);
      return;
    }
    if (s.aborted()) {
      ensureAborted(s, now);
      return;
    }
    ensureProgressing(s);
    s = background(s, now);
    if (s.aborted() || s.phase() == RolloutPhase.PAUSED) {
      return;
    }
    advance(s, now);
  }

  private void advance(RolloutStatus s, Instant now) {
    List<CanaryStep> steps = plan.steps();
    for (int guard = 0; guard <= steps.size() + 1; guard++) {
      if (guard > 0) {
        // the background analysis starts as soon as its starting step is reached, not at the
        // next wake-up, so that its timing does not depend on when the driver happens to look
        s = background(s, now);
        if (s.aborted() || s.phase() == RolloutPhase.PAUSED) {
          return;
        }
      }
      int i = s.stepIndex();
      if (stepRun != null && (stepRunIndex != i || !s.stepStartedAt().equals(stepRunStepStart))) {
        dropStepRun();
      }
      if (s.promoteFull() || i >= steps.size()) {
        complete(s, now);
        return;
      }
      CanaryStep step = steps.get(i);
      if (step instanceof CanaryStep.SetWeight w) {
        int need = canaryReplicas(s);
        scale(s.canaryHash(), need);
        if (available(s.canaryHash()) < need) {
          scheduleWake(now.plus(ctx.pollInterval()));
          return;
        }
        s = save(s.withWeight(w.weight()).nextStep(now));
        applyWeight(s, w.weight());
        scale(s.stableHash(), stableReplicas(s));
      } else if (step instanceof CanaryStep.Pause p) {
        if (p.duration().isEmpty()) {
          s = save(s.paused(RolloutStatus.PAUSE_STEP, "paused at step " + i + " until promoted"));
          emit(RolloutEvent.Type.PAUSED, s, s.message());
          return;
        }
        Instant until = s.stepStartedAt().plus(p.duration().get());
        if (now.isBefore(until)) {
          scheduleWake(until);
          return;
        }
        s = save(s.nextStep(now));
      } else if (step instanceof CanaryStep.Analysis a) {
        if (stepRun == null) {
          stepRun = startRun(a.analysis(), "step " + i);
          stepRunIndex = i;
          stepRunStepStart = s.stepStartedAt();
          emit(
              RolloutEvent.Type.ANALYSIS_STARTED,
              s,
              "step " + i + " analysis " + a.analysis().templates());
        }
        AnalysisResult result = stepRun.result();
        if (!result.isCompleted()) {
          return;
        }
        dropStepRun();
        emit(
            RolloutEvent.Type.ANALYSIS_COMPLETED,
            s,
            "step "
                + i
                + " analysis "
                + result.phase()
                + (result.message().isEmpty() ? "" : ": " + result.message()));
        if (result.phase() == AnalysisPhase.SUCCESSFUL) {
          s = save(s.nextStep(now));
        } else if (result.phase() == AnalysisPhase.INCONCLUSIVE) {
          s =
              save(
                  s.paused(
                      RolloutStatus.PAUSE_INCONCLUSIVE,
                      "step " + i + " analysis " + describe(result)));
          emit(RolloutEvent.Type.PAUSED, s, s.message());
          return;
        } else {
          abort(s, now, "step " + i + " analysis " + describe(result));
          return;
        }
      } else if (step instanceof CanaryStep.SetCanaryScale c) {
        OptionalInt scale;
        if (c.replicas().isPresent()) {
          scale = c.replicas();
        } else if (c.weight().isPresent()) {
          scale = OptionalInt.of(ceilPercent(plan.replicas(), c.weight().getAsInt()));
        } else {
          scale = OptionalInt.empty();
        }
        s = save(s.withCanaryScale(scale).nextStep(now));
        ensureProgressing(s);
      } else if (step instanceof CanaryStep.SetHeaderRoute h) {
        router.setHeaderRoute(target, h);
        s = save(s.nextStep(now));
      } else if (step instanceof CanaryStep.SetMirrorRoute m) {
        router.setMirrorRoute(target, m);
        s = save(s.nextStep(now));
      }
      emit(RolloutEvent.Type.STEP_STARTED, s, stepText(s.stepIndex()));
    }
  }

  private String stepText(int index) {
    if (index >= plan.steps().size()) {
      return "all steps done";
    }
    return "step " + index + " " + plan.steps().get(index).kind();
  }

  private void complete(RolloutStatus s, Instant now) {
    if (available(s.canaryHash()) < plan.replicas()) {
      scale(s.canaryHash(), plan.replicas());
      scheduleWake(now.plus(ctx.pollInterval()));
      return;
    }
    RolloutStatus done = save(s.promotedAt(now, "revision " + s.canaryHash() + " promoted"));
    dropStepRun();
    dropBackgroundRun();
    ensurePromoted(done, now);
    removeManagedRoutes();
    emit(RolloutEvent.Type.PROMOTED, done, done.message());
  }

  private void abort(RolloutStatus s, Instant now, String why) {
    RolloutStatus a = save(s.abortedAt(now, why));
    dropStepRun();
    dropBackgroundRun();
    applyWeight(a, 0);
    emit(RolloutEvent.Type.ABORTED, a, why);
    ensureAborted(a, now);
    removeManagedRoutes();
  }

  // ------------------------------------------------------------------ ensure (idempotent)

  private void ensureProgressing(RolloutStatus s) {
    int canary = canaryReplicas(s);
    ctx.cluster()
        .ensureReplicaSet(
            plan.namespace(), plan.name(), s.canaryHash(), podTemplate, selector, canary);
    scale(s.stableHash(), stableReplicas(s));
    pin(s.canaryHash(), s.stableHash());
    if (appliedWeight != s.weight()) {
      applyWeight(s, s.weight());
    }
  }

  private void ensureAborted(RolloutStatus s, Instant now) {
    scale(s.stableHash(), plan.replicas());
    pin(s.canaryHash(), s.stableHash());
    if (appliedWeight != 0) {
      applyWeight(s, 0);
    }
    Instant downAt = s.abortedAt().orElse(now).plusSeconds(plan.abortScaleDownDelaySeconds());
    if (now.isBefore(downAt)) {
      scheduleWake(downAt);
    } else {
      scale(s.canaryHash(), 0);
    }
  }

  private void ensurePromoted(RolloutStatus s, Instant now) {
    ctx.cluster()
        .ensureReplicaSet(
            plan.namespace(), plan.name(), s.stableHash(), podTemplate, selector, plan.replicas());
    pin(s.stableHash(), s.stableHash());
    if (appliedWeight != 0 && s.previousStableHash().isPresent()) {
      applyWeight(s, 0);
    }
    if (s.previousStableHash().isPresent()) {
      Instant downAt = s.completedAt().orElse(now).plusSeconds(plan.scaleDownDelaySeconds());
      if (now.isBefore(downAt)) {
        scheduleWake(downAt);
      } else {
        scale(s.previousStableHash().get(), 0);
      }
    }
  }

  /** Header and mirror routes live only while the canary does, as in Argo Rollouts. */
  private void removeManagedRoutes() {
    for (CanaryStep step : plan.steps()) {
      if (step instanceof CanaryStep.SetHeaderRoute h && !h.match().isEmpty()) {
        router.setHeaderRoute(target, new CanaryStep.SetHeaderRoute(h.name(), List.of()));
      } else if (step instanceof CanaryStep.SetMirrorRoute m && !m.match().isEmpty()) {
        router.setMirrorRoute(
            target, new CanaryStep.SetMirrorRoute(m.name(), m.percentage(), List.of()));
      }
    }
  }

  private void pin(String canaryHash, String stableHash) {
    plan.canaryService()
        .ifPresent(svc -> ctx.cluster().pinService(plan.namespace(), svc, canaryHash));
    plan.stableService()
        .ifPresent(svc -> ctx.cluster().pinService(plan.namespace(), svc, stableHash));
  }

  private void scale(String revision, int replicas) {
    ctx.cluster()
        .ensureReplicaSet(plan.namespace(), plan.name(), revision, podTemplate, selector, replicas);
  }

  private int available(String revision) {
    return ctx.cluster().availableReplicas(plan.namespace(), plan.name(), revision);
  }

  private void applyWeight(RolloutStatus s, int weight) {
    router.setWeight(target, weight);
    appliedWeight = weight;
    if (announcedWeight != weight) {
      announcedWeight = weight;
      emit(RolloutEvent.Type.WEIGHT_CHANGED, s.withWeight(weight), "canary weight " + weight);
    }
  }

  /** Stable replicas: all of them, unless the weight is realised by replica counts. */
  private int stableReplicas(RolloutStatus s) {
    return router.byReplicas() || plan.dynamicStableScale()
        ? Math.max(0, plan.replicas() - ceilPercent(plan.replicas(), s.weight()))
        : plan.replicas();
  }

  /** Canary replicas for the status: setCanaryScale, else the current step's target weight. */
  private int canaryReplicas(RolloutStatus s) {
    if (s.promoteFull() || s.stepIndex() >= plan.steps().size()) {
      return plan.replicas();
    }
    if (s.canaryScale().isPresent()) {
      return s.canaryScale().getAsInt();
    }
    int weight = s.weight();
    for (int i = 0; i <= s.stepIndex() && i < plan.steps().size(); i++) {
      if (plan.steps().get(i) instanceof CanaryStep.SetWeight w) {
        weight = w.weight();
      }
    }
    return ceilPercent(plan.replicas(), weight);
  }

  private static int ceilPercent(int replicas, int percent) {
    return (int) Math.ceil(replicas * percent / 100.0);
  }

  // ------------------------------------------------------------------ analysis

  private RolloutStatus background(RolloutStatus s, Instant now) {
    Optional<BackgroundAnalysis> bg = plan.backgroundAnalysis();
    if (bg.isEmpty()
        || s.backgroundVerdict().isPresent()
        || s.stepIndex() < bg.get().startingStep()) {
      return s;
    }
    if (backgroundRun == null) {
      backgroundRun = startRun(bg.get().analysis(), BACKGROUND);
      emit(
          RolloutEvent.Type.ANALYSIS_STARTED,
          s,
          "background analysis " + bg.get().analysis().templates());
    }
    AnalysisResult result = backgroundRun.result();
    if (!result.isCompleted()) {
      return s;
    }
    backgroundRun = null;
    emit(
        RolloutEvent.Type.ANALYSIS_COMPLETED,
        s,
        "background analysis "
            + result.phase()
            + (result.message().isEmpty() ? "" : ": " + result.message()));
    RolloutStatus judged = s.withBackgroundVerdict(result.phase());
    switch (result.phase()) {
      case SUCCESSFUL:
        return save(judged);
      case INCONCLUSIVE:
        {
          RolloutStatus p =
              save(
                  judged.paused(
                      RolloutStatus.PAUSE_INCONCLUSIVE, "background analysis " + describe(result)));
          emit(RolloutEvent.Type.PAUSED, p, p.message());
          return p;
        }
      default:
        abort(judged, now, "background analysis " + describe(result));
        return ctx.cluster().loadStatus(plan.namespace(), plan.name()).orElseThrow();
    }
  }

  private AnalysisRun startRun(AnalysisRef ref, String label) {
    AnalysisListener listener =
        new AnalysisListener() {
          @Override
          public void measurementTaken(String metric, Measurement measurement) {
            onMeasurement(label, metric, measurement);
          }

          @Override
          public void runCompleted(AnalysisResult result) {
            ctx.scheduler().schedule(Duration.ZERO, RolloutEngine.this::reconcile);
          }
        };
    return AnalysisRun.start(
        Analyses.merged(plan, plan.effectiveAnalysis(ref)),
        ctx.providers(),
        ctx.scheduler(),
        listener);
  }

  // not synchronized: called under the analysis run's lock, while reconcile() takes the engine's
  // lock and then the run's; taking both here would deadlock on a multi-threaded scheduler
  private void onMeasurement(String label, String metric, Measurement m) {
    if (stopped) {
      return;
    }
    RolloutEvent e =
        new RolloutEvent(
            plan.namespace(),
            plan.name(),
            RolloutEvent.Type.MEASUREMENT,
            m.finishedAt(),
            currentStep,
            Math.max(0, appliedWeight),
            label
                + " "
                + metric
                + " "
                + m.phase()
                + m.value().map(v -> " " + v).orElse("")
                + (m.message().isEmpty() ? "" : " (" + m.message() + ")"),
            Optional.of(metric),
            Optional.of(m));
    dispatch(e);
  }

  /** Which metric decided, why, and its measurements. */
  static String describe(AnalysisResult result) {
    StringBuilder out = new StringBuilder(result.phase().argoName());
    if (!result.message().isEmpty()) {
      out.append(": ").append(result.message());
    }
    for (MetricResult m : result.metrics()) {
      if (m.phase() == result.phase() && !m.measurements().isEmpty()) {
        out.append("; ")
            .append(m.name())
            .append(" measurements ")
            .append(
                m.measurements().stream()
                    .map(x -> x.value().map(Object::toString).orElse(x.phase().argoName()))
                    .collect(Collectors.joining(", ", "[", "]")));
      }
    }
    return out.toString();
  }

  private void dropStepRun() {
    if (stepRun != null) {
      stepRun.terminate();
      stepRun = null;
      stepRunIndex = -1;
    }
  }

  private void dropBackgroundRun() {
    if (backgroundRun != null) {
      backgroundRun.terminate();
      backgroundRun = null;
    }
  }

  // ------------------------------------------------------------------ timers, persistence, events

  private void scheduleWake(Instant at) {
    if (wake != null && wakeAt != null && !wakeAt.isAfter(at)) {
      return;
    }
    cancelWake();
    Duration delay = Duration.between(now(), at);
    wakeAt = at;
    wake =
        ctx.scheduler()
            .schedule(
                delay.isNegative() ? Duration.ZERO : delay,
                () -> {
                  synchronized (RolloutEngine.this) {
                    wake = null;
                    wakeAt = null;
                  }
                  reconcile();
                });
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel();
      wake = null;
      wakeAt = null;
    }
  }

  private RolloutStatus save(RolloutStatus s) {
    ctx.cluster().saveStatus(plan.namespace(), plan.name(), s);
    last = s;
    currentStep = s.stepIndex();
    return s;
  }

  private void emit(RolloutEvent.Type type, RolloutStatus s, String message) {
    dispatch(
        new RolloutEvent(
            plan.namespace(),
            plan.name(),
            type,
            now(),
            s.stepIndex(),
            s.weight(),
            message,
            Optional.empty(),
            Optional.empty()));
  }

  private void dispatch(RolloutEvent e) {
    for (RolloutListener l : ctx.listeners()) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ignored) {
        // a listener must never stop a rollback
      }
    }
  }

  // ------------------------------------------------------------------ commands

  @Override
  public void promote() {
    command(
        s -> {
          if (s.aborted()) {
            throw new IllegalStateException(
                "rollout " + plan.name() + " is aborted and cannot be promoted; use retry()");
          }
          if (s.isPromoted()) {
            return s;
          }
          if (s.phase() == RolloutPhase.PAUSED
              && RolloutStatus.PAUSE_USER.equals(s.pauseReason().orElse(""))) {
            return s.resumed();
          }
          boolean stepPause =
              s.phase() != RolloutPhase.PAUSED
                  || RolloutStatus.PAUSE_STEP.equals(s.pauseReason().orElse(""))
                  || (s.stepIndex() < plan.steps().size()
                      && plan.steps().get(s.stepIndex()) instanceof CanaryStep.Analysis);
          return stepPause ? s.resumed().nextStep(now()) : s.resumed();
        },
        RolloutEvent.Type.RESUMED,
        "promoted");
  }

  @Override
  public void promoteFull() {
    command(
        s -> {
          if (s.aborted()) {
            throw new IllegalStateException(
                "rollout " + plan.name() + " is aborted and cannot be promoted; use retry()");
          }
          return s.isPromoted() ? s : s.withPromoteFull();
        },
        RolloutEvent.Type.RESUMED,
        "promoted fully: remaining steps skipped");
  }

  @Override
  public synchronized void abort() {
    RolloutStatus s = status();
    if (s.isPromoted() || s.aborted()) {
      return;
    }
    appliedWeight = -1;
    abort(s, now(), "aborted by user");
  }

  @Override
  public void retry() {
    command(
        s -> {
          if (!s.aborted()) {
            throw new IllegalStateException(
                "rollout " + plan.name() + " is " + s.phase() + ", not aborted; nothing to retry");
          }
          return RolloutStatus.start(s.canaryHash(), s.stableHash(), now());
        },
        RolloutEvent.Type.RESUMED,
        "retried from step 0");
  }

  @Override
  public void pause() {
    command(
        s ->
            s.aborted() || s.isPromoted()
                ? s
                : s.paused(RolloutStatus.PAUSE_USER, "paused by user"),
        RolloutEvent.Type.PAUSED,
        "paused by user");
  }

  @Override
  public void resume() {
    command(
        s ->
            s.phase() == RolloutPhase.PAUSED
                    && RolloutStatus.PAUSE_USER.equals(s.pauseReason().orElse(""))
                ? s.resumed()
                : s,
        RolloutEvent.Type.RESUMED,
        "resumed");
  }

  private synchronized void command(
      Function<RolloutStatus, RolloutStatus> change, RolloutEvent.Type type, String message) {
    RolloutStatus before = status();
    RolloutStatus after = change.apply(before);
    if (after.equals(before)) {
      return;
    }
    dropStepRun();
    if (before.aborted() && !after.aborted()) {
      dropBackgroundRun();
      appliedWeight = -1;
    }
    save(after);
    emit(type, after, message);
    reconcile();
  }

  @Override
  public String toString() {
    return "Rollout[" + plan.namespace() + "/" + plan.name() + "@" + hash + "]";
  }
}

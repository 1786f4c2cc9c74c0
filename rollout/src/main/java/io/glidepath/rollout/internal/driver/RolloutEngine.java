package io.glidepath.rollout.internal.driver;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.MetricResult;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BackgroundAnalysis;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.CanaryReplicas;
import io.glidepath.rollout.traffic.RouteTarget;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The state machine of one rollout revision. Level-triggered: each {@link #reconcile()} reads the
 * persisted status, makes the cluster match it (idempotently), then advances by persisting the next
 * status before acting on it.
 */
public final class RolloutEngine extends EngineBase {
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

  private final CanaryPlan plan;
  private final TrafficRouter router;
  // without traffic routing the weight is realised by replica counts, in maxSurge/maxUnavailable
  // steps; with it the canary scales to its weight and the stable stays (or follows dynamically)
  private final boolean basic;
  private final int maxSurge;
  private final int maxUnavailable;

  private AnalysisRun stepRun;
  private int stepRunIndex = -1;
  private Instant stepRunStepStart;
  private AnalysisRun backgroundRun;
  private io.glidepath.rollout.experiment.ExperimentRun experimentRun;

  /** The running experiment's weighted Services, sent to the router beside canary and stable. */
  private List<io.glidepath.rollout.traffic.WeightDestination> additional = List.of();

  private int experimentIndex = -1;
  private Instant experimentStepStart;
  // read by measurement events outside the engine's lock
  private volatile int appliedWeight = -1;
  // the revisions the router's own selectors were last pointed at (null: not known)
  private String pinnedRevisions;
  private int announcedWeight;

  public RolloutEngine(Context ctx, CanaryPlan plan) {
    super(ctx, plan);
    this.plan = plan;
    this.router = ctx.routers().apply(plan);
    this.basic = router.byReplicas();
    this.maxSurge = plan.maxSurgeReplicas();
    this.maxUnavailable = plan.maxUnavailableReplicas();
  }

  @Override
  int scaleDownDelaySeconds() {
    return plan.scaleDownDelaySeconds();
  }

  @Override
  int restartMaxUnavailable() {
    return plan.maxUnavailableReplicas();
  }

  @Override
  java.util.OptionalInt scaleDownDelayRevisionLimit() {
    return plan.scaleDownDelayRevisionLimit();
  }

  @Override
  void dropAnalyses() {
    dropStepRun();
    dropBackgroundRun();
    dropExperiment();
  }

  @Override
  void forgetApplied() {
    appliedWeight = -1;
    pinnedRevisions = null;
  }

  @Override
  void beforeCommand(RolloutStatus before, RolloutStatus after) {
    dropStepRun();
    dropExperiment();
    if (before.aborted() && !after.aborted()) {
      dropBackgroundRun();
      appliedWeight = -1;
    }
  }

  @Override
  String retryMessage() {
    return "retried from step 0";
  }

  @Override
  io.glidepath.rollout.PodMetadata ephemeral(String revision) {
    RolloutStatus s = current();
    if (s == null) {
      return io.glidepath.rollout.PodMetadata.NONE;
    }
    if (revision.equals(s.stableHash())) {
      return plan.stableMetadata();
    }
    if (revision.equals(s.canaryHash())) {
      return plan.canaryMetadata();
    }
    return io.glidepath.rollout.PodMetadata.NONE;
  }

  @Override
  Optional<io.glidepath.rollout.AntiAffinity> antiAffinity() {
    return plan.antiAffinity();
  }

  @Override
  boolean waitsForReplicas(RolloutStatus s) {
    return s.promoteFull()
        || s.stepIndex() >= plan.steps().size()
        || plan.steps().get(s.stepIndex()) instanceof CanaryStep.SetWeight;
  }

  // ------------------------------------------------------------------ reconcile

  @Override
  void act(RolloutStatus s, Instant now) {
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
      if (experimentRun != null
          && (experimentIndex != i || !s.stepStartedAt().equals(experimentStepStart))) {
        dropExperiment();
      }
      if (s.promoteFull() || i >= steps.size()) {
        complete(s, now);
        return;
      }
      CanaryStep step = steps.get(i);
      if (step instanceof CanaryStep.SetWeight w) {
        if (basic) {
          if (!converge(s, w.weight(), now)) {
            checkProgress(s, now, replicaSet(s.canaryHash()));
            return;
          }
        } else {
          int need = canaryReplicas(s);
          scale(s.canaryHash(), need);
          if (available(s.canaryHash()) < need) {
            scheduleWake(now.plus(ctx.pollInterval()));
            checkProgress(s, now, replicaSet(s.canaryHash()));
            return;
          }
        }
        s = save(s.withWeight(w.weight()).nextStep(now));
        applyWeight(s, w.weight());
        if (!basic) {
          scale(s.stableHash(), stableReplicas(s));
        }
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
      } else if (step instanceof CanaryStep.Experiment e) {
        if (experimentRun == null) {
          experimentRun = startExperiment(e, s, i);
          experimentIndex = i;
          experimentStepStart = s.stepStartedAt();
          emit(
              RolloutEvent.Type.ANALYSIS_STARTED,
              s,
              "step " + i + " experiment " + experimentRun.toString());
        }
        io.glidepath.rollout.experiment.ExperimentResult result = experimentRun.result();
        if (!result.isCompleted()) {
          // weighted templates get their traffic once their ReplicaSets are available
          List<io.glidepath.rollout.traffic.WeightDestination> wanted =
              result.phase() == AnalysisPhase.RUNNING ? destinations(e) : List.of();
          if (!wanted.equals(additional)) {
            additional = wanted;
            applyWeight(s, s.weight());
          }
          return;
        }
        if (!additional.isEmpty()) {
          additional = List.of();
          applyWeight(s, s.weight());
        }
        String text =
            "step "
                + i
                + " experiment "
                + result.phase().argoName()
                + (result.message().isEmpty() ? "" : ": " + result.message());
        experimentRun = null;
        experimentIndex = -1;
        emit(RolloutEvent.Type.ANALYSIS_COMPLETED, s, text);
        if (result.phase() == AnalysisPhase.SUCCESSFUL) {
          s = save(s.nextStep(now));
        } else if (result.phase() == AnalysisPhase.INCONCLUSIVE) {
          s = save(s.paused(RolloutStatus.PAUSE_INCONCLUSIVE, text));
          emit(RolloutEvent.Type.PAUSED, s, s.message());
          return;
        } else {
          abort(s, now, text);
          return;
        }
      } else if (step instanceof CanaryStep.SetCanaryScale c) {
        OptionalInt scale;
        if (c.replicas().isPresent()) {
          scale = c.replicas();
        } else if (c.weight().isPresent()) {
          scale =
              OptionalInt.of(
                  CanaryReplicas.ceilShare(
                      plan.replicas(), c.weight().getAsInt(), plan.maxTrafficWeight()));
        } else {
          scale = OptionalInt.empty();
        }
        s = save(s.withCanaryScale(scale).nextStep(now));
        ensureProgressing(s);
      } else if (step instanceof CanaryStep.SetHeaderRoute h) {
        router.setHeaderRoute(target(s), h);
        s = save(s.nextStep(now));
      } else if (step instanceof CanaryStep.SetMirrorRoute m) {
        router.setMirrorRoute(target(s), m);
        s = save(s.nextStep(now));
      }
      emit(RolloutEvent.Type.STEP_STARTED, s, stepText(s.stepIndex()));
    }
  }

  private String replicaSet(String revision) {
    return "ReplicaSet " + plan.name() + "-" + revision;
  }

  private String stepText(int index) {
    if (index >= plan.steps().size()) {
      return "all steps done";
    }
    return "step " + index + " " + plan.steps().get(index).kind();
  }

  private void complete(RolloutStatus s, Instant now) {
    if (basic) {
      if (!converge(s, 100, now)) {
        checkProgress(s, now, replicaSet(s.canaryHash()));
        return;
      }
    } else if (available(s.canaryHash()) < plan.replicas()) {
      scale(s.canaryHash(), plan.replicas());
      scheduleWake(now.plus(ctx.pollInterval()));
      checkProgress(s, now, replicaSet(s.canaryHash()));
      return;
    }
    RolloutStatus done = save(s.promotedAt(now, "revision " + s.canaryHash() + " promoted"));
    dropStepRun();
    dropBackgroundRun();
    dropExperiment();
    ensurePromoted(done, now);
    removeManagedRoutes();
    emit(RolloutEvent.Type.PROMOTED, done, done.message());
  }

  @Override
  void abort(RolloutStatus s, Instant now, String why) {
    appliedWeight = -1;
    RolloutStatus a = save(s.abortedAt(now, why));
    dropStepRun();
    dropBackgroundRun();
    dropExperiment();
    applyWeight(a, 0);
    emit(RolloutEvent.Type.ABORTED, a, why);
    ensureAborted(a, now);
    removeManagedRoutes();
  }

  // ------------------------------------------------------------------ ensure (idempotent)

  private void ensureProgressing(RolloutStatus s) {
    if (basic) {
      converge(s, targetWeight(s), now());
    } else {
      scale(s.canaryHash(), canaryReplicas(s));
      scale(s.stableHash(), stableReplicas(s));
    }
    pin(s.canaryHash(), s.stableHash());
    if (appliedWeight != s.weight()) {
      applyWeight(s, s.weight());
    }
  }

  private void ensureAborted(RolloutStatus s, Instant now) {
    pin(s.canaryHash(), s.stableHash());
    if (appliedWeight != 0) {
      applyWeight(s, 0);
    }
    if (basic) {
      // no traffic routing: the stable takes the traffic back as its replicas come back, so the
      // canary goes in maxSurge/maxUnavailable steps without a delay (Argo's
      // abortScaleDownDelaySeconds applies to traffic routing only)
      converge(s, 0, now);
      return;
    }
    scale(s.stableHash(), plan.replicas());
    if (plan.abortScaleDownDelaySeconds() == 0) {
      return; // 0: Argo Rollouts leaves an aborted canary's pods running
    }
    Instant downAt = s.abortedAt().orElse(now).plusSeconds(plan.abortScaleDownDelaySeconds());
    if (now.isBefore(downAt)) {
      scheduleWake(downAt);
    } else {
      scale(s.canaryHash(), 0);
    }
  }

  /**
   * Takes the canary and stable ReplicaSets towards the counts {@code weight} asks for, in steps
   * within maxSurge and maxUnavailable (several at once when replicas become available at once);
   * true once they are there with the canary available, else a wake-up is scheduled.
   */
  private boolean converge(RolloutStatus s, int weight, Instant now) {
    int replicas = plan.replicas();
    CanaryReplicas.Counts goal = CanaryReplicas.desired(replicas, weight, maxSurge);
    for (int i = 0; i <= 4 * (replicas + maxSurge) + 4; i++) {
      CanaryReplicas.Counts current =
          new CanaryReplicas.Counts(replicas(s.canaryHash()), replicas(s.stableHash()));
      CanaryReplicas.Counts ready =
          new CanaryReplicas.Counts(available(s.canaryHash()), available(s.stableHash()));
      if (CanaryReplicas.settled(goal, current, ready)) {
        return true;
      }
      CanaryReplicas.Counts next =
          CanaryReplicas.step(replicas, maxSurge, maxUnavailable, goal, current, ready);
      if (next.equals(current)) {
        break;
      }
      // ups first: the step's total bound holds after each write, not only after both
      if (next.canary() > current.canary()) {
        scale(s.canaryHash(), next.canary());
      }
      if (next.stable() != current.stable()) {
        scale(s.stableHash(), next.stable());
      }
      if (next.canary() < current.canary()) {
        scale(s.canaryHash(), next.canary());
      }
    }
    scheduleWake(now.plus(ctx.pollInterval()));
    return false;
  }

  /**
   * The weight of the last setWeight at or before the current step (the whole of maxTrafficWeight
   * once all are done).
   */
  private int targetWeight(RolloutStatus s) {
    if (s.promoteFull() || s.stepIndex() >= plan.steps().size()) {
      return plan.maxTrafficWeight();
    }
    int weight = s.weight();
    for (int i = 0; i <= s.stepIndex() && i < plan.steps().size(); i++) {
      if (plan.steps().get(i) instanceof CanaryStep.SetWeight w) {
        weight = w.weight();
      }
    }
    return weight;
  }

  private void ensurePromoted(RolloutStatus s, Instant now) {
    scale(s.stableHash(), plan.replicas());
    pin(s.stableHash(), s.stableHash());
    if (appliedWeight != 0 && s.previousStableHash().isPresent()) {
      applyWeight(s, 0);
    }
    if (s.previousStableHash().isPresent()) {
      // scaleDownDelayRevisionLimit 0: no old ReplicaSet may wait out the delay
      int delay =
          plan.scaleDownDelayRevisionLimit().orElse(1) == 0 ? 0 : plan.scaleDownDelaySeconds();
      Instant downAt = s.completedAt().orElse(now).plusSeconds(delay);
      if (now.isBefore(downAt)) {
        scheduleWake(downAt);
      } else {
        scale(s.previousStableHash().get(), 0);
        pruneHistory(s);
      }
    }
  }

  /** Header and mirror routes live only while the canary does, as in Argo Rollouts. */
  private void removeManagedRoutes() {
    for (CanaryStep step : plan.steps()) {
      if (step instanceof CanaryStep.SetHeaderRoute h && !h.match().isEmpty()) {
        router.setHeaderRoute(
            target(current()), new CanaryStep.SetHeaderRoute(h.name(), List.of()));
      } else if (step instanceof CanaryStep.SetMirrorRoute m && !m.match().isEmpty()) {
        router.setMirrorRoute(
            target(current()), new CanaryStep.SetMirrorRoute(m.name(), m.percentage(), List.of()));
      }
    }
  }

  /**
   * What the router routes between: the canary and stable Services, or with ping-pong the ping and
   * pong Services in their current roles (pong is stable after an odd number of promotions).
   */
  private RouteTarget target(RolloutStatus s) {
    String canary = plan.canaryService().orElse("");
    String stable = plan.stableService().orElse("");
    if (plan.pingPong().isPresent()) {
      boolean pong = s != null && s.pong();
      canary = pong ? plan.pingPong().get().pingService() : plan.pingPong().get().pongService();
      stable = pong ? plan.pingPong().get().pongService() : plan.pingPong().get().pingService();
    }
    return new RouteTarget(plan.namespace(), plan.name(), canary, stable, plan.maxTrafficWeight());
  }

  private void pin(String canaryHash, String stableHash) {
    plan.canaryService().ifPresent(svc -> pinService(svc, canaryHash));
    plan.stableService().ifPresent(svc -> pinService(svc, stableHash));
    if (plan.pingPong().isPresent()) {
      RouteTarget t = target(current());
      pinService(t.canaryService(), canaryHash);
      pinService(t.stableService(), stableHash);
    }
    String pair = canaryHash + "/" + stableHash;
    if (!pair.equals(pinnedRevisions)) {
      router.pinRevisions(target(current()), canaryHash, stableHash);
      pinnedRevisions = pair;
    }
  }

  private void applyWeight(RolloutStatus s, int weight) {
    router.setWeight(target(s), weight, additional);
    appliedWeight = weight;
    if (announcedWeight != weight) {
      announcedWeight = weight;
      emit(RolloutEvent.Type.WEIGHT_CHANGED, s.withWeight(weight), "canary weight " + weight);
    }
  }

  /**
   * Stable replicas with traffic routing: all of them, unless dynamicStableScale, where the stable
   * keeps the replicas of the weight the canary has not reached: {@code ceil(replicas * (max -
   * weight) / max)}, as Argo Rollouts (10 replicas at 15%: 9).
   */
  private int stableReplicas(RolloutStatus s) {
    int max = plan.maxTrafficWeight();
    int n =
        plan.dynamicStableScale()
            ? CanaryReplicas.ceilShare(plan.replicas(), Math.max(0, max - s.weight()), max)
            : plan.replicas();
    return atLeastMinPods(n);
  }

  /** minPodsPerReplicaSet: a ReplicaSet that gets any replicas gets at least this many. */
  private int atLeastMinPods(int n) {
    int min = plan.minPodsPerReplicaSet().orElse(1);
    return n > 0 ? Math.max(n, Math.min(min, plan.replicas())) : n;
  }

  /** Canary replicas with traffic routing: setCanaryScale, else the current step's weight. */
  private int canaryReplicas(RolloutStatus s) {
    if (s.promoteFull() || s.stepIndex() >= plan.steps().size()) {
      return plan.replicas();
    }
    if (s.canaryScale().isPresent()) {
      return atLeastMinPods(s.canaryScale().getAsInt());
    }
    return atLeastMinPods(
        CanaryReplicas.ceilShare(plan.replicas(), targetWeight(s), plan.maxTrafficWeight()));
  }

  // ------------------------------------------------------------------ analysis

  private RolloutStatus background(RolloutStatus s, Instant now) {
    Optional<BackgroundAnalysis> bg = plan.backgroundAnalysis();
    if (bg.isEmpty()
        || s.promoteFull()
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
    return startAnalysis(plan.effectiveAnalysis(ref), listener, runIdentity(label));
  }

  // not synchronized: called under the analysis run's lock, while reconcile() takes the engine's
  // lock and then the run's; taking both here would deadlock on a multi-threaded scheduler
  private void onMeasurement(String label, String metric, Measurement m) {
    if (stopped()) {
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
                + m.value().map(v -> " " + v.toShortString()).orElse("")
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
                    .map(
                        x -> x.value().map(MetricValue::toShortString).orElse(x.phase().argoName()))
                    .collect(Collectors.joining(", ", "[", "]")));
      }
    }
    return out.toString();
  }

  /**
   * The experiment of step {@code i}: {@code <rollout>-<hash>-<i>}, its templates running the
   * canary's or the stable's pod template, its analyses with the step's arguments.
   */
  private io.glidepath.rollout.experiment.ExperimentRun startExperiment(
      CanaryStep.Experiment e, RolloutStatus s, int i) {
    io.glidepath.rollout.experiment.ExperimentSpec.Builder b =
        io.glidepath.rollout.experiment.ExperimentSpec.builder(
                plan.name() + "-" + s.canaryHash() + "-" + i)
            .namespace(plan.namespace())
            .duration(e.duration().orElse(null))
            .progressDeadlineSeconds(plan.options().progressDeadlineSeconds());
    java.util.Map<String, tools.jackson.databind.node.ObjectNode> podTemplates =
        new java.util.LinkedHashMap<>();
    for (io.glidepath.rollout.experiment.ExperimentTemplate t : e.templates()) {
      // a weighted template gets a Service for the router to send its traffic to, as in Argo
      b.template(
          t.weight().isPresent() && t.service().isEmpty()
              ? new io.glidepath.rollout.experiment.ExperimentTemplate(
                  t.name(),
                  t.specRef(),
                  t.podTemplate(),
                  t.replicas(),
                  t.minReadySeconds(),
                  t.selector(),
                  t.metadata(),
                  t.weight(),
                  Optional.of(
                      new io.glidepath.rollout.experiment.ExperimentTemplate.ServiceRef(
                          Optional.empty())))
              : t);
      boolean canary =
          t.specRef().orElseThrow()
              == io.glidepath.rollout.experiment.ExperimentTemplate.SpecRef.CANARY;
      podTemplates.put(
          t.name(),
          canary
              ? plan.podTemplate()
              : ctx.cluster()
                  .replicaSetTemplate(plan.namespace(), plan.name() + "-" + s.stableHash())
                  .orElseThrow(
                      () ->
                          new io.glidepath.rollout.RolloutException(
                              "experiment template '"
                                  + t.name()
                                  + "' runs the stable revision, but ReplicaSet "
                                  + plan.name()
                                  + "-"
                                  + s.stableHash()
                                  + " does not exist")));
    }
    for (io.glidepath.rollout.experiment.ExperimentAnalysis a : e.analyses()) {
      java.util.Map<String, String> args = new java.util.LinkedHashMap<>(a.args());
      args.putAll(lookUp(a.valueFrom(), s));
      b.analysis(
          new io.glidepath.rollout.experiment.ExperimentAnalysis(
              a.name(),
              a.templateName(),
              a.clusterScope(),
              args,
              java.util.Map.of(),
              a.requiredForCompletion()));
    }
    plan.templates().values().forEach(b::analysisTemplate);
    plan.clusterTemplates().values().forEach(b::analysisTemplate);
    return io.glidepath.rollout.experiment.ExperimentRun.start(
        b.build(),
        podTemplates,
        ctx.cluster(),
        ctx.providers(),
        ctx.scheduler(),
        r -> {
          if (r.isCompleted() || r.phase() == AnalysisPhase.RUNNING) {
            ctx.scheduler().schedule(Duration.ZERO, RolloutEngine.this::reconcile);
          }
        });
  }

  /** The weighted templates of experiment step {@code e}, as the router's extra destinations. */
  private List<io.glidepath.rollout.traffic.WeightDestination> destinations(
      CanaryStep.Experiment e) {
    List<io.glidepath.rollout.traffic.WeightDestination> out = new java.util.ArrayList<>();
    for (io.glidepath.rollout.experiment.ExperimentTemplate t : e.templates()) {
      if (t.weight().isPresent()) {
        out.add(
            new io.glidepath.rollout.traffic.WeightDestination(
                experimentRun.serviceName(t.name()).orElseThrow(),
                experimentRun.podTemplateHash(t.name()),
                t.weight().getAsInt()));
      }
    }
    return out;
  }

  private void dropExperiment() {
    if (!additional.isEmpty()) {
      additional = List.of();
      router.setWeight(target(current()), Math.max(0, appliedWeight), additional);
    }
    if (experimentRun != null) {
      experimentRun.terminate();
      experimentRun.scaleDown();
      experimentRun = null;
      experimentIndex = -1;
    }
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

  // ------------------------------------------------------------------ commands

  @Override
  public void promote() {
    command(
        s -> {
          requireNotAborted(s);
          if (s.isPromoted()) {
            return s;
          }
          if (pausedByUser(s)) {
            return unpaused(s);
          }
          boolean stepPause =
              s.phase() != RolloutPhase.PAUSED
                  || RolloutStatus.PAUSE_STEP.equals(s.pauseReason().orElse(""))
                  || (s.stepIndex() < plan.steps().size()
                      && (plan.steps().get(s.stepIndex()) instanceof CanaryStep.Analysis
                          || plan.steps().get(s.stepIndex()) instanceof CanaryStep.Experiment));
          return stepPause ? s.resumed().nextStep(now()) : s.resumed();
        },
        RolloutEvent.Type.RESUMED,
        "promoted");
  }

  @Override
  public void promoteFull() {
    promoteFull("promoted fully: remaining steps skipped");
  }

  @Override
  public String toString() {
    return "Rollout[" + namespace + "/" + name + "@" + hash + "]";
  }
}

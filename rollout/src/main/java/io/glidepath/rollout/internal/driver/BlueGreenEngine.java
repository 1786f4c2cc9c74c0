package io.glidepath.rollout.internal.driver;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.Analyses;
import io.glidepath.rollout.internal.PodTemplateHash;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The blue-green state machine of one revision, on the same persisted {@link RolloutStatus} as the
 * canary engine. Steps: 0 preview (new ReplicaSet at previewReplicaCount behind previewService), 1
 * pre-promotion analysis, 2 promotion gate (manual or autoPromotionSeconds), 3 switch (new
 * ReplicaSet at full size, then activeService to it; weight 100 marks the switch), 4 post-promotion
 * analysis, then promoted. Abort points activeService back at the stable revision.
 */
public final class BlueGreenEngine implements Rollout, Stoppable {
  static final int PREVIEW = 0;
  static final int PRE_ANALYSIS = 1;
  static final int GATE = 2;
  static final int SWITCH = 3;
  static final int POST_ANALYSIS = 4;
  static final int DONE = 5;

  private final RolloutEngine.Context ctx;
  private final BlueGreenPlan plan;
  private final String hash;
  private final ObjectNode podTemplate;
  private final Map<String, String> selector;
  private AnalysisRun run;
  private int runStep = -1;
  private AnalysisScheduler.Cancellable wake;
  private Instant wakeAt;
  private volatile boolean stopped;
  private boolean leased;
  private RolloutStatus last;

  public BlueGreenEngine(RolloutEngine.Context ctx, BlueGreenPlan plan) {
    this.ctx = ctx;
    this.plan = plan;
    this.podTemplate = plan.podTemplate();
    this.hash = PodTemplateHash.of(podTemplate);
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
            () -> new IllegalStateException("rollout " + plan.name() + " has no status yet"));
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    cancelWake();
    dropRun();
  }

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
      emit(RolloutEvent.Type.ERROR, null, e.getClass().getSimpleName() + ": " + e.getMessage());
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
      dropRun();
      scheduleWake(now.plus(ctx.pollInterval()));
      return;
    }
    leased = true;
    Optional<RolloutStatus> loaded = ctx.cluster().loadStatus(plan.namespace(), plan.name());
    loaded.ifPresent(l -> last = l);
    RolloutStatus s;
    if (loaded.isEmpty()) {
      s = save(RolloutStatus.stable(hash, now));
      emit(RolloutEvent.Type.STARTED, s, "first deployment of revision " + hash);
    } else {
      s = loaded.get();
      if (!s.canaryHash().equals(hash) && !s.stableHash().equals(hash)) {
        String abandoned = s.canaryHash().equals(s.stableHash()) ? null : s.canaryHash();
        s = save(RolloutStatus.start(hash, s.stableHash(), now));
        dropRun();
        if (abandoned != null) {
          scale(abandoned, 0);
        }
        emit(RolloutEvent.Type.STARTED, s, "revision " + hash + " replaces " + s.stableHash());
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
    if (s.phase() == RolloutPhase.PAUSED) {
      return;
    }
    for (int guard = 0; guard <= DONE; guard++) {
      if (run != null && runStep != s.stepIndex()) {
        dropRun();
      }
      int step = s.stepIndex();
      if (s.promoteFull() && (step < SWITCH || step == POST_ANALYSIS)) {
        s = save(atStep(s, step < SWITCH ? SWITCH : DONE, now));
        continue;
      }
      switch (step) {
        case PREVIEW -> {
          if (available(s.canaryHash()) < previewReplicas()) {
            scheduleWake(now.plus(ctx.pollInterval()));
            return;
          }
          s = save(s.nextStep(now));
        }
        case PRE_ANALYSIS, POST_ANALYSIS -> {
          Optional<AnalysisRef> ref =
              step == PRE_ANALYSIS ? plan.prePromotionAnalysis() : plan.postPromotionAnalysis();
          if (ref.isEmpty()) {
            s = save(s.nextStep(now));
            break;
          }
          if (run == null) {
            run = start(ref.get(), step);
            emit(RolloutEvent.Type.ANALYSIS_STARTED, s, label(step) + " " + ref.get().templates());
          }
          AnalysisResult result = run.result();
          if (!result.isCompleted()) {
            return;
          }
          dropRun();
          String text = label(step) + " " + RolloutEngine.describe(result);
          emit(RolloutEvent.Type.ANALYSIS_COMPLETED, s, text);
          if (result.phase() == AnalysisPhase.SUCCESSFUL) {
            s = save(s.nextStep(now));
          } else if (result.phase() == AnalysisPhase.INCONCLUSIVE) {
            s = save(s.paused(RolloutStatus.PAUSE_INCONCLUSIVE, text));
            emit(RolloutEvent.Type.PAUSED, s, text);
            return;
          } else {
            abort(s, now, text);
            return;
          }
        }
        case GATE -> {
          if (!plan.autoPromotionEnabled()) {
            s = save(s.paused(RolloutStatus.PAUSE_STEP, "waiting for promotion"));
            emit(RolloutEvent.Type.PAUSED, s, s.message());
            return;
          }
          Instant at = s.stepStartedAt().plusSeconds(plan.autoPromotionSeconds().orElse(0));
          if (now.isBefore(at)) {
            scheduleWake(at);
            return;
          }
          s = save(s.nextStep(now));
        }
        case SWITCH -> {
          scale(s.canaryHash(), plan.replicas());
          if (available(s.canaryHash()) < plan.replicas()) {
            scheduleWake(now.plus(ctx.pollInterval()));
            return;
          }
          s = save(s.withWeight(100).nextStep(now));
          ensureProgressing(s);
          emit(RolloutEvent.Type.WEIGHT_CHANGED, s, plan.activeService() + " switched to " + hash);
        }
        default -> {
          RolloutStatus done = save(s.promotedAt(now, "revision " + s.canaryHash() + " promoted"));
          ensurePromoted(done, now);
          emit(RolloutEvent.Type.PROMOTED, done, done.message());
          return;
        }
      }
      emit(RolloutEvent.Type.STEP_STARTED, s, label(s.stepIndex()));
    }
  }

  private static RolloutStatus atStep(RolloutStatus s, int step, Instant now) {
    RolloutStatus out = s;
    while (out.stepIndex() < step) {
      out = out.nextStep(now);
    }
    return out;
  }

  private static String label(int step) {
    return switch (step) {
      case PREVIEW -> "preview";
      case PRE_ANALYSIS -> "pre-promotion analysis";
      case GATE -> "promotion gate";
      case SWITCH -> "switch";
      case POST_ANALYSIS -> "post-promotion analysis";
      default -> "done";
    };
  }

  private int previewReplicas() {
    return plan.previewReplicaCount().orElse(plan.replicas());
  }

  private void ensureProgressing(RolloutStatus s) {
    boolean switched = s.weight() == 100;
    scale(s.canaryHash(), s.stepIndex() >= SWITCH ? plan.replicas() : previewReplicas());
    scale(s.stableHash(), plan.replicas());
    pin(plan.activeService(), switched ? s.canaryHash() : s.stableHash());
    plan.previewService().ifPresent(p -> pin(p, s.canaryHash()));
  }

  private void ensureAborted(RolloutStatus s, Instant now) {
    scale(s.stableHash(), plan.replicas());
    pin(plan.activeService(), s.stableHash());
    plan.previewService().ifPresent(p -> pin(p, s.stableHash()));
    Instant downAt = s.abortedAt().orElse(now).plusSeconds(plan.scaleDownDelaySeconds());
    if (now.isBefore(downAt)) {
      scheduleWake(downAt);
    } else {
      scale(s.canaryHash(), 0);
    }
  }

  private void ensurePromoted(RolloutStatus s, Instant now) {
    scale(s.stableHash(), plan.replicas());
    pin(plan.activeService(), s.stableHash());
    plan.previewService().ifPresent(p -> pin(p, s.stableHash()));
    if (s.previousStableHash().isPresent()) {
      Instant downAt = s.completedAt().orElse(now).plusSeconds(plan.scaleDownDelaySeconds());
      if (now.isBefore(downAt)) {
        scheduleWake(downAt);
      } else {
        scale(s.previousStableHash().get(), 0);
      }
    }
  }

  private void abort(RolloutStatus s, Instant now, String why) {
    RolloutStatus a = save(s.abortedAt(now, why));
    dropRun();
    ensureAborted(a, now);
    emit(RolloutEvent.Type.ABORTED, a, why);
  }

  private void scale(String revision, int replicas) {
    ctx.cluster()
        .ensureReplicaSet(plan.namespace(), plan.name(), revision, podTemplate, selector, replicas);
  }

  private void pin(String service, String revision) {
    ctx.cluster().pinService(plan.namespace(), service, revision);
  }

  private int available(String revision) {
    return ctx.cluster().availableReplicas(plan.namespace(), plan.name(), revision);
  }

  private AnalysisRun start(AnalysisRef ref, int step) {
    runStep = step;
    return AnalysisRun.start(
        Analyses.merged(plan.templates(), ref),
        ctx.providers(),
        ctx.scheduler(),
        new AnalysisListener() {
          @Override
          public void runCompleted(AnalysisResult result) {
            ctx.scheduler().schedule(Duration.ZERO, BlueGreenEngine.this::reconcile);
          }
        });
  }

  private void dropRun() {
    if (run != null) {
      run.terminate();
      run = null;
      runStep = -1;
    }
  }

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
                  synchronized (BlueGreenEngine.this) {
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
    return s;
  }

  private void emit(RolloutEvent.Type type, RolloutStatus s, String message) {
    RolloutEvent e =
        new RolloutEvent(
            plan.namespace(),
            plan.name(),
            type,
            now(),
            s == null ? -1 : s.stepIndex(),
            s == null ? 0 : s.weight(),
            message,
            Optional.empty(),
            Optional.empty());
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
          requireNotAborted(s);
          if (s.isPromoted()) {
            return s;
          }
          if (RolloutStatus.PAUSE_USER.equals(s.pauseReason().orElse(""))) {
            return s.resumed();
          }
          return s.resumed().nextStep(now());
        },
        RolloutEvent.Type.RESUMED,
        "promoted");
  }

  @Override
  public void promoteFull() {
    command(
        s -> {
          requireNotAborted(s);
          return s.isPromoted() ? s : s.withPromoteFull();
        },
        RolloutEvent.Type.RESUMED,
        "promoted fully: analyses skipped");
  }

  private void requireNotAborted(RolloutStatus s) {
    if (s.aborted()) {
      throw new IllegalStateException(
          "rollout " + plan.name() + " is aborted and cannot be promoted; use retry()");
    }
  }

  @Override
  public synchronized void abort() {
    RolloutStatus s = status();
    if (!s.isPromoted() && !s.aborted()) {
      abort(s, now(), "aborted by user");
    }
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
        "retried from the preview");
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
        s -> RolloutStatus.PAUSE_USER.equals(s.pauseReason().orElse("")) ? s.resumed() : s,
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
    dropRun();
    save(after);
    emit(type, after, message);
    reconcile();
  }

  @Override
  public String toString() {
    return "BlueGreenRollout[" + plan.namespace() + "/" + plan.name() + "@" + hash + "]";
  }
}

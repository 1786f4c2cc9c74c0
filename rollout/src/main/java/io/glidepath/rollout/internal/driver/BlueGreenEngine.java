package io.glidepath.rollout.internal.driver;

import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The blue-green state machine of one revision, on the same persisted {@link RolloutStatus} as the
 * canary engine. Steps: 0 preview (new ReplicaSet at previewReplicaCount behind previewService), 1
 * pre-promotion analysis, 2 promotion gate (manual or autoPromotionSeconds), 3 switch (new
 * ReplicaSet at full size, then activeService to it; weight 100 marks the switch), 4 post-promotion
 * analysis, then promoted. Abort points activeService back at the stable revision.
 */
public final class BlueGreenEngine extends EngineBase {
  static final int PREVIEW = 0;
  static final int PRE_ANALYSIS = 1;
  static final int GATE = 2;
  static final int SWITCH = 3;
  static final int POST_ANALYSIS = 4;
  static final int DONE = 5;

  private final BlueGreenPlan plan;
  private AnalysisRun run;
  private int runStep = -1;

  public BlueGreenEngine(RolloutEngine.Context ctx, BlueGreenPlan plan) {
    super(ctx, plan);
    this.plan = plan;
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
    dropRun();
  }

  @Override
  void beforeCommand(RolloutStatus before, RolloutStatus after) {
    dropRun();
  }

  @Override
  String retryMessage() {
    return "retried from the preview";
  }

  @Override
  io.glidepath.rollout.PodMetadata ephemeral(String revision) {
    RolloutStatus s = current();
    if (s == null) {
      return io.glidepath.rollout.PodMetadata.NONE;
    }
    boolean switched = s.weight() == 100 || s.isPromoted();
    if (revision.equals(s.canaryHash())) {
      return switched ? plan.activeMetadata() : plan.previewMetadata();
    }
    if (revision.equals(s.stableHash())) {
      return switched ? io.glidepath.rollout.PodMetadata.NONE : plan.activeMetadata();
    }
    return io.glidepath.rollout.PodMetadata.NONE;
  }

  @Override
  Optional<io.glidepath.rollout.AntiAffinity> antiAffinity() {
    return plan.antiAffinity();
  }

  @Override
  boolean waitsForReplicas(RolloutStatus s) {
    return s.stepIndex() == PREVIEW || s.stepIndex() == SWITCH;
  }

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
            checkProgress(s, now, "ReplicaSet " + plan.name() + "-" + s.canaryHash());
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
            checkProgress(s, now, "ReplicaSet " + plan.name() + "-" + s.canaryHash());
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
    pinService(plan.activeService(), switched ? s.canaryHash() : s.stableHash());
    plan.previewService().ifPresent(p -> pinService(p, s.canaryHash()));
  }

  private void ensureAborted(RolloutStatus s, Instant now) {
    scale(s.stableHash(), plan.replicas());
    pinService(plan.activeService(), s.stableHash());
    plan.previewService().ifPresent(p -> pinService(p, s.stableHash()));
    if (plan.abortScaleDownDelaySeconds() == 0) {
      return; // 0: the preview is not scaled down after an abort
    }
    Instant downAt = s.abortedAt().orElse(now).plusSeconds(plan.abortScaleDownDelaySeconds());
    if (now.isBefore(downAt)) {
      scheduleWake(downAt);
    } else {
      scale(s.canaryHash(), 0);
    }
  }

  private void ensurePromoted(RolloutStatus s, Instant now) {
    scale(s.stableHash(), plan.replicas());
    pinService(plan.activeService(), s.stableHash());
    plan.previewService().ifPresent(p -> pinService(p, s.stableHash()));
    if (s.previousStableHash().isPresent()) {
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

  @Override
  void abort(RolloutStatus s, Instant now, String why) {
    RolloutStatus a = save(s.abortedAt(now, why));
    dropRun();
    ensureAborted(a, now);
    emit(RolloutEvent.Type.ABORTED, a, why);
  }

  private AnalysisRun start(AnalysisRef ref, int step) {
    runStep = step;
    return startAnalysis(
        ref,
        new AnalysisListener() {
          @Override
          public void runCompleted(AnalysisResult result) {
            ctx.scheduler().schedule(Duration.ZERO, BlueGreenEngine.this::reconcile);
          }
        },
        runIdentity("step " + step));
  }

  private void dropRun() {
    if (run != null) {
      run.terminate();
      run = null;
      runStep = -1;
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
          return s.resumed().nextStep(now());
        },
        RolloutEvent.Type.RESUMED,
        "promoted");
  }

  @Override
  public void promoteFull() {
    promoteFull("promoted fully: analyses skipped");
  }

  @Override
  public String toString() {
    return "BlueGreenRollout[" + namespace + "/" + name + "@" + hash + "]";
  }
}

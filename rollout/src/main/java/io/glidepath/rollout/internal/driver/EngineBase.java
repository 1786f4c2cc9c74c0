package io.glidepath.rollout.internal.driver;

import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
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
 * What the canary and blue-green state machines share: the lease, the persisted status and the
 * revision change it detects, timers, events, ReplicaSets and the user's commands. A subclass says
 * what one reconcile does once the status is loaded ({@link #act}) and which analyses to drop.
 *
 * <p>Level-triggered: each {@link #reconcile()} reads the persisted status, makes the cluster match
 * it (idempotently), then advances by persisting the next status before acting on it.
 */
abstract class EngineBase implements Rollout, Stoppable {
  final RolloutEngine.Context ctx;
  final String namespace;
  final String name;
  final String hash;
  final ObjectNode podTemplate;
  final Map<String, String> selector;

  private AnalysisScheduler.Cancellable wake;
  private Instant wakeAt;
  volatile int currentStep;
  private volatile boolean stopped;
  private boolean leased;
  private RolloutStatus last;

  EngineBase(RolloutEngine.Context ctx, String namespace, String name, ObjectNode podTemplate) {
    this.ctx = ctx;
    this.namespace = namespace;
    this.name = name;
    this.podTemplate = podTemplate;
    this.hash = PodTemplateHash.of(podTemplate);
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : podTemplate.path("metadata").path("labels").properties()) {
      labels.put(e.getKey(), e.getValue().asString());
    }
    if (labels.isEmpty()) {
      labels.put("app", name);
    }
    this.selector = Map.copyOf(labels);
  }

  // ------------------------------------------------------------------ what a subclass does

  /** Acts on the loaded status {@code s} (already a status of this revision). */
  abstract void act(RolloutStatus s, Instant now);

  /** Terminates the analyses in flight (they restart from the persisted status). */
  abstract void dropAnalyses();

  /** Called when the API server or the mesh failed a reconcile, and when the lease is lost. */
  void forgetApplied() {}

  /** Called before a command's status is saved, with the status before and after it. */
  abstract void beforeCommand(RolloutStatus before, RolloutStatus after);

  /** Makes the rollout go from {@code s} to aborted with {@code why}, and acts on it. */
  abstract void abort(RolloutStatus s, Instant now, String why);

  /** What {@link #retry()} announces. */
  abstract String retryMessage();

  // ------------------------------------------------------------------ Rollout

  @Override
  public final String namespace() {
    return namespace;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String revision() {
    return hash;
  }

  /**
   * Who an analysis run of this revision is: {@code <name>-<hash>-<label>} in the rollout's
   * namespace, owned by the Rollout object when the cluster has one (the {@code job} provider's
   * Jobs then go when the Rollout goes, as they go with Argo's AnalysisRun).
   */
  final io.glidepath.analysis.RunIdentity runIdentity(String label) {
    return io.glidepath.analysis.RunIdentity.of(
            name + "-" + hash + "-" + label.replace(' ', '-'), namespace)
        .withOwner(
            new io.glidepath.analysis.RunIdentity.Owner(
                "argoproj.io/v1alpha1", "Rollout", name, java.util.Optional.empty()));
  }

  @Override
  public final RolloutStatus status() {
    return ctx.cluster()
        .loadStatus(namespace, name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "rollout " + namespace + "/" + name + " has no status yet"));
  }

  @Override
  public final synchronized void stop() {
    stopped = true;
    cancelWake();
    dropAnalyses();
  }

  final boolean stopped() {
    return stopped;
  }

  @Override
  public final synchronized void reconcile() {
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
      forgetApplied();
      emit(RolloutEvent.Type.ERROR, null, e.getClass().getSimpleName() + ": " + e.getMessage());
      scheduleWake(now().plus(ctx.pollInterval()));
    }
  }

  private void reconcileOnce() {
    Instant now = now();
    if (!ctx.cluster().tryAcquireLease(namespace, name, ctx.identity(), now, ctx.leaseDuration())) {
      dropAnalyses();
      forgetApplied();
      scheduleWake(now.plus(ctx.pollInterval()));
      return;
    }
    leased = true;
    Optional<RolloutStatus> loaded = ctx.cluster().loadStatus(namespace, name);
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
        dropAnalyses();
        if (abandoned != null) {
          scale(abandoned, 0);
        }
        emit(RolloutEvent.Type.STARTED, s, "revision " + hash + " replaces " + s.stableHash());
      } else if (s.stableHash().equals(hash) && !s.canaryHash().equals(hash)) {
        // the template went back to the stable revision: no steps, the canary goes away
        String abandoned = s.canaryHash();
        s = save(RolloutStatus.stable(hash, now));
        dropAnalyses();
        scale(abandoned, 0);
        emit(RolloutEvent.Type.STARTED, s, "back to stable revision " + hash);
      }
    }
    act(s, now);
  }

  // ------------------------------------------------------------------ cluster

  final Instant now() {
    return ctx.scheduler().now();
  }

  final void scale(String revision, int replicas) {
    ctx.cluster().ensureReplicaSet(namespace, name, revision, podTemplate, selector, replicas);
  }

  final int available(String revision) {
    return ctx.cluster().availableReplicas(namespace, name, revision);
  }

  final int replicas(String revision) {
    return ctx.cluster().replicas(namespace, name, revision);
  }

  final void pinService(String service, String revision) {
    ctx.cluster().pinService(namespace, service, revision);
  }

  // ------------------------------------------------------------------ timers, persistence, events

  final void scheduleWake(Instant at) {
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
                  synchronized (EngineBase.this) {
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

  final RolloutStatus save(RolloutStatus s) {
    ctx.cluster().saveStatus(namespace, name, s);
    last = s;
    currentStep = s.stepIndex();
    return s;
  }

  /** Tells the listeners; {@code s} null for an event about no status (an error). */
  final void emit(RolloutEvent.Type type, RolloutStatus s, String message) {
    dispatch(
        new RolloutEvent(
            namespace,
            name,
            type,
            now(),
            s == null ? -1 : s.stepIndex(),
            s == null ? 0 : s.weight(),
            message,
            Optional.empty(),
            Optional.empty()));
  }

  final void dispatch(RolloutEvent e) {
    for (RolloutListener l : ctx.listeners()) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ignored) {
        // a listener must never stop a rollback
      }
    }
  }

  // ------------------------------------------------------------------ commands

  final void requireNotAborted(RolloutStatus s) {
    if (s.aborted()) {
      throw new IllegalStateException(
          "rollout " + name + " is aborted and cannot be promoted; use retry()");
    }
  }

  final void promoteFull(String message) {
    command(
        s -> {
          requireNotAborted(s);
          return s.isPromoted() ? s : s.withPromoteFull();
        },
        RolloutEvent.Type.RESUMED,
        message);
  }

  static boolean pausedByUser(RolloutStatus s) {
    return s.phase() == RolloutPhase.PAUSED
        && RolloutStatus.PAUSE_USER.equals(s.pauseReason().orElse(""));
  }

  @Override
  public final synchronized void abort() {
    RolloutStatus s = status();
    if (!s.isPromoted() && !s.aborted()) {
      abort(s, now(), "aborted by user");
    }
  }

  @Override
  public final void retry() {
    command(
        s -> {
          if (!s.aborted()) {
            throw new IllegalStateException(
                "rollout " + name + " is " + s.phase() + ", not aborted; nothing to retry");
          }
          return RolloutStatus.start(s.canaryHash(), s.stableHash(), now());
        },
        RolloutEvent.Type.RESUMED,
        retryMessage());
  }

  @Override
  public final void pause() {
    command(
        s ->
            s.aborted() || s.isPromoted()
                ? s
                : s.paused(RolloutStatus.PAUSE_USER, "paused by user"),
        RolloutEvent.Type.PAUSED,
        "paused by user");
  }

  @Override
  public final void resume() {
    command(s -> pausedByUser(s) ? s.resumed() : s, RolloutEvent.Type.RESUMED, "resumed");
  }

  final synchronized void command(
      Function<RolloutStatus, RolloutStatus> change, RolloutEvent.Type type, String message) {
    RolloutStatus before = status();
    RolloutStatus after = change.apply(before);
    if (after.equals(before)) {
      return;
    }
    beforeCommand(before, after);
    save(after);
    emit(type, after, message);
    reconcile();
  }
}

package io.glidepath.rollout.internal.driver;

import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.rollout.AntiAffinity;
import io.glidepath.rollout.ArgumentSource;
import io.glidepath.rollout.PodMetadata;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.WorkloadRef;
import io.glidepath.rollout.driver.ReplicaSetSpec;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.PodTemplateHash;
import io.glidepath.rollout.internal.load.FieldPaths;
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
  final RolloutSpec spec;
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

  private Integer workloadReplicas;

  EngineBase(RolloutEngine.Context ctx, RolloutSpec spec) {
    this.ctx = ctx;
    this.spec = spec;
    this.namespace = spec.namespace();
    this.name = spec.name();
    this.podTemplate = spec.podTemplate();
    this.hash = PodTemplateHash.of(podTemplate);
    Map<String, String> labels = new LinkedHashMap<>(spec.options().selector());
    if (labels.isEmpty()) {
      for (Map.Entry<String, JsonNode> e :
          podTemplate.path("metadata").path("labels").properties()) {
        labels.put(e.getKey(), e.getValue().asString());
      }
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

  /** The strategy's scaleDownDelaySeconds. */
  abstract int scaleDownDelaySeconds();

  /** The strategy's scaleDownDelayRevisionLimit; empty: no limit, as in Argo Rollouts. */
  abstract java.util.OptionalInt scaleDownDelayRevisionLimit();

  /** Called when the API server or the mesh failed a reconcile, and when the lease is lost. */
  void forgetApplied() {}

  /** Called before a command's status is saved, with the status before and after it. */
  abstract void beforeCommand(RolloutStatus before, RolloutStatus after);

  /** Makes the rollout go from {@code s} to aborted with {@code why}, and acts on it. */
  abstract void abort(RolloutStatus s, Instant now, String why);

  /** What {@link #retry()} announces. */
  abstract String retryMessage();

  /**
   * The labels and annotations revision {@code revision}'s pods carry in their current role
   * (canary/stable, preview/active); none by default.
   */
  PodMetadata ephemeral(String revision) {
    return PodMetadata.NONE;
  }

  /** The anti-affinity the new revision's pods get towards the stable ones, if any. */
  java.util.Optional<AntiAffinity> antiAffinity() {
    return java.util.Optional.empty();
  }

  /** True while the status waits for ReplicaSets to become available (the progress deadline). */
  boolean waitsForReplicas(RolloutStatus s) {
    return false;
  }

  /** The status last loaded or saved (null before the first reconcile). */
  final RolloutStatus current() {
    return last;
  }

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
      s = RolloutStatus.stable(hash, now);
      if (spec.options().paused()) {
        s = s.paused(RolloutStatus.PAUSE_SPEC, "spec.paused: not scaled up until resumed");
      }
      s = save(s);
      emit(RolloutEvent.Type.STARTED, s, "first deployment of revision " + hash);
    } else {
      s = loaded.get();
      if (!s.canaryHash().equals(hash) && !s.stableHash().equals(hash)) {
        String abandoned = s.canaryHash().equals(s.stableHash()) ? null : s.canaryHash();
        java.util.List<String> history = s.history();
        String stable = s.stableHash();
        if (spec.options().rollbackWindowRevisions().isPresent()
            && history.stream()
                .limit(spec.options().rollbackWindowRevisions().getAsInt())
                .anyMatch(hash::equals)) {
          // a rollback within the window: promoted at once, without steps or analysis
          s =
              save(
                  RolloutStatus.start(hash, stable, now, history, s.pong())
                      .withPromoteFull()
                      .withDelayedScaleDowns(delayedAfter(s, now))
                      .withRestartedAt(s.restartedAt()));
          dropAnalyses();
          if (abandoned != null) {
            scale(abandoned, 0);
          }
          emit(
              RolloutEvent.Type.STARTED,
              s,
              "revision " + hash + " was stable before (rollbackWindow): promoted at once");
        } else {
          s =
              RolloutStatus.start(hash, stable, now, history, s.pong())
                  .withDelayedScaleDowns(delayedAfter(s, now))
                  .withRestartedAt(s.restartedAt());
          if (spec.options().paused()) {
            s = s.paused(RolloutStatus.PAUSE_SPEC, "spec.paused: waiting for resume");
          }
          s = save(s);
          dropAnalyses();
          if (abandoned != null) {
            scale(abandoned, 0);
          }
          emit(RolloutEvent.Type.STARTED, s, "revision " + hash + " replaces " + stable);
        }
      } else if (s.stableHash().equals(hash) && !s.canaryHash().equals(hash)) {
        // the template went back to the stable revision: no steps, the canary goes away
        String abandoned = s.canaryHash();
        s =
            save(
                RolloutStatus.stable(hash, now, s.history(), s.pong())
                    .withDelayedScaleDowns(delayedAfter(s, now))
                    .withRestartedAt(s.restartedAt()));
        dropAnalyses();
        scale(abandoned, 0);
        emit(RolloutEvent.Type.STARTED, s, "back to stable revision " + hash);
      }
    }
    if (s.canaryHash().equals(s.stableHash()) && s.phase() == RolloutPhase.PAUSED) {
      return; // a first deployment with spec.paused waits for resume() before scaling up
    }
    act(s, now);
    scaleDownDelayed(current(), now);
    workload(current(), now);
    restart(current(), now);
  }

  /**
   * Argo's {@code spec.restartAt}: once the time has come, and until every pod of the rollout's
   * ReplicaSets was created after it, evicts the oldest pods created before it, at most
   * maxUnavailable at a time (at least one), the stable ReplicaSet first, then the new one, then
   * older ones oldest first; it waits while a ReplicaSet is not fully available or a pod is still
   * terminating. When none is left it records {@code restartedAt}. A restart of a time already
   * recorded (or earlier) does nothing.
   */
  private void restart(RolloutStatus s, Instant now) {
    java.util.Optional<Instant> at = spec.options().restartAt();
    if (s == null || at.isEmpty()) {
      return;
    }
    if (s.restartedAt().isPresent() && !s.restartedAt().get().isBefore(at.get())) {
      return;
    }
    if (now.isBefore(at.get())) {
      scheduleWake(at.get());
      return;
    }
    java.util.List<String> order = new java.util.ArrayList<>();
    order.add(s.stableHash());
    order.add(s.canaryHash());
    s.previousStableHash().ifPresent(order::add);
    java.util.List<RolloutStatus.ScaleDown> older =
        new java.util.ArrayList<>(s.delayedScaleDowns());
    java.util.Collections.reverse(older); // newest first there: oldest first here
    older.forEach(d -> order.add(d.hash()));
    java.util.List<String> revisions =
        order.stream().distinct().filter(r -> replicas(r) > 0).toList();
    for (String revision : revisions) {
      if (available(revision) < replicas(revision)) {
        scheduleWake(now.plus(ctx.pollInterval()));
        return; // as Argo Rollouts: no restart while a ReplicaSet is not fully available
      }
    }
    int budget = Math.max(1, restartMaxUnavailable());
    for (String revision : revisions) {
      java.util.List<io.glidepath.rollout.driver.RolloutPod> pods =
          ctx.cluster().pods(namespace, name, revision);
      if (pods.stream().anyMatch(io.glidepath.rollout.driver.RolloutPod::terminating)) {
        scheduleWake(now.plus(ctx.pollInterval()));
        return;
      }
      java.util.List<io.glidepath.rollout.driver.RolloutPod> old =
          pods.stream()
              .filter(p -> p.createdAt().isBefore(at.get()))
              .sorted(
                  java.util.Comparator.comparing(io.glidepath.rollout.driver.RolloutPod::createdAt))
              .toList();
      if (!old.isEmpty()) {
        for (io.glidepath.rollout.driver.RolloutPod pod :
            old.subList(0, Math.min(budget, old.size()))) {
          ctx.cluster().evictPod(namespace, pod.name());
        }
        scheduleWake(now.plus(ctx.pollInterval()));
        return;
      }
    }
    save(s.withRestartedAt(at));
  }

  /** How many pods a restart may take down at once (the strategy's maxUnavailable). */
  abstract int restartMaxUnavailable();

  /**
   * The older stable revisions that keep their pods after {@code s} gives way to a new revision:
   * those already waiting, and {@code s}'s previous stable if its scaleDownDelaySeconds has not run
   * out (as Argo Rollouts' scale-down deadline annotation), newest first.
   */
  private java.util.List<RolloutStatus.ScaleDown> delayedAfter(RolloutStatus s, Instant now) {
    java.util.List<RolloutStatus.ScaleDown> out = new java.util.ArrayList<>();
    if (s.previousStableHash().isPresent() && s.completedAt().isPresent()) {
      String previous = s.previousStableHash().get();
      int delay = scaleDownDelayRevisionLimit().orElse(1) == 0 ? 0 : scaleDownDelaySeconds();
      Instant at = s.completedAt().get().plusSeconds(delay);
      if (ctx.cluster().replicas(namespace, name, previous) > 0) {
        out.add(new RolloutStatus.ScaleDown(previous, at));
      }
    }
    out.addAll(s.delayedScaleDowns());
    out.removeIf(d -> d.hash().equals(hash) || d.hash().equals(s.stableHash()));
    return out;
  }

  /**
   * Scales down the older stable revisions whose delay ran out, and those beyond
   * scaleDownDelayRevisionLimit (the previous stable, while it waits, counts first), as Argo
   * Rollouts does; wakes at the next deadline.
   */
  private void scaleDownDelayed(RolloutStatus s, Instant now) {
    if (s == null || s.delayedScaleDowns().isEmpty()) {
      return;
    }
    int limit = scaleDownDelayRevisionLimit().orElse(Integer.MAX_VALUE);
    int waiting =
        s.previousStableHash().isPresent()
                && ctx.cluster().replicas(namespace, name, s.previousStableHash().get()) > 0
            ? 1
            : 0;
    java.util.List<RolloutStatus.ScaleDown> keep = new java.util.ArrayList<>();
    for (RolloutStatus.ScaleDown d : s.delayedScaleDowns()) {
      if (d.hash().equals(s.canaryHash()) || d.hash().equals(s.stableHash())) {
        continue; // back in use
      }
      if (!now.isBefore(d.at()) || waiting >= limit) {
        scale(d.hash(), 0);
        continue;
      }
      waiting++;
      keep.add(d);
      scheduleWake(d.at());
    }
    if (keep.size() != s.delayedScaleDowns().size()) {
      save(s.withDelayedScaleDowns(keep));
    }
  }

  /**
   * workloadRef's scaleDown: onsuccess scales the workload to 0 once the rollout is healthy;
   * progressively as the rollout's pods become available (and back up when it is aborted).
   */
  private void workload(RolloutStatus s, Instant now) {
    if (s == null || spec.options().workloadRef().isEmpty()) {
      return;
    }
    WorkloadRef ref = spec.options().workloadRef().get();
    int replicas = spec.replicas();
    Integer want =
        switch (ref.scaleDown()) {
          case NEVER -> null;
          case ON_SUCCESS -> s.isPromoted() && available(s.stableHash()) >= replicas ? 0 : null;
          case PROGRESSIVELY -> {
            if (s.aborted()) {
              yield replicas;
            }
            int up = available(s.stableHash());
            if (!s.canaryHash().equals(s.stableHash())) {
              up += available(s.canaryHash());
            }
            yield Math.max(0, replicas - up);
          }
        };
    if (want != null && !want.equals(workloadReplicas)) {
      ctx.cluster().scaleWorkload(namespace, ref, want);
      workloadReplicas = want;
    }
    boolean settled =
        ref.scaleDown() == WorkloadRef.ScaleDown.NEVER
            || (want != null && want == 0)
            || (s.aborted() && ref.scaleDown() == WorkloadRef.ScaleDown.PROGRESSIVELY);
    if (!settled) {
      // the workload follows the rollout's pods: look again as they become available
      scheduleWake(now.plus(ctx.pollInterval()));
    }
  }

  private boolean pruned;

  /** Once per revision after promotion: old ReplicaSets beyond revisionHistoryLimit go. */
  final void pruneHistory(RolloutStatus s) {
    if (pruned) {
      return;
    }
    java.util.Set<String> inUse = new java.util.HashSet<>();
    inUse.add(s.stableHash());
    inUse.add(s.canaryHash());
    ctx.cluster().pruneReplicaSets(namespace, name, inUse, spec.options().revisionHistoryLimit());
    pruned = true;
  }

  /**
   * Checks the progress deadline while the rollout waits for ReplicaSets ({@code waitingFor}): past
   * it, the update is reported ProgressDeadlineExceeded, or aborted with progressDeadlineAbort.
   * Returns the status to go on with, or null when aborted.
   */
  final RolloutStatus checkProgress(RolloutStatus s, Instant now, String waitingFor) {
    int seconds = spec.options().progressDeadlineSeconds();
    Instant deadline = s.stepStartedAt().plusSeconds(seconds);
    if (now.isBefore(deadline)) {
      scheduleWake(deadline);
      return s;
    }
    String why =
        "ProgressDeadlineExceeded: "
            + waitingFor
            + " did not become available within progressDeadlineSeconds ("
            + seconds
            + "s)";
    if (spec.options().progressDeadlineAbort()) {
      emit(RolloutEvent.Type.PROGRESS_DEADLINE_EXCEEDED, s, why);
      abort(s, now, why);
      return null;
    }
    if (!s.message().equals(why)) {
      s = save(s.withMessage(why));
      emit(RolloutEvent.Type.PROGRESS_DEADLINE_EXCEEDED, s, why);
    }
    return s;
  }

  /**
   * Starts an analysis run for {@code ref}, or, when the run cannot be formed (an argument without
   * a value, a fieldRef with nothing at its path, colliding templates, a rule that matches no
   * metric), a run that is Error at once with the reason, as Argo marks such an AnalysisRun.
   */
  final io.glidepath.analysis.AnalysisRun startAnalysis(
      io.glidepath.rollout.AnalysisRef ref,
      io.glidepath.analysis.AnalysisListener listener,
      io.glidepath.analysis.RunIdentity identity) {
    io.glidepath.analysis.AnalysisTemplate template;
    try {
      template =
          io.glidepath.rollout.internal.Analyses.merged(
              spec, ref, lookUp(ref.valueFrom(), current()), this::resolveArgument);
    } catch (RuntimeException e) {
      return io.glidepath.analysis.AnalysisRun.invalid(
          identity, String.valueOf(e.getMessage()), ctx.scheduler(), listener);
    }
    return io.glidepath.analysis.AnalysisRun.start(
        template, ctx.providers(), ctx.scheduler(), listener, identity);
  }

  /**
   * A template argument's own valueFrom: a key of a Secret in the rollout's namespace, or a field
   * of the Rollout.
   */
  final java.util.Optional<String> resolveArgument(io.glidepath.analysis.Argument.ValueFrom ref) {
    if (ref instanceof io.glidepath.analysis.Argument.SecretKeyRef secret) {
      return ctx.cluster().secretValue(namespace, secret.name(), secret.key());
    }
    String path = ((io.glidepath.analysis.Argument.FieldRef) ref).fieldPath();
    return FieldPaths.resolve(spec.options().rolloutObject(), path);
  }

  final Map<String, String> lookUp(Map<String, ArgumentSource> valueFrom, RolloutStatus s) {
    Map<String, String> out = new LinkedHashMap<>();
    valueFrom.forEach(
        (arg, source) -> {
          if (source instanceof ArgumentSource.PodTemplateHash h) {
            out.put(
                arg,
                h.which() == ArgumentSource.PodTemplateHash.Which.STABLE
                    ? s.stableHash()
                    : s.canaryHash());
          } else {
            String path = ((ArgumentSource.FieldRef) source).fieldPath();
            java.util.Optional<String> v = FieldPaths.resolve(spec.options().rolloutObject(), path);
            if (v.isEmpty()
                && !path.startsWith("metadata.labels[")
                && !path.startsWith("metadata.annotations[")) {
              throw new io.glidepath.rollout.RolloutException(
                  "argument '"
                      + arg
                      + "' (valueFrom.fieldRef "
                      + path
                      + ") has no value in rollout "
                      + namespace
                      + "/"
                      + name);
            }
            // a missing label or annotation is the empty string, as in Kubernetes' downward API
            out.put(arg, v.orElse(""));
          }
        });
    return out;
  }

  // ------------------------------------------------------------------ cluster

  final Instant now() {
    return ctx.scheduler().now();
  }

  final void scale(String revision, int replicas) {
    java.util.Optional<ObjectNode> template =
        revision.equals(hash)
            ? java.util.Optional.of(templateFor(revision))
            : java.util.Optional.empty();
    ctx.cluster()
        .ensureReplicaSet(
            namespace,
            new ReplicaSetSpec(
                name + "-" + revision,
                revision,
                template,
                selector,
                replicas,
                spec.options().minReadySeconds(),
                ephemeral(revision)));
  }

  /**
   * This revision's pod template; while it is new (the stable revision differs) with the
   * anti-affinity term of Argo Rollouts towards the stable revision's pods.
   */
  private ObjectNode templateFor(String revision) {
    RolloutStatus s = last;
    java.util.Optional<AntiAffinity> anti = antiAffinity();
    if (anti.isEmpty() || s == null || s.stableHash().equals(revision) || s.isPromoted()) {
      return podTemplate;
    }
    ObjectNode t = podTemplate.deepCopy();
    ObjectNode podSpec = t.has("spec") ? (ObjectNode) t.get("spec") : t.putObject("spec");
    ObjectNode affinity =
        podSpec.has("affinity")
            ? (ObjectNode) podSpec.get("affinity")
            : podSpec.putObject("affinity");
    ObjectNode podAnti =
        affinity.has("podAntiAffinity")
            ? (ObjectNode) affinity.get("podAntiAffinity")
            : affinity.putObject("podAntiAffinity");
    ObjectNode term = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    term.putObject("labelSelector")
        .putArray("matchExpressions")
        .addObject()
        .put("key", io.glidepath.rollout.internal.driver.KubernetesRolloutCluster.HASH_LABEL)
        .put("operator", "In")
        .putArray("values")
        .add(s.stableHash());
    term.put("topologyKey", "kubernetes.io/hostname");
    if (anti.get().type() == AntiAffinity.Type.REQUIRED) {
      podAnti.withArray("requiredDuringSchedulingIgnoredDuringExecution").add(term);
    } else {
      podAnti
          .withArray("preferredDuringSchedulingIgnoredDuringExecution")
          .addObject()
          .put("weight", anti.get().weight())
          .set("podAffinityTerm", term);
    }
    return t;
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
          if (s.isPromoted()) {
            return s;
          }
          if (s.canaryHash().equals(s.stableHash())) {
            return unpaused(s);
          }
          // the last wait (the canary scaling to full size) gets a progress deadline of its own
          return s.withPromoteFull().withStepStartedAt(now());
        },
        RolloutEvent.Type.RESUMED,
        message);
  }

  static boolean pausedByUser(RolloutStatus s) {
    return s.phase() == RolloutPhase.PAUSED
        && (RolloutStatus.PAUSE_USER.equals(s.pauseReason().orElse(""))
            || RolloutStatus.PAUSE_SPEC.equals(s.pauseReason().orElse("")));
  }

  /**
   * Out of a pause by the user (or spec.paused): a first deployment becomes healthy and scales up;
   * a wait for ReplicaSets restarts its progress deadline, since paused time does not count.
   */
  final RolloutStatus unpaused(RolloutStatus s) {
    if (s.canaryHash().equals(s.stableHash())) {
      return RolloutStatus.stable(s.stableHash(), now(), s.history(), s.pong());
    }
    RolloutStatus r = s.resumed();
    return waitsForReplicas(r) ? r.withStepStartedAt(now()) : r;
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
          return RolloutStatus.start(s.canaryHash(), s.stableHash(), now(), s.history(), s.pong());
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
    command(s -> pausedByUser(s) ? unpaused(s) : s, RolloutEvent.Type.RESUMED, "resumed");
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

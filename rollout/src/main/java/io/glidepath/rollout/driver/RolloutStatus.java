package io.glidepath.rollout.driver;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.core.yaml.Yaml;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The persisted state of one rollout revision: written to the cluster before the driver acts on it,
 * so that a driver started later resumes exactly where the last one was.
 *
 * <p>Immutable; the {@code with*} methods return modified copies.
 *
 * @param phase Progressing, Paused, Healthy or Degraded
 * @param stepIndex the step being executed (= steps.size() once all are done)
 * @param canaryHash the pod-template hash of the revision being rolled out
 * @param stableHash the pod-template hash of the stable revision
 * @param weight the canary traffic weight the router must have (out of the plan's maxTrafficWeight,
 *     a percentage by default)
 * @param stepStartedAt when the current step started (pause timers count from here)
 * @param pauseReason why the rollout is paused ({@code CanaryPauseStep}, {@code
 *     InconclusiveAnalysis}, {@code UserPause}); empty if not
 * @param aborted true once aborted (weight 0, canary scaled down after the abort delay)
 * @param abortedAt when it was aborted
 * @param canaryScale a setCanaryScale override of the canary's replicas, if any
 * @param promoteFull true after {@code promoteFull()}: skip the remaining steps
 * @param backgroundVerdict the background analysis's verdict once it completed
 * @param previousStableHash the stable revision before promotion (scaled down after the delay)
 * @param completedAt when the rollout was promoted
 * @param message a human-readable reason (the failed metric and its measurements on abort)
 * @param history the revisions that were stable before, newest first (at most {@value
 *     #HISTORY_LIMIT}); a rollback window promotes a revision found here at once
 * @param pong with ping-pong Services, true when the pong Service is the stable one (each promotion
 *     swaps the roles)
 * @param delayedScaleDowns older stable revisions that still have their pods, each until its
 *     scaleDownDelaySeconds deadline (a new revision started before the previous stable's delay ran
 *     out), newest first
 * @param restartedAt the {@code restartAt} time whose restart of the pods completed (Argo's {@code
 *     status.restartedAt}), if any
 */
public record RolloutStatus(
    RolloutPhase phase,
    int stepIndex,
    String canaryHash,
    String stableHash,
    int weight,
    Instant stepStartedAt,
    Optional<String> pauseReason,
    boolean aborted,
    Optional<Instant> abortedAt,
    OptionalInt canaryScale,
    boolean promoteFull,
    Optional<AnalysisPhase> backgroundVerdict,
    Optional<String> previousStableHash,
    Optional<Instant> completedAt,
    String message,
    java.util.List<String> history,
    boolean pong,
    java.util.List<ScaleDown> delayedScaleDowns,
    Optional<Instant> restartedAt) {

  /**
   * An older stable revision whose ReplicaSet keeps its pods until {@code at}
   * (scaleDownDelaySeconds after it stopped being stable).
   */
  public record ScaleDown(String hash, Instant at) {
    /** Checks that both are set. */
    public ScaleDown {
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(at, "at");
    }
  }

  /** The most previous stable revisions {@link #history()} keeps. */
  public static final int HISTORY_LIMIT = 20;

  /** Pause reason of an indefinite pause step. */
  public static final String PAUSE_STEP = "CanaryPauseStep";

  /** Pause reason of an Inconclusive analysis. */
  public static final String PAUSE_INCONCLUSIVE = "InconclusiveAnalysis";

  /** Pause reason of {@code pause()}. */
  public static final String PAUSE_USER = "UserPause";

  /** Pause reason of a new revision of a Rollout with {@code spec.paused: true}. */
  public static final String PAUSE_SPEC = "SpecPaused";

  public RolloutStatus {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(canaryHash, "canaryHash");
    Objects.requireNonNull(stableHash, "stableHash");
    Objects.requireNonNull(stepStartedAt, "stepStartedAt");
    Objects.requireNonNull(pauseReason, "pauseReason");
    Objects.requireNonNull(abortedAt, "abortedAt");
    Objects.requireNonNull(canaryScale, "canaryScale");
    Objects.requireNonNull(backgroundVerdict, "backgroundVerdict");
    Objects.requireNonNull(previousStableHash, "previousStableHash");
    Objects.requireNonNull(completedAt, "completedAt");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(restartedAt, "restartedAt");
    history = java.util.List.copyOf(history);
    delayedScaleDowns = java.util.List.copyOf(delayedScaleDowns);
    // at most the plan's maxTrafficWeight (100 unless set), which the plan checks
    if (weight < 0) {
      throw new IllegalArgumentException("weight must be >= 0, but was " + weight);
    }
    if (stepIndex < 0) {
      throw new IllegalArgumentException("stepIndex must be >= 0, but was " + stepIndex);
    }
  }

  /** A new revision at step 0 with weight 0. */
  public static RolloutStatus start(String canaryHash, String stableHash, Instant now) {
    return start(canaryHash, stableHash, now, java.util.List.of());
  }

  /** A new revision at step 0 with weight 0, keeping the stable revisions before. */
  public static RolloutStatus start(
      String canaryHash, String stableHash, Instant now, java.util.List<String> history) {
    return start(canaryHash, stableHash, now, history, false);
  }

  /** A new revision at step 0, with the stable revisions before and the ping-pong roles. */
  public static RolloutStatus start(
      String canaryHash,
      String stableHash,
      Instant now,
      java.util.List<String> history,
      boolean pong) {
    return new RolloutStatus(
        RolloutPhase.PROGRESSING,
        0,
        canaryHash,
        stableHash,
        0,
        now,
        Optional.empty(),
        false,
        Optional.empty(),
        OptionalInt.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "",
        history,
        pong,
        java.util.List.of(),
        Optional.empty());
  }

  /** A stable revision with nothing in flight (e.g. the first deployment). */
  public static RolloutStatus stable(String hash, Instant now) {
    return stable(hash, now, java.util.List.of());
  }

  /** A stable revision with nothing in flight, keeping the stable revisions before. */
  public static RolloutStatus stable(String hash, Instant now, java.util.List<String> history) {
    return stable(hash, now, history, false);
  }

  /** A stable revision with nothing in flight, with the history and the ping-pong roles. */
  public static RolloutStatus stable(
      String hash, Instant now, java.util.List<String> history, boolean pong) {
    return new RolloutStatus(
        RolloutPhase.HEALTHY,
        0,
        hash,
        hash,
        0,
        now,
        Optional.empty(),
        false,
        Optional.empty(),
        OptionalInt.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.of(now),
        "",
        history,
        pong,
        java.util.List.of(),
        Optional.empty());
  }

  /** True when the canary has become the stable revision. */
  public boolean isPromoted() {
    return phase == RolloutPhase.HEALTHY && canaryHash.equals(stableHash);
  }

  /** The next step, started at {@code now}. */
  public RolloutStatus nextStep(Instant now) {
    Draft d = new Draft(this);
    d.phase = RolloutPhase.PROGRESSING;
    d.stepIndex = stepIndex + 1;
    d.stepStartedAt = now;
    d.pauseReason = Optional.empty();
    return d.build();
  }

  public RolloutStatus withWeight(int newWeight) {
    Draft d = new Draft(this);
    d.weight = newWeight;
    return d.build();
  }

  public RolloutStatus withCanaryScale(OptionalInt scale) {
    Draft d = new Draft(this);
    d.canaryScale = scale;
    return d.build();
  }

  /** Paused for {@code reason}. */
  public RolloutStatus paused(String reason, String why) {
    Draft d = new Draft(this);
    d.phase = RolloutPhase.PAUSED;
    d.pauseReason = Optional.of(reason);
    d.message = why;
    return d.build();
  }

  /** Progressing again (pause cleared), at the same step. */
  public RolloutStatus resumed() {
    Draft d = new Draft(this);
    d.phase = RolloutPhase.PROGRESSING;
    d.pauseReason = Optional.empty();
    d.message = "";
    return d.build();
  }

  /** Aborted: weight 0, Degraded with {@code why}. */
  public RolloutStatus abortedAt(Instant now, String why) {
    Draft d = new Draft(this);
    d.phase = RolloutPhase.DEGRADED;
    d.weight = 0;
    d.pauseReason = Optional.empty();
    d.aborted = true;
    d.abortedAt = Optional.of(now);
    d.promoteFull = false;
    d.message = why;
    return d.build();
  }

  public RolloutStatus withPromoteFull() {
    Draft d = new Draft(this);
    d.phase = RolloutPhase.PROGRESSING;
    d.pauseReason = Optional.empty();
    d.promoteFull = true;
    return d.build();
  }

  public RolloutStatus withBackgroundVerdict(AnalysisPhase verdict) {
    Draft d = new Draft(this);
    d.backgroundVerdict = Optional.of(verdict);
    return d.build();
  }

  /** Promoted: the canary is stable; weight back to 0 (all traffic to the new stable). */
  public RolloutStatus promotedAt(Instant now, String why) {
    Draft d = new Draft(this);
    d.phase = RolloutPhase.HEALTHY;
    d.stableHash = canaryHash;
    d.weight = 0;
    d.pauseReason = Optional.empty();
    d.aborted = false;
    d.abortedAt = Optional.empty();
    d.canaryScale = OptionalInt.empty();
    d.promoteFull = false;
    d.previousStableHash = Optional.of(stableHash);
    d.completedAt = Optional.of(now);
    d.message = why;
    d.history = withPrevious(stableHash);
    d.pong = !pong;
    return d.build();
  }

  /** {@link #history()} with {@code previous} in front (once; at most {@value #HISTORY_LIMIT}). */
  public java.util.List<String> withPrevious(String previous) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (!previous.equals(canaryHash)) {
      out.add(previous);
    }
    for (String h : history) {
      if (!out.contains(h) && !h.equals(canaryHash) && out.size() < HISTORY_LIMIT) {
        out.add(h);
      }
    }
    return java.util.List.copyOf(out);
  }

  /** A JSON object with every field (the persisted form). */
  public ObjectNode toJson() {
    ObjectNode o = Yaml.mapper().createObjectNode();
    o.put("phase", phase.argoName());
    o.put("stepIndex", stepIndex);
    o.put("canaryHash", canaryHash);
    o.put("stableHash", stableHash);
    o.put("weight", weight);
    o.put("stepStartedAt", stepStartedAt.toString());
    pauseReason.ifPresent(r -> o.put("pauseReason", r));
    o.put("aborted", aborted);
    abortedAt.ifPresent(t -> o.put("abortedAt", t.toString()));
    canaryScale.ifPresent(s -> o.put("canaryScale", s));
    o.put("promoteFull", promoteFull);
    backgroundVerdict.ifPresent(v -> o.put("backgroundVerdict", v.name()));
    previousStableHash.ifPresent(h -> o.put("previousStableHash", h));
    completedAt.ifPresent(t -> o.put("completedAt", t.toString()));
    o.put("message", message);
    history.forEach(o.withArray("history")::add);
    if (pong) {
      o.put("pong", true);
    }
    var delayed = o.putArray("delayedScaleDowns");
    delayedScaleDowns.forEach(
        d -> delayed.addObject().put("hash", d.hash()).put("at", d.at().toString()));
    restartedAt.ifPresent(t -> o.put("restartedAt", t.toString()));
    return o;
  }

  /** Reads {@link #toJson()}'s form. */
  public static RolloutStatus fromJson(JsonNode o) {
    return new RolloutStatus(
        phase(o.path("phase").asString()),
        o.path("stepIndex").asInt(),
        o.path("canaryHash").asString(),
        o.path("stableHash").asString(),
        o.path("weight").asInt(),
        Instant.parse(o.path("stepStartedAt").asString()),
        text(o, "pauseReason"),
        o.path("aborted").asBoolean(false),
        text(o, "abortedAt").map(Instant::parse),
        o.has("canaryScale") ? OptionalInt.of(o.get("canaryScale").asInt()) : OptionalInt.empty(),
        o.path("promoteFull").asBoolean(false),
        text(o, "backgroundVerdict").map(AnalysisPhase::valueOf),
        text(o, "previousStableHash"),
        text(o, "completedAt").map(Instant::parse),
        o.path("message").asString(""),
        history(o),
        o.path("pong").asBoolean(false),
        delayedScaleDowns(o),
        text(o, "restartedAt").map(Instant::parse));
  }

  private static java.util.List<ScaleDown> delayedScaleDowns(JsonNode o) {
    java.util.List<ScaleDown> out = new java.util.ArrayList<>();
    o.path("delayedScaleDowns")
        .forEach(
            d ->
                out.add(
                    new ScaleDown(
                        d.path("hash").asString(), Instant.parse(d.path("at").asString()))));
    return out;
  }

  /** This status with the older stable revisions that wait out their scale-down delay. */
  public RolloutStatus withDelayedScaleDowns(java.util.List<ScaleDown> delayed) {
    Draft d = new Draft(this);
    d.delayedScaleDowns = delayed;
    return d.build();
  }

  private static java.util.List<String> history(JsonNode o) {
    java.util.List<String> out = new java.util.ArrayList<>();
    o.path("history").forEach(h -> out.add(h.asString()));
    return out;
  }

  /** This status with its current step (re)started at {@code now}. */
  public RolloutStatus withStepStartedAt(Instant now) {
    Draft d = new Draft(this);
    d.stepStartedAt = now;
    return d.build();
  }

  /** This status with {@code message}. */
  public RolloutStatus withMessage(String newMessage) {
    Draft d = new Draft(this);
    d.message = newMessage;
    return d.build();
  }

  /** This status recording that the restart of the pods for {@code restartAt} completed. */
  public RolloutStatus withRestartedAt(Optional<Instant> at) {
    Draft d = new Draft(this);
    d.restartedAt = at;
    return d.build();
  }

  private static RolloutPhase phase(String name) {
    for (RolloutPhase p : RolloutPhase.values()) {
      if (p.argoName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown rollout phase '" + name + "'");
  }

  private static Optional<String> text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
  }

  /** A mutable copy of a status: each {@code with*} method changes a few of its fields. */
  private static final class Draft {
    private RolloutPhase phase;
    private int stepIndex;
    private final String canaryHash;
    private String stableHash;
    private int weight;
    private Instant stepStartedAt;
    private Optional<String> pauseReason;
    private boolean aborted;
    private Optional<Instant> abortedAt;
    private OptionalInt canaryScale;
    private boolean promoteFull;
    private Optional<AnalysisPhase> backgroundVerdict;
    private Optional<String> previousStableHash;
    private Optional<Instant> completedAt;
    private String message;
    private java.util.List<String> history;
    private boolean pong;
    private java.util.List<ScaleDown> delayedScaleDowns;
    private Optional<Instant> restartedAt;

    private Draft(RolloutStatus s) {
      phase = s.phase;
      stepIndex = s.stepIndex;
      canaryHash = s.canaryHash;
      stableHash = s.stableHash;
      weight = s.weight;
      stepStartedAt = s.stepStartedAt;
      pauseReason = s.pauseReason;
      aborted = s.aborted;
      abortedAt = s.abortedAt;
      canaryScale = s.canaryScale;
      promoteFull = s.promoteFull;
      backgroundVerdict = s.backgroundVerdict;
      previousStableHash = s.previousStableHash;
      completedAt = s.completedAt;
      message = s.message;
      history = s.history;
      pong = s.pong;
      delayedScaleDowns = s.delayedScaleDowns;
      restartedAt = s.restartedAt;
    }

    private RolloutStatus build() {
      return new RolloutStatus(
          phase,
          stepIndex,
          canaryHash,
          stableHash,
          weight,
          stepStartedAt,
          pauseReason,
          aborted,
          abortedAt,
          canaryScale,
          promoteFull,
          backgroundVerdict,
          previousStableHash,
          completedAt,
          message,
          history,
          pong,
          delayedScaleDowns,
          restartedAt);
    }
  }
}

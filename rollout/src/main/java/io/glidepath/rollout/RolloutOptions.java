package io.glidepath.rollout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Rollout-level settings both strategies share, with Argo Rollouts' meaning and defaults: the
 * progress deadline, minReadySeconds, a paused start, the rollback window, the revision history,
 * the workload the pod template comes from, the selector, and the Rollout object itself (what
 * {@code valueFrom.fieldRef} arguments read).
 *
 * <pre>{@code
 * RolloutOptions o = RolloutOptions.newBuilder()
 *     .progressDeadlineSeconds(300).progressDeadlineAbort(true)
 *     .build();
 * CanaryPlan plan = CanaryPlan.builder("trade-service").options(o)...build();
 * }</pre>
 *
 * <p>Defaults: progressDeadlineSeconds {@value #DEFAULT_PROGRESS_DEADLINE_SECONDS}, no abort on the
 * deadline, minReadySeconds 0, not paused, revisionHistoryLimit {@value
 * #DEFAULT_REVISION_HISTORY_LIMIT}, no rollback window, no workloadRef, the selector taken from the
 * pod template's labels. Immutable and thread-safe.
 */
public final class RolloutOptions {
  /** Argo's default progressDeadlineSeconds. */
  public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  /** Argo's default revisionHistoryLimit. */
  public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

  /** Argo's default successful and unsuccessful run history limits. */
  public static final int DEFAULT_RUN_HISTORY_LIMIT = 5;

  private static final RolloutOptions DEFAULTS = new Builder().build();

  private final int minReadySeconds;
  private final int progressDeadlineSeconds;
  private final boolean progressDeadlineAbort;
  private final boolean paused;
  private final int revisionHistoryLimit;
  private final OptionalInt rollbackWindowRevisions;
  private final Optional<java.time.Instant> restartAt;
  private final Optional<WorkloadRef> workloadRef;
  private final int successfulRunHistoryLimit;
  private final int unsuccessfulRunHistoryLimit;
  private final Map<String, String> selector;
  private final ObjectNode rolloutObject;

  private RolloutOptions(Builder b) {
    minReadySeconds = b.minReadySeconds;
    progressDeadlineSeconds = b.progressDeadlineSeconds;
    progressDeadlineAbort = b.progressDeadlineAbort;
    paused = b.paused;
    revisionHistoryLimit = b.revisionHistoryLimit;
    rollbackWindowRevisions = b.rollbackWindowRevisions;
    restartAt = Optional.ofNullable(b.restartAt);
    workloadRef = Optional.ofNullable(b.workloadRef);
    successfulRunHistoryLimit = b.successfulRunHistoryLimit;
    unsuccessfulRunHistoryLimit = b.unsuccessfulRunHistoryLimit;
    selector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.selector));
    rolloutObject = b.rolloutObject.deepCopy();
  }

  /** Argo's defaults. */
  public static RolloutOptions ofDefaults() {
    return DEFAULTS;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.minReadySeconds = minReadySeconds;
    b.progressDeadlineSeconds = progressDeadlineSeconds;
    b.progressDeadlineAbort = progressDeadlineAbort;
    b.paused = paused;
    b.revisionHistoryLimit = revisionHistoryLimit;
    b.rollbackWindowRevisions = rollbackWindowRevisions;
    b.restartAt = restartAt.orElse(null);
    b.workloadRef = workloadRef.orElse(null);
    b.successfulRunHistoryLimit = successfulRunHistoryLimit;
    b.unsuccessfulRunHistoryLimit = unsuccessfulRunHistoryLimit;
    b.selector.putAll(selector);
    b.rolloutObject = rolloutObject.deepCopy();
    return b;
  }

  /** Seconds a new pod must be ready before it counts as available (ReplicaSet minReadySeconds). */
  public int minReadySeconds() {
    return minReadySeconds;
  }

  /**
   * Seconds an update may go without progress (a new ReplicaSet becoming available, a step
   * completing) before it is ProgressDeadlineExceeded; time paused does not count.
   */
  public int progressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  /** Whether an update that exceeds its progress deadline is aborted (else it is reported). */
  public boolean progressDeadlineAbort() {
    return progressDeadlineAbort;
  }

  /** Whether a new revision starts paused (until {@code resume()}). */
  public boolean paused() {
    return paused;
  }

  /** Old ReplicaSets kept (scaled to 0) beyond the stable one; older ones are deleted. */
  public int revisionHistoryLimit() {
    return revisionHistoryLimit;
  }

  /**
   * {@code rollbackWindow.revisions}: a revision that was stable within the last this many
   * revisions is promoted at once, without steps or analysis.
   */
  public OptionalInt rollbackWindowRevisions() {
    return rollbackWindowRevisions;
  }

  /**
   * Argo's {@code spec.restartAt}: once this time has come, every pod of the rollout created before
   * it is evicted (its ReplicaSet makes a new one), at most maxUnavailable at a time, and the
   * status records {@code restartedAt}.
   */
  public Optional<java.time.Instant> restartAt() {
    return restartAt;
  }

  /** Where the pod template comes from, when not from the Rollout itself. */
  public Optional<WorkloadRef> workloadRef() {
    return workloadRef;
  }

  /**
   * {@code analysis.successfulRunHistoryLimit}. Glidepath keeps no AnalysisRun or Experiment
   * objects in the cluster, so the limit holds trivially; kept for describe and round trips.
   */
  public int successfulRunHistoryLimit() {
    return successfulRunHistoryLimit;
  }

  /** {@code analysis.unsuccessfulRunHistoryLimit}; see {@link #successfulRunHistoryLimit()}. */
  public int unsuccessfulRunHistoryLimit() {
    return unsuccessfulRunHistoryLimit;
  }

  /**
   * {@code spec.selector.matchLabels}: the labels ReplicaSets select pods by (plus {@code
   * rollouts-pod-template-hash}); empty means the pod template's labels.
   */
  public Map<String, String> selector() {
    return selector;
  }

  /**
   * The Rollout object (a copy) as read, or built from the plan's name and namespace: what {@code
   * valueFrom.fieldRef} arguments read ({@code metadata.labels['region']}).
   */
  public ObjectNode rolloutObject() {
    return rolloutObject.deepCopy();
  }

  @Override
  public String toString() {
    return "RolloutOptions[progressDeadlineSeconds="
        + progressDeadlineSeconds
        + (progressDeadlineAbort ? " (abort)" : "")
        + ", minReadySeconds="
        + minReadySeconds
        + (paused ? ", paused" : "")
        + "]";
  }

  /** Builds {@link RolloutOptions}; every setter validates. Not thread-safe. */
  public static final class Builder {
    private int minReadySeconds;
    private int progressDeadlineSeconds = DEFAULT_PROGRESS_DEADLINE_SECONDS;
    private boolean progressDeadlineAbort;
    private boolean paused;
    private int revisionHistoryLimit = DEFAULT_REVISION_HISTORY_LIMIT;
    private OptionalInt rollbackWindowRevisions = OptionalInt.empty();
    private java.time.Instant restartAt;
    private WorkloadRef workloadRef;
    private int successfulRunHistoryLimit = DEFAULT_RUN_HISTORY_LIMIT;
    private int unsuccessfulRunHistoryLimit = DEFAULT_RUN_HISTORY_LIMIT;
    private final Map<String, String> selector = new LinkedHashMap<>();
    private ObjectNode rolloutObject = JsonNodeFactory.instance.objectNode();

    private Builder() {}

    public Builder minReadySeconds(int seconds) {
      this.minReadySeconds = nonNegative("minReadySeconds", seconds);
      return this;
    }

    public Builder progressDeadlineSeconds(int seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException(
            "progressDeadlineSeconds must be >= 1, but was " + seconds);
      }
      this.progressDeadlineSeconds = seconds;
      return this;
    }

    public Builder progressDeadlineAbort(boolean abort) {
      this.progressDeadlineAbort = abort;
      return this;
    }

    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    public Builder revisionHistoryLimit(int limit) {
      this.revisionHistoryLimit = nonNegative("revisionHistoryLimit", limit);
      return this;
    }

    public Builder rollbackWindowRevisions(int revisions) {
      this.rollbackWindowRevisions =
          OptionalInt.of(nonNegative("rollbackWindow.revisions", revisions));
      return this;
    }

    /** Restarts the rollout's pods created before {@code at} (Argo's {@code spec.restartAt}). */
    public Builder restartAt(java.time.Instant at) {
      this.restartAt = Objects.requireNonNull(at, "at");
      return this;
    }

    public Builder workloadRef(WorkloadRef ref) {
      this.workloadRef = Objects.requireNonNull(ref, "ref");
      return this;
    }

    public Builder successfulRunHistoryLimit(int limit) {
      this.successfulRunHistoryLimit = nonNegative("successfulRunHistoryLimit", limit);
      return this;
    }

    public Builder unsuccessfulRunHistoryLimit(int limit) {
      this.unsuccessfulRunHistoryLimit = nonNegative("unsuccessfulRunHistoryLimit", limit);
      return this;
    }

    /** {@code spec.selector.matchLabels}. */
    public Builder selector(Map<String, String> matchLabels) {
      selector.clear();
      selector.putAll(matchLabels);
      return this;
    }

    /** The Rollout object {@code valueFrom.fieldRef} arguments read (copied). */
    public Builder rolloutObject(ObjectNode rollout) {
      this.rolloutObject = Objects.requireNonNull(rollout, "rollout").deepCopy();
      return this;
    }

    private static int nonNegative(String field, int value) {
      if (value < 0) {
        throw new IllegalArgumentException(field + " must be >= 0, but was " + value);
      }
      return value;
    }

    public RolloutOptions build() {
      return new RolloutOptions(this);
    }
  }
}

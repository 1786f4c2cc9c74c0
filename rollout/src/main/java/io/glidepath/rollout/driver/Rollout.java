package io.glidepath.rollout.driver;

/**
 * One rollout driven by a {@link RolloutDriver}: its status and the commands of Argo's {@code
 * kubectl argo rollouts} CLI.
 *
 * <p>Every command is persisted in the cluster before the driver acts on it. Thread-safe.
 */
public interface Rollout {
  /** The workload's namespace. */
  String namespace();

  /** The workload's name. */
  String name();

  /** The pod-template hash of the plan's revision. */
  String revision();

  /** The persisted status (read from the cluster). */
  RolloutStatus status();

  /**
   * The health of the canary and stable ReplicaSets of the persisted status, as the driver's {@link
   * io.glidepath.core.health.HealthAssessor} judges them now (read from the cluster).
   *
   * @throws IllegalStateException if the rollout has no status yet
   */
  RolloutHealth health();

  /**
   * Continues past the current pause or inconclusive analysis (or skips the current step).
   *
   * @throws IllegalStateException if the rollout was aborted (use {@link #retry()})
   */
  void promote();

  /** Skips every remaining step and analysis: the canary goes to 100% and becomes stable. */
  void promoteFull();

  /** Aborts: the canary's weight goes to 0 at once and it is scaled down after the delay. */
  void abort();

  /**
   * Restarts an aborted rollout from step 0.
   *
   * @throws IllegalStateException if the rollout is not aborted
   */
  void retry();

  /** Pauses: no further step runs until {@link #resume()} or {@link #promote()}. */
  void pause();

  /** Ends a {@link #pause()}. */
  void resume();

  /** Looks at the cluster and acts now (the driver also does so on its own timers). */
  void reconcile();
}

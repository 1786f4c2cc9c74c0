package io.glidepath.rollout.internal;

/**
 * A rollout cluster or traffic router that sends every write through {@link Kube}: under {@link
 * Kube#fenced} the fencing check then runs between the read a write's precondition comes from and
 * the write, and the write carries that precondition, so a sharded driver needs no check of its own
 * before the call.
 */
public interface WritesThroughKube {
  /** Whether every write goes through {@link Kube} (a combination: whether all its parts do). */
  default boolean writesThroughKube() {
    return true;
  }
}

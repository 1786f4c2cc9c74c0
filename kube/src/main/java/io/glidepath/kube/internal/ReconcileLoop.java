package io.glidepath.kube.internal;

import java.time.Duration;

/**
 * Where one controller's reconciles run: on the controller's own thread ({@link OwnThreadLoop}), or
 * on the shared workers of a {@link io.glidepath.kube.controller.ControllerManager} ({@link
 * WorkQueue}). Requests are coalesced: a reconcile asked for while one is queued is the same one.
 */
interface ReconcileLoop {
  /** What a loop runs: one reconcile, periodic (a resync) or asked for (a change). */
  @FunctionalInterface
  interface Target {
    void reconcile(boolean periodic);
  }

  /** Starts: a first (periodic) reconcile soon, then one every resync period. */
  void start(Target target);

  /** Asks for a reconcile soon (coalesced with one already queued). */
  void refresh();

  /** Asks for a reconcile after {@code delay}; returns whether the loop runs and took it. */
  boolean refreshAfter(Duration delay);

  /**
   * Stops: no reconcile starts afterwards; waits (bounded) for one in flight unless called from it.
   */
  void stop();

  /** Whether the calling thread is running this loop's reconcile now. */
  boolean onLoopThread();
}

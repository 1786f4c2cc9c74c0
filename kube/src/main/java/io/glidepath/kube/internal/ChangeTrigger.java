package io.glidepath.kube.internal;

/**
 * Something outside the cluster that asks a running controller for a reconcile (a Git watcher).
 * Started with the controller's loop and stopped with it.
 */
public interface ChangeTrigger {
  /** From now on, calls {@code refresh} when something changed; must return at once. */
  void start(Runnable refresh);

  /** Stops calling the refresh given to {@link #start}. */
  void stop();
}

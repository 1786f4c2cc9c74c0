package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;

/**
 * Something outside the cluster that asks a running controller for a reconcile (a Git watcher).
 * Started with the controller's loop and stopped with it.
 */
public interface ChangeTrigger {
  /** From now on, calls {@code refresh} when something changed; must return at once. */
  void start(Runnable refresh);

  /**
   * The app's spec as of the last reconcile (the Application object's, when the controller follows
   * one): a trigger that depends on it (a Git revision) follows it from now on. Must return at
   * once. Called after {@link #start} and whenever the spec changes; does nothing by default.
   */
  default void follow(Application app) {}

  /** Stops calling the refresh given to {@link #start}. */
  void stop();
}

package io.glidepath.kube.controller;

import io.glidepath.core.project.ProjectViolationException;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.kube.sync.SyncResult;

/**
 * Told about an {@link ApplicationController}'s work. Called on the controller's thread; must be
 * fast and never throw. Every method does nothing by default; {@link #NONE} ignores everything.
 */
public interface ControllerListener {
  /** A listener that ignores everything. */
  ControllerListener NONE = new ControllerListener() {};

  /** The plan of the sync about to start. */
  default void planned(String app, SyncPlan plan) {}

  /** A sync of {@code revision} is starting. */
  default void syncStarted(String app, String revision) {}

  /**
   * A sync of {@code revision} is starting, for {@code reason}. The controller calls this one; by
   * default it calls {@link #syncStarted(String, String)}.
   */
  default void syncStarted(String app, String revision, SyncReason reason) {
    syncStarted(app, revision);
  }

  /** A sync finished. */
  default void syncFinished(String app, SyncResult result) {}

  /**
   * The app's project refused a sync of {@code revision} (or its render result) before anything was
   * written. Told once per refusal: the controller does not try the same revision again before the
   * next resync period, or before the blocking sync window ends.
   */
  default void refused(String app, String revision, ProjectViolationException violation) {}

  /**
   * The app's Argo CD {@code Application} object was deleted from the cluster: the controller no
   * longer reconciles the app (a started controller stops its loop; {@link
   * ApplicationController#start()} starts it again, e.g. once the object is re-created). When the
   * object carried Argo CD's {@code resources-finalizer.argocd.argoproj.io}, this is told after the
   * app's resources were deleted and the finalizer removed. Told once per deletion.
   */
  default void applicationDeleted(String app) {}

  /** A reconcile finished, with or without a sync. */
  default void reconciled(AppStatus status) {}

  /**
   * With {@link ControllerManager.Builder#sharding}: this replica claimed {@code app} and runs it
   * now ({@code takenOver}: from a replica that was no longer live, not from a released claim).
   */
  default void claimed(String app, boolean takenOver) {}

  /** With sharding: this replica stopped {@code app} and released its claim (it moved away). */
  default void released(String app) {}

  /**
   * With sharding: a reconcile of {@code app} was not run because this replica's claim did not hold
   * (it was taken for dead, or its own Lease is stale); the app is stopped until claimed again.
   */
  default void fenced(String app) {}

  /**
   * {@link #fenced(String)} with the refusal: its {@link
   * io.glidepath.kube.shard.FencedWriteException#kind()} says why (e.g. the claim could not be
   * read, or another replica holds it). By default calls {@link #fenced(String)}; the manager calls
   * this one.
   */
  default void fenced(String app, io.glidepath.kube.shard.FencedWriteException refusal) {
    fenced(app);
  }
}

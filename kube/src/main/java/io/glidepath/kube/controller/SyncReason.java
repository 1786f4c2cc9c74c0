package io.glidepath.kube.controller;

/**
 * Why an {@link ApplicationController} started a sync, as Argo CD tells them apart in an
 * Application's operation: a revision (commit and parameters) not synced before, or selfHeal
 * reverting drift of a revision already synced.
 */
public enum SyncReason {
  /** Automated sync of a revision the controller has not synced before. */
  NEW_REVISION,
  /** selfHeal: the revision was synced already and the cluster drifted from it. */
  SELF_HEAL,
  /**
   * The Application object's {@code operation} asked for a sync (Argo CD's manual sync, or an
   * ApplicationSet's RollingSync step); done whether or not the app is automated.
   */
  REQUESTED
}

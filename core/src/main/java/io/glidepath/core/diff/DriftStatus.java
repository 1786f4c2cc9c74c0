package io.glidepath.core.diff;

/** How one resource compares between Git (desired) and the cluster (live). */
public enum DriftStatus {
  /** Desired and live are equal on every compared field. */
  SYNCED,
  /** Both exist and differ: the drift has a patch and a diff. */
  MODIFIED,
  /** In Git, not in the cluster. */
  MISSING,
  /** Tracked in the cluster, gone from Git: a prune candidate. */
  EXTRANEOUS;

  /** Whether a sync would change the cluster for this resource. */
  public boolean isOutOfSync() {
    return this != SYNCED;
  }

  /** The spelling used in reports ({@code Modified}). */
  public String displayName() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}

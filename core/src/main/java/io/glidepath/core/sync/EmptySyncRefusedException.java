package io.glidepath.core.sync;

import io.glidepath.core.GlidepathException;

/**
 * A sync would delete every tracked resource and create nothing, and the application does not allow
 * empty syncs ({@code syncPolicy.automated.allowEmpty: false}). Usually a broken render (an empty
 * values file, a wrong path), not a wish to delete the application.
 */
public final class EmptySyncRefusedException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final int pruneCount;

  public EmptySyncRefusedException(int pruneCount) {
    super(
        "refusing to sync: Git declares no resources, so the sync would prune all "
            + pruneCount
            + " tracked resources and apply nothing; set allowEmpty to allow it");
    this.pruneCount = pruneCount;
  }

  /** How many resources the refused plan would have pruned. */
  public int pruneCount() {
    return pruneCount;
  }
}

package io.glidepath.kube.sync;

/** What a sync did to one resource (gitops-engine's result codes). */
public enum ResultCode {
  /** Applied (or a hook ran) successfully. */
  SYNCED,
  /** Applying, or the hook, failed; the message says why. */
  SYNC_FAILED,
  /** Deleted because it is gone from Git. */
  PRUNED,
  /** Left alone although gone from Git (not owned, {@code Prune=false}, already gone). */
  PRUNE_SKIPPED
}

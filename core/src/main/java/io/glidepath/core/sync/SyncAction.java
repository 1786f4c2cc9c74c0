package io.glidepath.core.sync;

/** What a sync step does to its resource. */
public enum SyncAction {
  /** Create or update the desired resource. */
  APPLY,
  /** Delete a live resource that is gone from Git. */
  PRUNE,
  /** Create a hook resource (a Job, usually) and wait for it, per its phase. */
  HOOK;

  /** {@code Apply}, {@code Prune}, {@code Hook}. */
  public String displayName() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}

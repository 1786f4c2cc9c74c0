package io.glidepath.git.watch;

/** How a watched revision moved. */
public enum ChangeKind {
  /** The first commit the watcher saw. */
  INITIAL,
  /** The new commit descends from the previous one. */
  FAST_FORWARD,
  /**
   * The previous commit is no longer in the new commit's history: someone rewrote history
   * (force-push, reset). Changes between the two may include reverts of what was deployed.
   */
  FORCE_PUSH
}

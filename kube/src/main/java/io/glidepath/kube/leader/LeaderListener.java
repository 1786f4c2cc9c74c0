package io.glidepath.kube.leader;

/**
 * Told when leadership changes. Called on the election's thread; must be fast and never throw.
 * Implement only what you need: every method does nothing by default.
 */
public interface LeaderListener {
  /** A listener that ignores everything. */
  LeaderListener NONE = new LeaderListener() {};

  /** This instance became the leader: start the work only a leader does. */
  default void startedLeading() {}

  /** This instance lost (or gave up) leadership: stop that work at once. */
  default void stoppedLeading() {}

  /** {@code identity} is now the leader (possibly this instance). */
  default void newLeader(String identity) {}
}

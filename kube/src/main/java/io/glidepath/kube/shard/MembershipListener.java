package io.glidepath.kube.shard;

import java.util.SortedSet;

/**
 * Told about a {@link ReplicaMembership}: one call at a time, in order, on the membership's
 * listener thread (with {@link ReplicaMembership.Builder#manualTicks()}: in the caller's round),
 * never on the thread that renews the Lease, so a slow listener delays no renewal; must never
 * throw.
 */
public interface MembershipListener {
  /** Nothing to do. */
  MembershipListener NONE = new MembershipListener() {};

  /** The live replicas changed to {@code members} (this replica among them while it is alive). */
  default void membersChanged(SortedSet<String> members) {}

  /**
   * This replica's Lease was renewed; {@code latency}: from sending the read to the write's answer.
   */
  default void renewed(java.time.Duration latency) {}

  /**
   * One renew-and-look round ended (every renew interval), whatever it found; also called after
   * {@link #membersChanged} between rounds (a peer's Lease seen through the watch, a peer's lease
   * running out), so that work sharded over the members rebalances at once.
   */
  default void ticked() {}
}

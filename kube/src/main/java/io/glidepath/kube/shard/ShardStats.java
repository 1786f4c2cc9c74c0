package io.glidepath.kube.shard;

/**
 * What one replica's share of sharded work items looks like now, for monitoring (a gauge and six
 * counters since the start).
 *
 * @param owned items this replica runs now
 * @param claims items it claimed (taken over included)
 * @param takeovers of those, items taken over from a replica that was no longer live
 * @param releases items it stopped and released because they moved to another replica (or were
 *     withdrawn)
 * @param fencedWrites writes (or reconciles) refused by the fencing check because this replica no
 *     longer held the item's claim; 0 in a healthy group
 * @param claimWrites writes of claims it sent (creates, takeovers, releases): about one per item
 *     when it starts, then only when the members change (0 when not known)
 * @param assignments times it computed the owners of all its items: once per change of the members,
 *     not per item offered (0 when not known)
 */
public record ShardStats(
    int owned,
    long claims,
    long takeovers,
    long releases,
    long fencedWrites,
    long claimWrites,
    long assignments) {
  /** Figures without the claim writes and assignments (0). */
  public ShardStats(int owned, long claims, long takeovers, long releases, long fencedWrites) {
    this(owned, claims, takeovers, releases, fencedWrites, 0, 0);
  }
}

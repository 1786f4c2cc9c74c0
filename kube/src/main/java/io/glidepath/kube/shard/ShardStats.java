package io.glidepath.kube.shard;

/**
 * What one replica's share of sharded work items looks like now, for monitoring (a gauge and four
 * counters since the start).
 *
 * @param owned items this replica runs now
 * @param claims items it claimed (taken over included)
 * @param takeovers of those, items taken over from a replica that was no longer live
 * @param releases items it stopped and released because they moved to another replica (or were
 *     withdrawn)
 * @param fencedWrites writes (or reconciles) refused by the fencing check because this replica no
 *     longer held the item's claim; 0 in a healthy group
 */
public record ShardStats(
    int owned, long claims, long takeovers, long releases, long fencedWrites) {}

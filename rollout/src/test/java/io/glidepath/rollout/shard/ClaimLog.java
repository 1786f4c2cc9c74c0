package io.glidepath.rollout.shard;

import io.glidepath.testkit.cluster.RecordedCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the EmbeddedCluster's request log of a fleet of replicas (told apart by User-Agent) as
 * claims and writes per work item: a successful write of an item's claim Lease by a replica that
 * does not hold it starts that replica's claim (a create or a takeover); one by the holder ends it
 * (a release: ItemClaims writes its own claim only to give it up). Any other successful write of a
 * replica to one of an item's objects must fall inside a claim of that replica, else two replicas
 * wrote the item in overlapping claims (or one wrote without holding it).
 */
final class ClaimLog {
  /** A write outside the writer's claim. */
  record Violation(RecordedCall call, String item, String holder, String history) {
    @Override
    public String toString() {
      return call.time()
          + " "
          + call
          + ": item "
          + item
          + " held by '"
          + holder
          + "'; its claims: "
          + history;
    }
  }

  /** A claim of an item taken by {@code replica} at {@code at}. */
  record Claim(String item, String replica, Instant at) {}

  private final List<Violation> violations = new ArrayList<>();
  private final List<Claim> claims = new ArrayList<>();
  private final Map<String, String> holders = new HashMap<>();
  private final Map<String, Long> writes = new HashMap<>();
  // per item, its claim changes and the last write of each replica, for a violation's story
  private final Map<String, StringBuilder> history = new HashMap<>();

  private ClaimLog() {}

  /** Reads {@code calls} (the log, oldest first); only requests from {@code replicas} count. */
  static ClaimLog read(List<RecordedCall> calls, Set<String> replicas) {
    ClaimLog log = new ClaimLog();
    for (RecordedCall c : calls) {
      if (!c.successfulWrite() || !replicas.contains(c.userAgent())) {
        continue;
      }
      Optional<String> item = Fleet.itemOf(c.objectName());
      if (item.isEmpty()) {
        continue;
      }
      String it = item.get();
      String holder = log.holders.getOrDefault(it, "");
      StringBuilder story = log.history.computeIfAbsent(it, k -> new StringBuilder());
      if (Fleet.isClaim(c.kind(), c.objectName())) {
        story.append(
            String.format(
                "%n  %s %s %s",
                c.time(),
                c.userAgent(),
                holder.equals(c.userAgent())
                    ? "released"
                    : holder.isEmpty() ? "claimed" : "took over from " + holder));
        if (holder.equals(c.userAgent())) {
          log.holders.put(it, ""); // released
        } else {
          log.holders.put(it, c.userAgent());
          log.claims.add(new Claim(it, c.userAgent(), c.time()));
        }
      } else if (!holder.equals(c.userAgent())) {
        log.violations.add(new Violation(c, it, holder, story.toString()));
      } else {
        log.writes.merge(c.userAgent(), 1L, Long::sum);
      }
    }
    return log;
  }

  /** Writes outside the writer's claim, oldest first; empty in a correct run. */
  List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Every claim taken, oldest first. */
  List<Claim> claims() {
    return List.copyOf(claims);
  }

  /** Who holds each item's claim at the end of the log ("" for released). */
  Map<String, String> holders() {
    return Map.copyOf(holders);
  }

  /** Writes to items' own objects within claims, by replica. */
  Map<String, Long> writesByReplica() {
    return Map.copyOf(writes);
  }
}

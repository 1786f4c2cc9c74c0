package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Items grouped by a shard key run together on one replica; the listener hears every claim; a
 * replica claims its items once each (together, not one round trip after another) and claims or
 * releases nothing again while the members stay the same.
 */
class ShardedItemsIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.NONE);
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private ReplicaMembership replica(String id) {
    return ReplicaMembership.builder(cluster, "default", "glidepath")
        .identity(id)
        .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
        .clock(clock)
        .manualTicks()
        .start();
  }

  @Test
  void itemsWithOneShardKeyRunOnOneReplica() {
    // 6 destinations with 3 apps each: "<destination>/<app>"
    List<String> items =
        IntStream.range(0, 18).mapToObj(i -> "dest-" + (i % 6) + "/app-" + i).toList();
    Set<String> claimedA = ConcurrentHashMap.newKeySet();
    Set<String> claimedB = ConcurrentHashMap.newKeySet();
    try (ReplicaMembership a = replica("replica-a");
        ReplicaMembership b = replica("replica-b")) {
      a.tick(); // both see each other
      try (ShardedItems onA = items(a, claimedA);
          ShardedItems onB = items(b, claimedB)) {
        onA.offerAll(items);
        onB.offerAll(items);

        assertThat(union(onA.running(), onB.running())).containsExactlyInAnyOrderElementsOf(items);
        assertThat(onA.running()).doesNotContainAnyElementsOf(onB.running());
        assertThat(onA.running()).isNotEmpty();
        assertThat(onB.running()).isNotEmpty();
        Set<String> keysA = keys(onA.running());
        Set<String> keysB = keys(onB.running());
        assertThat(keysA).doesNotContainAnyElementsOf(keysB);
        for (String key : keysA) {
          assertThat(onA.running()).filteredOn(i -> i.startsWith(key + "/")).hasSize(3);
        }
        assertThat(claimedA).isEqualTo(onA.running());
        assertThat(claimedB).isEqualTo(onB.running());
        assertThat(onA.isRunning(onA.running().iterator().next())).isTrue();
      }
    }
  }

  @Test
  void theAssignedOwnerIsWhereTheItemRunsUnderEveryAssignment() {
    List<String> items = IntStream.range(0, 12).mapToObj(i -> "job-" + i).toList();
    for (ShardAssignment assignment :
        List.of(
            ShardAssignment.rendezvous(),
            ShardAssignment.argo("legacy"),
            ShardAssignment.argo("round-robin"),
            ShardAssignment.argo("consistent-hashing"))) {
      try (ReplicaMembership a = replica("replica-a");
          ReplicaMembership b = replica("replica-b")) {
        a.tick(); // both see each other
        try (ShardedItems onA =
                ShardedItems.builder(a, (item, fence) -> () -> {}).assignment(assignment).build();
            ShardedItems onB =
                ShardedItems.builder(b, (item, fence) -> () -> {}).assignment(assignment).build()) {
          onA.offerAll(items);
          onB.offerAll(items);
          assertThat(onB.running()).as(assignment + ": replica-b runs some").isNotEmpty();
          for (String item : items) {
            String runsOn = onA.isRunning(item) ? "replica-a" : "replica-b";
            assertThat(onA.assignedOwner(item)).as(assignment + ": " + item).contains(runsOn);
            assertThat(onB.assignedOwner(item)).as(assignment + ": " + item).contains(runsOn);
          }
        }
      }
    }
  }

  /**
   * Over fixed shards, the keys of a shard whose replica is not live have no owner: a pass does not
   * assign such a key alone (alone, round-robin ranks it first: shard 0).
   */
  @Test
  void overFixedShardsTheKeysOfAShardWithoutItsReplicaRunNowhere() {
    List<String> items = IntStream.range(0, 6).mapToObj(i -> "job-" + i).toList();
    ShardAssignment fixed =
        ShardAssignment.argoFixed("round-robin", 3, ShardAssignment::shardFromName);
    try (ReplicaMembership zero = replica("glidepath-0");
        ReplicaMembership one = replica("glidepath-1")) {
      zero.tick(); // both see each other; glidepath-2 (shard 2) is not live
      try (ShardedItems on0 =
              ShardedItems.builder(zero, (item, fence) -> () -> {}).assignment(fixed).build();
          ShardedItems on1 =
              ShardedItems.builder(one, (item, fence) -> () -> {}).assignment(fixed).build()) {
        on0.offerAll(items);
        on1.offerAll(items);
        for (int i = 0; i < 3; i++) { // later passes too
          zero.tick();
          one.tick();
        }
        // ranks 0..5 over 3 shards: job-0, job-3 on shard 0; job-1, job-4 on 1; job-2, job-5 on 2
        assertThat(on0.running()).containsExactlyInAnyOrder("job-0", "job-3");
        assertThat(on1.running()).containsExactlyInAnyOrder("job-1", "job-4");
        assertThat(on0.assignedOwner("job-2")).isEmpty();
        assertThat(on1.assignedOwner("job-5")).isEmpty();
      }
    }
  }

  @Test
  void aReplicaStartingWithNItemsWritesNClaimsReadsThemWithOneListAndAssignsOnce() {
    List<String> items = IntStream.range(0, 200).mapToObj(i -> "job-" + i).toList();
    try (ReplicaMembership a = replica("replica-a");
        ShardedItems onA = ShardedItems.builder(a, (item, fence) -> () -> {}).build()) {
      embedded.clearRequests();
      onA.offerAll(items);

      assertThat(onA.running()).containsExactlyInAnyOrderElementsOf(items);
      assertThat(claimWrites()).isEqualTo(200);
      assertThat(claimReads()).as("claims read per item").isZero();
      assertThat(claimLists()).isEqualTo(1);
      assertThat(onA.stats().claimWrites()).isEqualTo(200);
      assertThat(onA.stats().claims()).isEqualTo(200);
      assertThat(onA.stats().assignments()).isEqualTo(1);

      // rounds with the same members: no claim read or written, no assignment computed again
      embedded.clearRequests();
      for (int i = 0; i < 5; i++) {
        a.tick();
      }
      assertThat(claimWrites() + claimReads() + claimLists()).isZero();
      assertThat(onA.stats().assignments()).isEqualTo(1);

      // items offered one by one later: one claim each, still the same assignment
      for (int i = 200; i < 250; i++) {
        onA.offer("job-" + i);
      }
      assertThat(onA.running()).hasSize(250);
      assertThat(claimWrites()).isEqualTo(50);
      assertThat(onA.stats().claimWrites()).isEqualTo(250);
      assertThat(onA.stats().assignments()).isEqualTo(1);
    }
  }

  @Test
  void aJoiningReplicaMovesEachItemOnceAndNothingIsClaimedAgainWhileTheMembersStay() {
    List<String> items = IntStream.range(0, 120).mapToObj(i -> "job-" + i).toList();
    try (ReplicaMembership a = replica("replica-a")) {
      ShardedItems onA = ShardedItems.builder(a, (item, fence) -> () -> {}).build();
      onA.offerAll(items);
      assertThat(onA.running()).hasSize(120);
      try (ReplicaMembership b = replica("replica-b");
          ShardedItems onB = ShardedItems.builder(b, (item, fence) -> () -> {}).build()) {
        embedded.clearRequests();
        onB.offerAll(items); // b's share is still held by a, which is live: nothing claimed yet
        assertThat(onB.running()).isEmpty();
        a.tick(); // a sees b: it releases b's share
        b.tick(); // b claims what a released
        Set<String> moved = onB.running();
        assertThat(moved).isNotEmpty().hasSizeLessThan(120);
        assertThat(union(onA.running(), moved)).containsExactlyInAnyOrderElementsOf(items);
        assertThat(onA.running()).doesNotContainAnyElementsOf(moved);
        // one release by a and one takeover by b per item moved, nothing for the others
        assertThat(claimWrites()).isEqualTo(2L * moved.size());
        assertThat(onA.stats().releases()).isEqualTo(moved.size());
        assertThat(onB.stats().claims()).isEqualTo(moved.size());

        embedded.clearRequests();
        for (int i = 0; i < 5; i++) {
          a.tick();
          b.tick();
        }
        assertThat(claimWrites()).as("claims written with the same members").isZero();
        assertThat(onA.stats().releases()).isEqualTo(moved.size());
        assertThat(onB.stats().claims()).isEqualTo(moved.size());
        assertThat(onA.stats().assignments()).isEqualTo(2); // alone, then with b
        assertThat(onB.stats().assignments()).isEqualTo(1);
      } finally {
        onA.close();
      }
    }
  }

  private boolean isClaim(io.glidepath.testkit.cluster.RecordedCall c) {
    return c.kind().equals("Lease") && c.objectName().startsWith("glidepath-item-");
  }

  private long claimWrites() {
    return embedded.requests().stream().filter(c -> c.successfulWrite() && isClaim(c)).count();
  }

  private long claimReads() {
    return embedded.requests().stream()
        .filter(c -> c.verb() == io.glidepath.testkit.cluster.Verb.GET && isClaim(c))
        .count();
  }

  private long claimLists() {
    return embedded.requests().stream()
        .filter(
            c ->
                c.verb() == io.glidepath.testkit.cluster.Verb.LIST
                    && c.kind().equals("Lease")
                    && c.uri().contains("item-claim"))
        .count();
  }

  private static ShardedItems items(ReplicaMembership m, Set<String> claimed) {
    return ShardedItems.builder(m, (item, fence) -> () -> {})
        .shardKey(item -> item.substring(0, item.indexOf('/')))
        .listener(
            new ShardedItems.Listener() {
              @Override
              public void claimed(String item, boolean takenOver) {
                claimed.add(item);
              }
            })
        .build();
  }

  private static Set<String> keys(Set<String> items) {
    return items.stream().map(i -> i.substring(0, i.indexOf('/'))).collect(Collectors.toSet());
  }

  private static Set<String> union(Set<String> x, Set<String> y) {
    Set<String> all = new HashSet<>(x);
    all.addAll(y);
    return all;
  }
}

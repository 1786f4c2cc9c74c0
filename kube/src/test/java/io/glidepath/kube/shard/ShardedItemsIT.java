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

/** Items grouped by a shard key run together on one replica; the listener hears every claim. */
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

package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Argo CD's shard assignments against cases worked out from the documented algorithms. Replicas are
 * shards in sorted order: with {@code r-0, r-1, r-2}, shard n is {@code r-n}.
 */
class ArgoShardAssignmentTest {
  private static final List<String> THREE = List.of("r-2", "r-0", "r-1"); // order does not matter

  private static Map<String, Long> ones(String... keys) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String k : keys) {
      m.put(k, 1L);
    }
    return m;
  }

  @Test
  void legacyIsFnv32aOfTheKeyModuloTheShards() {
    // FNV-32a("a") = 0xe40c292c = 3826002220, digit sum 25: 3826002220 mod 3 = 1
    // "b": 3876335077 mod 3 = 1; "cluster-1": 2181689027 mod 3 = 2;
    // "https://kubernetes.default.svc": 3396314289 mod 3 = 0; "" (in-cluster) is shard 0
    ShardAssignment legacy = ShardAssignment.argo("legacy");
    assertThat(
            legacy.assign(ones("a", "b", "cluster-1", "https://kubernetes.default.svc", ""), THREE))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "a", "r-1",
                "b", "r-1",
                "cluster-1", "r-2",
                "https://kubernetes.default.svc", "r-0",
                "", "r-0"));
    assertThat(legacy.owner("a", THREE)).contains("r-1"); // depends on the key alone
    assertThat(legacy.owner("a", List.of())).isEmpty();
  }

  @Test
  void roundRobinIsTheRankOfTheKeyAmongAllKeysModuloTheShards() {
    // sorted: "", a, b, c, d -> ranks 0..4 -> shards 0 1 0 1 0 over two replicas
    ShardAssignment rr = ShardAssignment.argo("round-robin");
    assertThat(rr.assign(ones("d", "b", "", "c", "a"), List.of("r-1", "r-0")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("", "r-0", "a", "r-1", "b", "r-0", "c", "r-1", "d", "r-0"));
    // one key more in front ("0" sorts before "a") shifts every rank: round-robin reshuffles
    assertThat(rr.assign(ones("d", "b", "", "c", "a", "0"), List.of("r-1", "r-0")))
        .containsEntry("a", "r-0")
        .containsEntry("b", "r-1");
  }

  @Test
  void consistentHashingWithBoundedLoadsFollowsArgoCdsRing() {
    // expected shards from a separate implementation of the documented ring (Python hashlib's
    // BLAKE2b: 1000 points "<shard><i>" per shard, first 8 bytes little-endian; keys in sorted
    // order to the first point after their hash whose shard is under ceil(((total+1)/n)*1.25))
    ShardAssignment ch = ShardAssignment.argo("consistent-hashing");
    Map<String, Long> clusters = new HashMap<>();
    IntStream.range(0, 12).forEach(i -> clusters.put(String.format("cluster-%02d", i), 1L));
    int[] three = {2, 0, 0, 2, 1, 2, 1, 1, 2, 0, 0, 2};
    Map<String, String> got = ch.assign(clusters, THREE);
    for (int i = 0; i < 12; i++) {
      assertThat(got).containsEntry(String.format("cluster-%02d", i), "r-" + three[i]);
    }
    // plain consistent hashing would put cluster-03 on shard 0 and 06..08 on shard 2; the bound
    // (at most ceil(floor((total+1)/3)*1.25) per shard when placed) moves them
    int[] two = {1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1};
    got = ch.assign(clusters, List.of("r-0", "r-1"));
    for (int i = 0; i < 12; i++) {
      assertThat(got).containsEntry(String.format("cluster-%02d", i), "r-" + two[i]);
    }
  }

  @Test
  void consistentHashingWeighsKeysByTheirLoad() {
    Map<String, Long> apps = new LinkedHashMap<>();
    apps.put("https://a.example", 3L);
    apps.put("https://b.example", 1L);
    apps.put("https://c.example", 2L);
    apps.put("https://d.example", 5L);
    apps.put("https://e.example", 1L);
    apps.put("https://f.example", 1L);
    assertThat(ShardAssignment.argo("consistent-hashing").assign(apps, THREE))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "https://a.example", "r-0",
                "https://b.example", "r-1",
                "https://c.example", "r-1",
                "https://d.example", "r-2",
                "https://e.example", "r-1",
                "https://f.example", "r-0"));
  }

  @Test
  void fixedShardsRunOnTheReplicaOfThatNumberAndWaitWhileItIsDown() {
    ShardAssignment fixed = ShardAssignment.argoFixed("legacy", 3, ShardAssignment::shardFromName);
    // glidepath-1 is down: its shard ("cluster-1" is shard 2, "a" shard 1) has no owner
    Map<String, String> got =
        fixed.assign(
            ones("a", "cluster-1", "https://kubernetes.default.svc"),
            List.of("glidepath-0", "glidepath-2", "no-number"));
    assertThat(got)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("cluster-1", "glidepath-2", "https://kubernetes.default.svc", "glidepath-0"));
    assertThat(ShardAssignment.shardFromName("argocd-application-controller-12")).isEqualTo(12);
    assertThatThrownBy(() -> ShardAssignment.shardFromName("glidepath"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must end with the shard number");
  }

  @Test
  void unknownAlgorithmsAndBadCountsAreRefused() {
    assertThatThrownBy(() -> ShardAssignment.argo("Legacy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "algorithm must be one of legacy, round-robin, consistent-hashing, but was 'Legacy'");
    assertThatThrownBy(() -> ShardAssignment.argoFixed("legacy", 0, ShardAssignment::shardFromName))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicas must be >= 1, but was 0");
  }

  @Test
  void rendezvousMovesAboutOneNthOnJoinWhereLegacyMovesMost() {
    List<String> items = IntStream.range(0, 6_000).mapToObj(i -> "app-" + i).toList();
    Map<String, Long> keys = items.stream().collect(Collectors.toMap(Function.identity(), k -> 1L));
    List<String> before = List.of("r-0", "r-1", "r-2");
    List<String> after = new ArrayList<>(before);
    after.add("r-3");
    for (var entry :
        Map.of(ShardAssignment.rendezvous(), 1.2 / 4, ShardAssignment.argo("legacy"), 1.0)
            .entrySet()) {
      Map<String, String> o1 = entry.getKey().assign(keys, before);
      Map<String, String> o2 = entry.getKey().assign(keys, after);
      long moved = items.stream().filter(i -> !o1.get(i).equals(o2.get(i))).count();
      assertThat(moved).isLessThanOrEqualTo((long) (entry.getValue() * items.size()));
      if (entry.getValue() == 1.0) {
        // mod 3 -> mod 4: only keys with h mod 12 in {0, 1, 2} keep their shard: ~3/4 move
        assertThat(moved).isGreaterThan(items.size() * 6L / 10);
      } else {
        assertThat(moved).isGreaterThan(items.size() * 2L / 10);
      }
    }
  }
}

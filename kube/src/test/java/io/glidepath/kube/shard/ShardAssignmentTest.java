package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {
  private final ShardAssignment rendezvous = ShardAssignment.rendezvous();
  private final List<String> items = IntStream.range(0, 10_000).mapToObj(i -> "app-" + i).toList();

  private Map<String, String> owners(List<String> replicas) {
    Map<String, String> m = new HashMap<>();
    items.forEach(i -> m.put(i, rendezvous.owner(i, replicas).orElseThrow()));
    return m;
  }

  @Test
  void theOwnerDependsOnTheSetOfReplicasNotTheirOrder() {
    List<String> replicas = new ArrayList<>(List.of("r-a", "r-b", "r-c", "r-d"));
    Map<String, String> first = owners(replicas);
    java.util.Collections.reverse(replicas);
    assertThat(owners(replicas)).isEqualTo(first);
    assertThat(rendezvous.owner("app-1", List.of())).isEmpty();
  }

  @Test
  void itemsSpreadEvenlyOverTheReplicas() {
    Map<String, Long> perReplica = new HashMap<>();
    owners(List.of("r-a", "r-b", "r-c", "r-d"))
        .values()
        .forEach(r -> perReplica.merge(r, 1L, Long::sum));
    assertThat(perReplica).hasSize(4);
    // 2,500 each on average; a fair hash stays within a few standard deviations (~43)
    assertThat(perReplica.values()).allSatisfy(n -> assertThat(n).isBetween(2_300L, 2_700L));
  }

  @Test
  void aJoiningReplicaTakesAboutOneNthOnlyFromTheOthers() {
    for (int n = 1; n <= 6; n++) {
      List<String> before = IntStream.range(0, n).mapToObj(i -> "replica-" + i).toList();
      List<String> after = new ArrayList<>(before);
      after.add("replica-new");
      Map<String, String> o1 = owners(before);
      Map<String, String> o2 = owners(after);
      long moved = items.stream().filter(i -> !o1.get(i).equals(o2.get(i))).count();
      // every move goes to the new replica, and at most 1.2/N of the items move
      assertThat(items.stream().filter(i -> !o1.get(i).equals(o2.get(i))))
          .allMatch(i -> o2.get(i).equals("replica-new"));
      assertThat(moved).isLessThanOrEqualTo((long) (1.2 * items.size() / after.size()));
      assertThat(moved).isGreaterThanOrEqualTo((long) (0.8 * items.size() / after.size()));
    }
  }

  @Test
  void aLeavingReplicaHandsOnlyItsOwnItemsToTheOthers() {
    Map<String, String> o1 = owners(List.of("r-a", "r-b", "r-c"));
    Map<String, String> o2 = owners(List.of("r-a", "r-c"));
    assertThat(items.stream().filter(i -> !o1.get(i).equals(o2.get(i))).map(o1::get))
        .allMatch(Set.of("r-b")::contains);
  }
}

package io.glidepath.rollout.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.PlanValidationException;
import io.glidepath.rollout.internal.CanaryReplicas.Counts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

class CanaryReplicasTest {

  // Kubernetes' rolling update rules, which Argo Rollouts' canary reuses: a percentage of
  // maxSurge rounds up, of maxUnavailable rounds down; both 0 after rounding means 1 unavailable
  @ParameterizedTest(name = "{0} surge / {1} unavailable of {2} replicas -> {3} / {4}")
  @CsvSource({
    "25%, 25%, 10, 3, 2",
    "25%, 25%, 4, 1, 1",
    "25%, 25%, 1, 1, 0",
    "1, 0, 5, 1, 0",
    "0, 1, 5, 0, 1",
    "30%, 30%, 10, 3, 3",
    "10%, 10%, 3, 1, 0",
    "0, 10%, 3, 0, 1",
    "0%, 20%, 4, 0, 1",
    "200%, 200%, 4, 8, 4",
    "25%, 25%, 0, 0, 0",
  })
  void maxSurgeRoundsUpAndMaxUnavailableRoundsDown(
      String surge, String unavailable, int replicas, int wantSurge, int wantUnavailable) {
    assertThat(CanaryReplicas.maxSurge(surge, replicas)).isEqualTo(wantSurge);
    assertThat(CanaryReplicas.maxUnavailable(surge, unavailable, replicas))
        .isEqualTo(wantUnavailable);
  }

  // Argo's documented best effort without traffic routing: "10 replicas and 10% for the first
  // setWeight step: the new ReplicaSet gets 1 replica and the old stable ReplicaSet 9"; both
  // counts round up, within replicas + maxSurge
  @ParameterizedTest(name = "{0} replicas at weight {1} with surge {2} -> canary {3}, stable {4}")
  @CsvSource({
    "10, 10, 3, 1, 9",
    "10, 15, 3, 2, 9",
    "10, 15, 0, 2, 8",
    "10, 50, 3, 5, 5",
    "4, 25, 1, 1, 3",
    "4, 10, 1, 1, 4",
    "4, 10, 0, 1, 3",
    "3, 33, 1, 1, 3",
    "5, 0, 2, 0, 5",
    "5, 100, 2, 5, 0",
    "0, 50, 0, 0, 0",
  })
  void aWeightAsksForCeilingCountsWithinTheSurge(
      int replicas, int weight, int surge, int canary, int stable) {
    assertThat(CanaryReplicas.desired(replicas, weight, surge))
        .isEqualTo(new Counts(canary, stable));
  }

  @Test
  void aStepScalesTheCanaryUpWithinTheSurgeAndTheStableDownWithinTheUnavailable() {
    // 10 replicas, 25%/25%: surge 3, unavailable 2; full promotion from all-stable
    Counts goal = CanaryReplicas.desired(10, 100, 3);
    Counts first = CanaryReplicas.step(10, 3, 2, goal, new Counts(0, 10), new Counts(0, 10));
    assertThat(first).isEqualTo(new Counts(3, 8));
    // the stable's two replicas freed room for two more canary replicas
    Counts second = CanaryReplicas.step(10, 3, 2, goal, first, new Counts(0, 8));
    assertThat(second).isEqualTo(new Counts(5, 8));
    // then nothing more until the new replicas are available
    assertThat(CanaryReplicas.step(10, 3, 2, goal, second, new Counts(0, 8))).isEqualTo(second);
    Counts third = CanaryReplicas.step(10, 3, 2, goal, second, new Counts(5, 8));
    assertThat(third).isEqualTo(new Counts(5, 3));
    Counts fourth = CanaryReplicas.step(10, 3, 2, goal, third, third);
    assertThat(fourth).isEqualTo(new Counts(10, 3));
    Counts fifth = CanaryReplicas.step(10, 3, 2, goal, fourth, fourth);
    assertThat(fifth).isEqualTo(goal).isEqualTo(new Counts(10, 0));
  }

  @Test
  void withoutSurgeTheStableMakesRoomFirst() {
    Counts goal = CanaryReplicas.desired(4, 50, 0);
    Counts c = new Counts(0, 4);
    List<Counts> path = new ArrayList<>();
    for (int i = 0; i < 6 && !CanaryReplicas.settled(goal, c, c); i++) {
      c = CanaryReplicas.step(4, 0, 1, goal, c, c);
      path.add(c);
    }
    assertThat(path)
        .containsExactly(new Counts(0, 3), new Counts(1, 3), new Counts(1, 2), new Counts(2, 2))
        .allSatisfy(x -> assertThat(x.total()).isLessThanOrEqualTo(4));
  }

  @Test
  void unavailableReplicasAreScaledDownFirstAndCostNoAvailability() {
    Counts goal = CanaryReplicas.desired(4, 50, 0);
    // two of the four stable replicas are not ready: they may go, the ready ones may not
    Counts next = CanaryReplicas.step(4, 0, 1, goal, new Counts(0, 4), new Counts(0, 2));
    assertThat(next).isEqualTo(new Counts(0, 2));
  }

  @Test
  void aLowerWeightScalesTheCanaryDownAndTheStableUp() {
    Counts goal = CanaryReplicas.desired(4, 0, 1);
    Counts next = CanaryReplicas.step(4, 1, 1, goal, new Counts(2, 2), new Counts(2, 2));
    assertThat(next).isEqualTo(new Counts(1, 3));
  }

  @Test
  void bothZeroIsRejectedNamingTheField() {
    assertThatThrownBy(
            () -> CanaryPlan.builder("web").replicas(4).maxSurge("0").maxUnavailable("0%").build())
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("maxUnavailable must not be 0 when maxSurge is 0")
        .hasMessageContaining("\"0%\"");
  }

  @Test
  void aMalformedValueIsRejectedNamingTheField() {
    assertThatThrownBy(() -> CanaryPlan.builder("web").maxSurge("25 %").build())
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("maxSurge must be a non-negative int or a percentage")
        .hasMessageContaining("\"25 %\"");
    assertThatThrownBy(() -> CanaryPlan.builder("web").maxUnavailable("-1").build())
        .hasMessageContaining("maxUnavailable must be a non-negative int");
  }

  @Test
  void aPlanResolvesItsFieldsAgainstItsReplicas() {
    CanaryPlan plan = CanaryPlan.builder("web").replicas(10).maxSurge("1").build();
    assertThat(plan.maxSurgeReplicas()).isEqualTo(1);
    assertThat(plan.maxUnavailableReplicas()).isEqualTo(2);
  }

  /**
   * Whatever the weights asked for and however slowly replicas become available, a step never takes
   * the total above replicas + maxSurge nor the available replicas below replicas - maxUnavailable
   * (from a state within both), and once replicas are ready it reaches the goal.
   */
  @Test
  void stepsKeepTheSurgeAndAvailabilityBounds() {
    qt().withExamples(300)
        .forAll(integers().between(0, 25), bounds(), bounds(), longs().all())
        .assuming((replicas, surge, unavailable, seed) -> surge.value() + unavailable.value() > 0)
        .checkAssert(CanaryReplicasTest::stepsKeepTheSurgeAndAvailabilityBounds);
  }

  /** A maxSurge or maxUnavailable: a count or a percentage. */
  record Bound(int value, boolean percent) {
    String text() {
      return value + (percent ? "%" : "");
    }
  }

  static Gen<Bound> bounds() {
    return integers().between(0, 60).zip(booleans().all(), Bound::new);
  }

  private static void stepsKeepTheSurgeAndAvailabilityBounds(
      int replicas, Bound surgeBound, Bound unavailableBound, long seed) {
    String surgeText = surgeBound.text();
    String unavailableText = unavailableBound.text();
    int surge = CanaryReplicas.maxSurge(surgeText, replicas);
    int unavailable = CanaryReplicas.maxUnavailable(surgeText, unavailableText, replicas);
    Random random = new Random(seed);
    Counts spec = new Counts(0, replicas);
    Counts ready = spec;
    int weight = 0;
    for (int round = 0; round < 40; round++) {
      if (random.nextInt(4) == 0) {
        weight = random.nextInt(101);
      }
      Counts goal = CanaryReplicas.desired(replicas, weight, surge);
      Counts next = CanaryReplicas.step(replicas, surge, unavailable, goal, spec, ready);
      assertThat(next.total()).as("total after a step").isLessThanOrEqualTo(replicas + surge);
      // a ReplicaSet scaled down keeps at most its new size available
      Counts after =
          new Counts(
              Math.min(ready.canary(), next.canary()), Math.min(ready.stable(), next.stable()));
      assertThat(after.total())
          .as("available after a step from %s/%s to %s", spec, ready, next)
          .isGreaterThanOrEqualTo(Math.min(ready.total(), replicas - unavailable));
      spec = next;
      // some of the new replicas become available
      ready =
          new Counts(
              after.canary() + random.nextInt(spec.canary() - after.canary() + 1),
              after.stable() + random.nextInt(spec.stable() - after.stable() + 1));
    }
    // from there, with every replica ready at once, the goal is reached in bounded steps
    Counts goal = CanaryReplicas.desired(replicas, weight, surge);
    for (int i = 0; i <= 4 * (replicas + surge) + 4; i++) {
      ready = spec;
      if (CanaryReplicas.settled(goal, spec, ready)) {
        break;
      }
      spec = CanaryReplicas.step(replicas, surge, unavailable, goal, spec, ready);
    }
    assertThat(spec).isEqualTo(goal);
  }
}

package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.rollout.CanaryPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A canary without traffic routing on the EmbeddedCluster, whose ReplicaSets become available 2 s
 * after each change: the driver scales in maxSurge/maxUnavailable steps, never above replicas +
 * maxSurge nor below replicas - maxUnavailable available, and still reaches each weight.
 */
class SurgeStepsIT {
  private static final String NS = "surge";
  private static final int REPLICAS = 10;

  private static ObjectNode template(String image) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "web");
    t.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", image);
    return t;
  }

  private static CanaryPlan.Builder plan(String image, String surge, String unavailable) {
    return CanaryPlan.builder("web")
        .namespace(NS)
        .replicas(REPLICAS)
        .maxSurge(surge)
        .maxUnavailable(unavailable)
        .podTemplate(template(image));
  }

  /** Counts of one observation: canary spec, stable spec, canary available, stable available. */
  private record Seen(int canary, int stable, int canaryReady, int stableReady) {}

  private List<Seen> run(String surge, String unavailable) {
    List<Seen> seen = new ArrayList<>();
    try (ClusterFixture f = new ClusterFixture(Duration.ofSeconds(2));
        RolloutDriver driver =
            f.driver("healthy").pollInterval(Duration.ofSeconds(1)).identity("driver-1").build()) {
      f.namespace(NS);
      Rollout v1 = driver.start(plan("web:1", surge, unavailable).build());
      assertThat(f.driveUntil(() -> v1.status().isPromoted(), Duration.ofSeconds(30))).isTrue();
      assertThat(
              f.driveUntil(
                  () -> f.available(NS, "web-" + v1.revision()) == REPLICAS,
                  Duration.ofSeconds(30)))
          .isTrue();
      Rollout v2 = driver.start(plan("web:2", surge, unavailable).setWeight(30).pause().build());
      String canary = "web-" + v2.revision();
      String stable = "web-" + v1.revision();
      Runnable observe =
          () ->
              seen.add(
                  new Seen(
                      Math.max(0, f.replicas(NS, canary)),
                      Math.max(0, f.replicas(NS, stable)),
                      f.available(NS, canary),
                      f.available(NS, stable)));
      for (int s = 0; s < 120 && v2.status().phase() != RolloutPhase.PAUSED; s++) {
        f.drive(Duration.ofSeconds(1));
        observe.run();
      }
      assertThat(v2.status().weight()).isEqualTo(30);
      assertThat(f.replicas(NS, canary)).isEqualTo(3);
      assertThat(f.replicas(NS, stable)).isEqualTo(7);
      v2.promote();
      for (int s = 0; s < 180 && !v2.status().isPromoted(); s++) {
        f.drive(Duration.ofSeconds(1));
        observe.run();
      }
      assertThat(v2.status().isPromoted()).isTrue();
      assertThat(f.replicas(NS, canary)).isEqualTo(REPLICAS);
      assertThat(f.replicas(NS, stable)).isZero();
    }
    return seen;
  }

  @Test
  void aBasicCanaryStaysWithinTheSurgeAndTheUnavailableAtEveryObservation() {
    // 25%/25% of 10: at most 13 replicas, at least 8 available
    List<Seen> seen = run("25%", "25%");
    assertThat(seen)
        .allSatisfy(
            s -> {
              assertThat(s.canary() + s.stable()).isLessThanOrEqualTo(13);
              assertThat(s.canaryReady() + s.stableReady()).isGreaterThanOrEqualTo(8);
            });
    Set<Integer> canarySizes = new LinkedHashSet<>();
    seen.forEach(s -> canarySizes.add(s.canary()));
    // bounded steps to full size, not one jump: the canary grows by at most the surge plus what
    // the stable gave up within maxUnavailable
    assertThat(canarySizes).contains(3, 10).hasSizeGreaterThanOrEqualTo(3);
    assertThat(growth(seen)).isLessThanOrEqualTo(3 + 2);
  }

  @Test
  void withoutSurgeTheStableShrinksBeforeTheCanaryGrows() {
    // maxSurge 0, maxUnavailable 1: never more than 10 replicas, never fewer than 9 available
    List<Seen> seen = run("0", "1");
    assertThat(seen)
        .allSatisfy(
            s -> {
              assertThat(s.canary() + s.stable()).isLessThanOrEqualTo(REPLICAS);
              assertThat(s.canaryReady() + s.stableReady()).isGreaterThanOrEqualTo(9);
            });
    // one replica at a time
    assertThat(growth(seen)).isEqualTo(1);
  }

  /** The largest growth of the canary between two observations a second apart. */
  private static int growth(List<Seen> seen) {
    int max = 0;
    for (int i = 1; i < seen.size(); i++) {
      max = Math.max(max, seen.get(i).canary() - seen.get(i - 1).canary());
    }
    return max;
  }
}

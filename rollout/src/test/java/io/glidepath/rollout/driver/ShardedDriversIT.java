package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.shard.ItemClaims;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.RecordedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two sharded drivers share a canary: the owner runs it into a timed pause and freezes; the other
 * takes it over after the owner's lease, resumes at the persisted step (no step run twice, the
 * pause counted from its persisted start), and the frozen driver, woken by its scheduler, writes
 * nothing for the rollout.
 */
class ShardedDriversIT {
  /** replica-a owns everything while it is live, then the first live replica does. */
  private static final ShardAssignment PREFER_A =
      (item, replicas) ->
          replicas.contains("replica-a")
              ? Optional.of("replica-a")
              : replicas.stream().sorted().findFirst();

  private static CanaryPlan plan(String image) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "api");
    t.putObject("spec").putArray("containers").addObject().put("name", "api").put("image", image);
    return CanaryPlan.builder("api")
        .replicas(4)
        .podTemplate(t)
        .canaryService("api-canary")
        .stableService("api-stable")
        .setWeight(25)
        .pause(Duration.ofSeconds(60))
        .setWeight(50)
        .pause()
        .build();
  }

  private record Replica(
      KubernetesClient client, KubeCluster kube, ReplicaMembership membership, ManualClock clock) {}

  private static Replica replica(ClusterFixture f, String id) {
    Config config = f.cluster.config();
    config.setUserAgent(id);
    config.setRequestRetryBackoffLimit(0);
    KubeCluster kube = KubeCluster.connect(config, RequestRetry.NONE);
    ManualClock clock = ManualClock.at(ClusterFixture.T0);
    ReplicaMembership m =
        ReplicaMembership.builder(kube, "default", "glidepath")
            .identity(id)
            .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
            .clock(clock)
            .manualTicks()
            .start();
    return new Replica(new KubernetesClientBuilder().withConfig(config).build(), kube, m, clock);
  }

  private static RolloutDriver driver(ClusterFixture f, Replica r, List<RolloutEvent> events) {
    return RolloutDriver.builder(RolloutCluster.kubernetes(r.client()))
        .providers(MetricProviders.of())
        .scheduler(f.scheduler)
        .listener(
            new RolloutListener() {
              @Override
              public void onEvent(RolloutEvent event) {
                events.add(event);
              }
            })
        .sharding(r.membership())
        .shardAssignment(PREFER_A)
        .build();
  }

  @Test
  void aTakenOverCanaryResumesAtItsStepAndTheFrozenOwnerWritesNothing() throws Exception {
    try (ClusterFixture f = new ClusterFixture()) {
      f.service("default", "api-canary", "api");
      f.service("default", "api-stable", "api");
      Replica a = replica(f, "replica-a");
      Replica b = replica(f, "replica-b");
      a.membership().tick(); // both see each other
      List<RolloutEvent> eventsA = Collections.synchronizedList(new ArrayList<>());
      List<RolloutEvent> eventsB = Collections.synchronizedList(new ArrayList<>());
      RolloutDriver da = driver(f, a, eventsA);
      RolloutDriver db = driver(f, b, eventsB);
      try {
        assertThatThrownBy(() -> da.start(plan("api:1")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("use offer");
        // the first revision, then the second: a runs it, b only knows it
        assertThat(da.offer(plan("api:1"))).isPresent();
        assertThat(db.offer(plan("api:1"))).isEmpty();
        f.drive(Duration.ofSeconds(3));
        Rollout ra = da.offer(plan("api:2")).orElseThrow();
        assertThat(db.offer(plan("api:2"))).isEmpty();
        f.drive(Duration.ofSeconds(10));
        RolloutStatus atPause = ra.status();
        assertThat(atPause.stepIndex()).isEqualTo(1); // in the 60 s pause, at 25 %
        assertThat(atPause.weight()).isEqualTo(25);
        assertThat(ItemClaims.of(a.membership()).holder("rollout/default/api"))
            .contains("replica-a");

        // a freezes: no more rounds of its membership, its clock stands still; its engine stays
        // on the shared scheduler and wakes up, as a paused process resuming would
        b.clock().advance(Duration.ofSeconds(16));
        b.membership().tick();
        assertThat(b.membership().members()).containsExactly("replica-b");
        assertThat(db.get("default", "api")).as("b took the rollout over").isPresent();
        assertThat(db.shardStats().orElseThrow().takeovers()).isEqualTo(1);
        assertThat(a.membership().alive()).isTrue(); // by its own frozen clock
        java.time.Instant takeover = f.scheduler.now();
        f.cluster.clearRequests();
        // b resumes at once (the claim is the rollout's lease); the pause ends 60 s after it began
        // (persisted), not 60 s after the takeover
        f.drive(Duration.ofSeconds(90));
        Rollout rb = db.get("default", "api").orElseThrow();
        assertThat(rb.status().stepIndex()).isEqualTo(3); // at 50 %, in the indefinite pause
        assertThat(rb.status().weight()).isEqualTo(50);
        assertThat(rb.status().canaryHash()).isEqualTo(atPause.canaryHash());
        // no step ran twice: b started neither the revision nor steps 0 and 1 again
        assertThat(eventsB)
            .filteredOn(e -> e.type() == RolloutEvent.Type.STARTED)
            .as("b did not start the revision again")
            .isEmpty();
        assertThat(eventsB)
            .filteredOn(e -> e.type() == RolloutEvent.Type.STEP_STARTED)
            .extracting(RolloutEvent::stepIndex)
            .doesNotContain(0)
            .contains(2, 3);
        RolloutEvent step2 =
            eventsB.stream()
                .filter(e -> e.type() == RolloutEvent.Type.STEP_STARTED && e.stepIndex() == 2)
                .findFirst()
                .orElseThrow();
        assertThat(step2.at()).isBefore(takeover.plusSeconds(60));
        List<RecordedCall> fromA =
            f.cluster.writes().stream().filter(c -> c.userAgent().equals("replica-a")).toList();
        assertThat(fromA).as("writes of the frozen driver after the takeover").isEmpty();
        assertThat(da.shardStats().orElseThrow().fencedWrites()).isGreaterThan(0);
      } finally {
        db.close();
        da.close();
        a.membership().close();
        b.membership().close();
        a.client().close();
        b.client().close();
        a.kube().close();
        b.kube().close();
      }
    }
  }

  @Test
  void aTakeoverIsBoundedByTheClaimNotByTheRolloutsOwnLease() throws Exception {
    try (ClusterFixture f = new ClusterFixture()) {
      f.service("default", "api-canary", "api");
      f.service("default", "api-stable", "api");
      Replica a = replica(f, "replica-a");
      Replica b = replica(f, "replica-b");
      a.membership().tick();
      List<RolloutEvent> eventsA = Collections.synchronizedList(new ArrayList<>());
      List<RolloutEvent> eventsB = Collections.synchronizedList(new ArrayList<>());
      RolloutDriver da = driver(f, a, eventsA);
      RolloutDriver db = driver(f, b, eventsB);
      try {
        da.offer(plan("api:1"));
        db.offer(plan("api:1"));
        f.drive(Duration.ofSeconds(3));
        da.offer(plan("api:2"));
        db.offer(plan("api:2"));
        f.drive(Duration.ofSeconds(10));
        java.time.Instant pauseStart =
            eventsA.stream()
                .filter(e -> e.type() == RolloutEvent.Type.STEP_STARTED && e.stepIndex() == 1)
                .findFirst()
                .orElseThrow()
                .at();
        // a stays live and active until 5 s before the 60 s pause ends, then freezes
        f.drive(Duration.between(f.scheduler.now(), pauseStart.plusSeconds(55)));
        assertThat(da.get("default", "api").orElseThrow().status().stepIndex()).isEqualTo(1);
        b.clock().advance(Duration.ofSeconds(16));
        b.membership().tick();
        assertThat(db.shardStats().orElseThrow().takeovers()).isEqualTo(1);
        java.time.Instant takeover = f.scheduler.now();
        f.drive(Duration.ofSeconds(20));
        RolloutEvent step2 =
            eventsB.stream()
                .filter(e -> e.type() == RolloutEvent.Type.STEP_STARTED && e.stepIndex() == 2)
                .findFirst()
                .orElseThrow();
        // the pause ends 5 s after the takeover and b goes on at once (one poll interval), not
        // after a lease of 15 s that a renewed until it froze
        assertThat(step2.at()).isBefore(takeover.plusSeconds(8));
        assertThat(db.get("default", "api").orElseThrow().status().weight()).isEqualTo(50);
        assertThat(f.cluster.requests())
            .as("under sharding the rollout's claim is its lease: no Lease of its own")
            .filteredOn(c -> c.kind().equals("Lease") && c.name().equals("api-rollout"))
            .isEmpty();
      } finally {
        db.close();
        da.close();
        a.membership().close();
        b.membership().close();
        a.client().close();
        b.client().close();
        a.kube().close();
        b.kube().close();
      }
    }
  }
}

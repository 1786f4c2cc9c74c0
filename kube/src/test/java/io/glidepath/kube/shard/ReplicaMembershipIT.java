package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replicas see each other through one Lease each, on the EmbeddedCluster. */
class ReplicaMembershipIT {
  private static final Duration LEASE = Duration.ofSeconds(15);
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.NONE);

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private ReplicaMembership replica(String id) {
    return ReplicaMembership.builder(cluster, "default", "glidepath")
        .identity(id)
        .timing(LEASE, Duration.ofSeconds(5))
        .clock(clock)
        .manualTicks()
        .start();
  }

  @Test
  void replicasSeeEachOtherAndAClosedOneIsGoneAtOnce() {
    ReplicaMembership a = replica("replica-a");
    ReplicaMembership b = replica("replica-b");
    a.tick();
    assertThat(a.members()).containsExactly("replica-a", "replica-b");
    assertThat(b.members()).containsExactly("replica-a", "replica-b");
    var lease =
        cluster.client().leases().inNamespace("default").withName("glidepath-replica-b").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-b");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(lease.getMetadata().getLabels())
        .containsEntry("glidepath.io/replica-group", "glidepath");

    b.close(); // graceful: the Lease is deleted
    a.tick();
    assertThat(a.members()).containsExactly("replica-a");
    assertThat(b.alive()).isFalse();
    a.close();
  }

  @Test
  void aReplicaThatStopsRenewingIsDeadAfterOneLeaseDurationByTheObserversClock() {
    ReplicaMembership a = replica("replica-a");
    ReplicaMembership b = replica("replica-b"); // frozen from now on: never ticks again
    a.tick();
    clock.advance(Duration.ofSeconds(10));
    a.tick();
    assertThat(a.members()).contains("replica-b"); // its Lease changed 10 s ago: live
    clock.advance(Duration.ofSeconds(6));
    a.tick();
    assertThat(a.members()).containsExactly("replica-a");
    assertThat(b.alive()).isFalse(); // it knows it may not write
    b.tick(); // wakes up and renews: live again for everybody
    a.tick();
    assertThat(b.alive()).isTrue();
    assertThat(a.members()).containsExactly("replica-a", "replica-b");
    a.close();
    b.close();
  }

  @Test
  void aDeadPeerIsDroppedALeaseDurationAfterItsLastRenewalWasSeenNotAtALaterRound() {
    ReplicaMembership a = replica("replica-a");
    ReplicaMembership b = replica("replica-b");
    List<SortedSet<String>> told = new ArrayList<>();
    List<String> ticks = new ArrayList<>();
    a.addListener(
        new MembershipListener() {
          @Override
          public void membersChanged(SortedSet<String> members) {
            told.add(members);
          }

          @Override
          public void ticked() {
            ticks.add("ticked");
          }
        });
    Instant start = clock.instant();
    a.tick(); // t=0
    clock.advance(Duration.ofSeconds(3));
    b.tick(); // b's last renewal, t=3
    a.tick(); // seen at t=3; b is frozen from now on
    clock.advance(Duration.ofSeconds(5));
    a.tick(); // t=8: unchanged, which must not move when it was seen
    clock.advance(Duration.ofSeconds(5));
    a.tick(); // t=13
    Instant expiry = start.plusSeconds(3).plus(LEASE).plusMillis(100);
    assertThat(a.nextExpiry()).contains(expiry); // b's (a's own runs out at 13 + 15)

    clock.set(expiry.minusMillis(1));
    a.recheck();
    assertThat(a.members()).containsExactly("replica-a", "replica-b");
    ticks.clear();
    clock.set(expiry); // 18.1 s: a round would come only at 18 + 5 = 23
    a.recheck();
    assertThat(a.members()).containsExactly("replica-a");
    assertThat(told).last().isEqualTo(a.members());
    assertThat(ticks).containsExactly("ticked"); // the sharded work rebalances at once
    assertThat(a.nextExpiry()).contains(start.plusSeconds(13).plus(LEASE)); // its own now
    a.close();
    b.close();
  }

  @Test
  void onItsTimerAReplicaSeesPeersThroughAWatchAndDropsADeadOneWhenItsLeaseRunsOut()
      throws Exception {
    Duration lease = Duration.ofSeconds(9);
    Duration renew = Duration.ofSeconds(3);
    BlockingQueue<Long> rounds = new LinkedBlockingQueue<>();
    BlockingQueue<SortedSet<String>> changes = new LinkedBlockingQueue<>();
    ReplicaMembership a =
        ReplicaMembership.builder(cluster, "default", "glidepath")
            .identity("replica-a")
            .timing(lease, renew)
            .listener(
                new MembershipListener() {
                  @Override
                  public void ticked() {
                    rounds.add(System.nanoTime());
                  }

                  @Override
                  public void membersChanged(SortedSet<String> members) {
                    changes.add(members);
                  }
                })
            .start(); // real time, its own timer, renews every 3 s
    try {
      rounds.clear();
      assertThat(rounds.poll(10, TimeUnit.SECONDS)).isNotNull(); // a round just ended
      changes.clear();
      long renewed = System.nanoTime();
      ReplicaMembership b = // renews once now, then never again
          ReplicaMembership.builder(cluster, "default", "glidepath")
              .identity("replica-b")
              .timing(lease, renew)
              .manualTicks()
              .start();
      // seen through the watch, well before a's next round (3 s later)
      assertThat(changes.poll(2500, TimeUnit.MILLISECONDS))
          .containsExactly("replica-a", "replica-b");
      SortedSet<String> next = changes.poll(20, TimeUnit.SECONDS);
      long dropped = System.nanoTime();
      assertThat(next).containsExactly("replica-a");
      double after = (dropped - renewed) / 1e9;
      // a lease after b's renewal: not earlier (safety), and not only at a round after the lease
      // that a judged from its round after the renewal (which would be about 12 s)
      assertThat(after).isBetween(9.0, 10.5);
      b.close();
    } finally {
      a.close();
    }
  }

  /**
   * Under load every round trip of a renewal delays it: a renewal is one update with the version
   * the replica last wrote, read again only after someone else changed (or deleted) the Lease.
   */
  @Test
  void aRenewalIsOneWriteUnlessSomeoneElseChangedTheLease() {
    ReplicaMembership a = replica("replica-a");
    embedded.clearRequests();
    clock.advance(Duration.ofSeconds(5));
    a.tick();
    assertThat(ownLeaseCalls(io.glidepath.testkit.cluster.Verb.GET)).isZero();
    assertThat(ownLeaseCalls(io.glidepath.testkit.cluster.Verb.UPDATE)).isEqualTo(1);

    // someone else writes the Lease: the renewal's update conflicts, it reads and writes again
    var lease = cluster.client().leases().inNamespace("default").withName("glidepath-replica-a");
    lease.edit(
        l -> {
          l.getMetadata().setAnnotations(java.util.Map.of("touched", "by-hand"));
          return l;
        });
    embedded.clearRequests();
    clock.advance(Duration.ofSeconds(9));
    a.tick();
    assertThat(ownLeaseCalls(io.glidepath.testkit.cluster.Verb.GET)).isEqualTo(1);
    assertThat(a.aliveForWrites()).as("renewed after the conflict").isTrue();

    // deleted by hand: created again
    lease.delete();
    clock.advance(Duration.ofSeconds(9));
    a.tick();
    assertThat(a.aliveForWrites()).isTrue();
    assertThat(lease.get().getSpec().getHolderIdentity()).isEqualTo("replica-a");
    a.close();
  }

  private long ownLeaseCalls(io.glidepath.testkit.cluster.Verb verb) {
    return embedded.requests().stream()
        .filter(c -> c.verb() == verb && "glidepath-replica-a".equals(c.name()))
        .count();
  }

  @Test
  void aReplicaStopsWritingAMarginBeforeItsLeaseRunsOut() {
    ReplicaMembership a = replica("replica-a"); // lease 15 s, renewed every 5 s: margin 5 s
    clock.advance(Duration.ofSeconds(9));
    assertThat(a.aliveForWrites()).isTrue();
    clock.advance(Duration.ofMillis(1001)); // 10.001 s since the renewal was sent
    assertThat(a.alive()).isTrue(); // others may not take its items yet ...
    assertThat(a.aliveForWrites()).isFalse(); // ... but a write checked now might land after
    a.tick();
    assertThat(a.aliveForWrites()).isTrue();
    a.close();
    assertThat(a.aliveForWrites()).isFalse();
  }

  @Test
  void aStartWhileTheApiServerFailsRenewsOnItsTimerButARefusalIsThrown() throws Exception {
    embedded.inject(Fault.status(503).forKinds("Lease").times(3));
    ReplicaMembership a =
        ReplicaMembership.builder(cluster, "default", "glidepath")
            .identity("replica-a")
            .timing(Duration.ofMillis(900), Duration.ofMillis(300))
            .start(); // the first round fails: no exception, the timer retries
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!a.members().contains("replica-a") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(a.members()).containsExactly("replica-a");
    a.close();

    embedded.clearFaults();
    embedded.inject(Fault.status(403).forKinds("Lease"));
    assertThatThrownBy(
            () ->
                ReplicaMembership.builder(cluster, "default", "glidepath")
                    .identity("replica-b")
                    .start())
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .extracting(e -> ((io.fabric8.kubernetes.client.KubernetesClientException) e).getCode())
        .isEqualTo(403);
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ReplicaMembership.builder(cluster, "default", "Glide_path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group must be a DNS label");
    assertThatThrownBy(
            () ->
                ReplicaMembership.builder(cluster, "default", "glidepath")
                    .timing(Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseDuration must be >= 3 x renewInterval");
  }
}

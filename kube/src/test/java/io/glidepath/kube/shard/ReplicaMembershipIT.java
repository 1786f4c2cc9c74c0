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

package io.glidepath.kube.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderElectionIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster one = KubeCluster.connect(embedded.config(), RequestRetry.NONE);
  private final KubeCluster two = KubeCluster.connect(embedded.config(), RequestRetry.NONE);

  @AfterEach
  void close() {
    one.close();
    two.close();
    embedded.close();
  }

  private static final class Latches implements LeaderListener {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void startedLeading() {
      started.countDown();
    }

    @Override
    public void stoppedLeading() {
      stopped.countDown();
    }
  }

  private static LeaderElection candidate(
      KubeCluster cluster, String identity, Latches latches, boolean release) {
    return LeaderElection.builder(cluster, "default", "glidepath-controller")
        .identity(identity)
        .timing(Duration.ofMillis(3000), Duration.ofMillis(2000), Duration.ofMillis(200))
        .releaseOnClose(release)
        .listener(latches)
        .start();
  }

  @Test
  void exactlyOneOfTwoInstancesLeadsAndTheOtherTakesOverAfterTheLeaseExpires() throws Exception {
    Latches a = new Latches();
    Latches b = new Latches();
    LeaderElection first = candidate(one, "instance-a", a, false);
    assertThat(a.started.await(10, TimeUnit.SECONDS)).isTrue();
    LeaderElection second = candidate(two, "instance-b", b, false);
    try {
      // the second instance keeps campaigning but does not lead while the first renews
      assertThat(b.started.await(3500, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(first.isLeader()).isTrue();
      assertThat(second.isLeader()).isFalse();
      assertThat(second.leader()).contains("instance-a");

      long crashedAt = System.nanoTime();
      first.close(); // a crash: the lease is not released

      assertThat(b.started.await(15, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - crashedAt))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
      assertThat(second.isLeader()).isTrue();
      var lease =
          one.client().leases().inNamespace("default").withName("glidepath-controller").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("instance-b");
    } finally {
      second.close();
    }
  }

  @Test
  void timingMustLeaveRoomToRenew() {
    assertThatThrownBy(
            () ->
                LeaderElection.builder(one, "default", "x")
                    .timing(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseDuration must be > renewDeadline");
  }
}

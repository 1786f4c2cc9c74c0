package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.rollout.internal.driver.Fenced;
import io.glidepath.testkit.cluster.RecordedCall;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A sharded driver's status save carries the status object's resourceVersion read before the
 * fencing check: a save that passed the check but arrives after another replica took the rollout
 * over and saved its own status is refused by the API server, and the check run again refuses it.
 */
class FencedStatusIT {
  private static RolloutStatus status(String hash) {
    return RolloutStatus.stable(hash, ClusterFixture.T0);
  }

  @Test
  void aStatusSaveOvertakenByTheNewOwnersSaveIsRefused() {
    try (ClusterFixture f = new ClusterFixture()) {
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      plain.saveStatus("default", "api", status("aaaa"));
      AtomicInteger checks = new AtomicInteger();
      // the old owner's check passes; before its write lands, the new owner saves its status;
      // the check run again after the conflict finds the claim lost
      Runnable check =
          () -> {
            if (checks.incrementAndGet() == 1) {
              // another replica: outside this thread's fence
              Thread newOwner =
                  new Thread(() -> plain.saveStatus("default", "api", status("bbbb")));
              newOwner.start();
              try {
                newOwner.join();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return;
            }
            throw new FencedWriteException(
                "rollout/default/api", "replica-a", null, "the claim is held by 'replica-b'");
          };
      f.cluster.clearRequests();

      assertThatThrownBy(
              () -> Fenced.cluster(plain, check).saveStatus("default", "api", status("cccc")))
          .isInstanceOf(FencedWriteException.class);

      assertThat(plain.loadStatus("default", "api").orElseThrow().stableHash()).isEqualTo("bbbb");
      assertThat(checks).hasValue(2);
      List<Integer> statusWrites =
          f.cluster.requests().stream()
              .filter(c -> c.name().equals("api-rollout-status") && c.verb().isWrite())
              .map(RecordedCall::status)
              .toList();
      assertThat(statusWrites)
          .as("the new owner's save, then the stale one")
          .containsExactly(200, 409);
    }
  }

  @Test
  void aStatusSaveUnderAHeldClaimIsWrittenOnce() {
    try (ClusterFixture f = new ClusterFixture()) {
      RolloutCluster plain = RolloutCluster.kubernetes(f.client);
      AtomicInteger checks = new AtomicInteger();
      RolloutCluster fenced = Fenced.cluster(plain, checks::incrementAndGet);

      fenced.saveStatus("default", "api", status("aaaa")); // created
      fenced.saveStatus("default", "api", status("bbbb")); // patched at the version read

      assertThat(plain.loadStatus("default", "api").orElseThrow().stableHash()).isEqualTo("bbbb");
      assertThat(checks).hasValue(2);
    }
  }
}

package io.glidepath.analysis.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.JobRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;

/** An EmbeddedCluster whose controller runs in lockstep with a virtual scheduler's time. */
final class VirtualCluster implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  final EmbeddedCluster cluster;
  final KubernetesClient client;

  /** Jobs finish {@code jobTime} after they are created, as {@code rule} says. */
  VirtualCluster(Duration jobTime, JobRule rule) {
    Clock virtual =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return scheduler.now();
          }
        };
    cluster =
        EmbeddedCluster.builder()
            .manualController()
            .clock(virtual)
            .readyDelay(jobTime)
            .jobRule(rule)
            .start();
    client = cluster.client();
  }

  /**
   * Runs the controller and the scheduler second by second until {@code done}, at most {@code max}.
   */
  boolean driveUntil(BooleanSupplier done, Duration max) {
    for (long s = 0; s < max.toSeconds(); s++) {
      if (done.getAsBoolean()) {
        return true;
      }
      cluster.reconcile();
      scheduler.advance(Duration.ofSeconds(1));
    }
    return done.getAsBoolean();
  }

  @Override
  public void close() {
    cluster.close();
  }
}

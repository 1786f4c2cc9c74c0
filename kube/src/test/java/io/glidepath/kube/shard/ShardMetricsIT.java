package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One replica's sharding figures in a Micrometer registry, and gone again when unbound. */
class ShardMetricsIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster = connect();

  private KubeCluster connect() {
    Config config = embedded.config();
    return KubeCluster.connect(config, RequestRetry.NONE);
  }

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  @Test
  void theReplicasItemsClaimsReconcilesAndRenewalsAreMeters() throws Exception {
    ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong reconciles = new AtomicLong();
    try (ReplicaMembership me =
            ReplicaMembership.builder(cluster, "default", "glidepath")
                .identity("replica-a")
                .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
                .clock(clock)
                .manualTicks()
                .start();
        ShardedItems items =
            ShardedItems.builder(
                    me,
                    (item, fence) -> {
                      fence.run();
                      reconciles.incrementAndGet();
                      return () -> {};
                    })
                .build()) {
      AutoCloseable metrics =
          ShardMetrics.of(me).work("jobs", items::stats, reconciles::get).bindTo(registry);
      items.offerAll(List.of("job-1", "job-2", "job-3"));
      me.tick(); // one more renewal, timed

      assertThat(gauge(registry, "glidepath.shard.items.owned")).isEqualTo(3);
      assertThat(count(registry, "glidepath.shard.claims")).isEqualTo(3);
      assertThat(count(registry, "glidepath.shard.reconciles")).isEqualTo(3);
      assertThat(count(registry, "glidepath.shard.takeovers")).isZero();
      assertThat(count(registry, "glidepath.shard.fenced.writes")).isZero();
      assertThat(
              registry.get("glidepath.shard.members").tag("replica", "replica-a").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("glidepath.shard.alive").gauge().value()).isEqualTo(1);
      assertThat(registry.get("glidepath.shard.lease.renew").timer().count()).isEqualTo(1);

      items.withdraw("job-2");
      assertThat(gauge(registry, "glidepath.shard.items.owned")).isEqualTo(2);
      assertThat(count(registry, "glidepath.shard.releases")).isEqualTo(1);

      // the replica's own Lease ages past its duration: not alive, and its next check is refused
      clock.advance(Duration.ofSeconds(16));
      assertThat(registry.get("glidepath.shard.alive").gauge().value()).isZero();

      metrics.close();
      assertThat(registry.getMeters()).isEmpty();
      me.tick();
      assertThat(registry.find("glidepath.shard.lease.renew").timer()).isNull();
    }
  }

  @Test
  void aWorkIsNamedOnce() {
    ReplicaMembership me =
        ReplicaMembership.builder(cluster, "default", "glidepath")
            .identity("replica-a")
            .manualTicks()
            .start();
    try {
      ShardMetrics metrics = ShardMetrics.of(me).work("jobs", () -> new ShardStats(0, 0, 0, 0, 0));
      assertThatThrownBy(() -> metrics.work("jobs", () -> new ShardStats(0, 0, 0, 0, 0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'jobs'");
    } finally {
      me.close();
    }
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).tag("work", "jobs").tag("group", "glidepath").gauge().value();
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    return registry.get(name).tag("work", "jobs").functionCounter().count();
  }
}

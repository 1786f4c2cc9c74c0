package io.glidepath.kube.shard;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * One replica's sharding figures as Micrometer meters, for a host that has Micrometer (an optional
 * dependency of this module: this class is the only one that needs it, and it is loaded only when
 * the host calls it).
 *
 * <pre>{@code
 * AutoCloseable metrics =
 *     ShardMetrics.of(membership)
 *         .work("applications", () -> manager.stats().shard(), () -> manager.stats().reconciles())
 *         .work("rollouts", () -> driver.shardStats().orElseThrow())
 *         .bindTo(registry);
 * }</pre>
 *
 * <p>Meters, each tagged {@code group} and {@code replica}: {@code glidepath.shard.members} (live
 * replicas seen, gauge), {@code glidepath.shard.alive} (1 while this replica's Lease is fresh),
 * {@code glidepath.shard.lease.renew} (timer: the latency of each renewal of this replica's Lease);
 * per work (tag {@code work}): {@code glidepath.shard.items.owned} (gauge), the counters {@code
 * glidepath.shard.claims}, {@code glidepath.shard.takeovers} (handovers from a replica that was no
 * longer live), {@code glidepath.shard.releases}, {@code glidepath.shard.fenced.writes}, {@code
 * glidepath.shard.claim.writes} (writes of item claims), and {@code glidepath.shard.reconciles}
 * when the work counts its reconciles. Not thread-safe until bound.
 */
public final class ShardMetrics {
  private final ReplicaMembership membership;
  private final Map<String, Work> works = new LinkedHashMap<>();

  private record Work(Supplier<ShardStats> stats, LongSupplier reconciles) {}

  private ShardMetrics(ReplicaMembership membership) {
    this.membership = membership;
  }

  /** Metrics of {@code membership}'s replica. */
  public static ShardMetrics of(ReplicaMembership membership) {
    return new ShardMetrics(Objects.requireNonNull(membership, "membership"));
  }

  /** Adds sharded work named {@code name} (tag {@code work}) whose figures {@code stats} reads. */
  public ShardMetrics work(String name, Supplier<ShardStats> stats) {
    return add(name, stats, null);
  }

  /** Like {@link #work(String, Supplier)}, also counting the work's reconciles. */
  public ShardMetrics work(String name, Supplier<ShardStats> stats, LongSupplier reconciles) {
    return add(name, stats, Objects.requireNonNull(reconciles, "reconciles"));
  }

  private ShardMetrics add(String name, Supplier<ShardStats> stats, LongSupplier reconciles) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stats, "stats");
    if (works.putIfAbsent(name, new Work(stats, reconciles)) != null) {
      throw new IllegalArgumentException("work '" + name + "' is already added");
    }
    return this;
  }

  /**
   * Registers the meters in {@code registry} and starts timing renewals; closing the result removes
   * them again.
   */
  public AutoCloseable bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Tags tags = Tags.of("group", membership.group(), "replica", membership.identity());
    List<Meter> meters = new ArrayList<>();
    ReplicaMembership m = membership;
    meters.add(
        Gauge.builder("glidepath.shard.members", m, x -> x.members().size())
            .description("live replicas of the group as this replica sees them")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("glidepath.shard.alive", m, x -> x.alive() ? 1 : 0)
            .description("1 while this replica's own Lease is fresh")
            .tags(tags)
            .register(registry));
    Timer renew =
        Timer.builder("glidepath.shard.lease.renew")
            .description("latency of the renewals of this replica's Lease")
            .tags(tags)
            .register(registry);
    meters.add(renew);
    for (Map.Entry<String, Work> e : works.entrySet()) {
      Tags t = tags.and("work", e.getKey());
      Supplier<ShardStats> s = e.getValue().stats();
      meters.add(
          Gauge.builder("glidepath.shard.items.owned", s, x -> x.get().owned())
              .description("items this replica runs now")
              .tags(t)
              .register(registry));
      meters.add(counter(registry, "claims", "items claimed", t, s, ShardStats::claims));
      meters.add(
          counter(
              registry,
              "takeovers",
              "items taken over from a replica no longer live",
              t,
              s,
              ShardStats::takeovers));
      meters.add(
          counter(registry, "releases", "items stopped and released", t, s, ShardStats::releases));
      meters.add(
          counter(
              registry,
              "fenced.writes",
              "writes refused because the claim was lost",
              t,
              s,
              ShardStats::fencedWrites));
      meters.add(
          counter(
              registry,
              "claim.writes",
              "writes of item claims (creates, takeovers, releases)",
              t,
              s,
              ShardStats::claimWrites));
      LongSupplier reconciles = e.getValue().reconciles();
      if (reconciles != null) {
        meters.add(
            FunctionCounter.builder(
                    "glidepath.shard.reconciles", reconciles, LongSupplier::getAsLong)
                .description("reconciles run by this replica")
                .tags(t)
                .register(registry));
      }
    }
    MembershipListener timing =
        new MembershipListener() {
          @Override
          public void renewed(Duration latency) {
            renew.record(latency);
          }
        };
    membership.addListener(timing);
    return () -> {
      membership.removeListener(timing);
      meters.forEach(registry::remove);
    };
  }

  private static FunctionCounter counter(
      MeterRegistry registry,
      String name,
      String description,
      Tags tags,
      Supplier<ShardStats> stats,
      ToLongFunction<ShardStats> figure) {
    return FunctionCounter.builder(
            "glidepath.shard." + name, stats, s -> figure.applyAsLong(s.get()))
        .description(description)
        .tags(tags)
        .register(registry);
  }
}

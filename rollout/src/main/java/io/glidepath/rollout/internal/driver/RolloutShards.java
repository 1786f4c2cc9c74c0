package io.glidepath.rollout.internal.driver;

import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.kube.shard.ShardStats;
import io.glidepath.kube.shard.ShardedItems;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.driver.Rollout;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The rollouts one sharded driver runs, on {@link ShardedItems} (item {@code
 * rollout/<namespace>/<name>}): each runs on a cluster and router whose writes pass the item's
 * fence first; a new revision offered for a running rollout replaces its engine under the same
 * claim.
 */
public final class RolloutShards implements AutoCloseable {
  private static final String PREFIX = "rollout/";

  private final RolloutEngine.Context context;
  private final BiFunction<RolloutSpec, RolloutEngine.Context, Rollout> engines;
  private final Map<String, Rollout> running; // the driver's, by namespace/name
  private final Map<String, RolloutSpec> known = new ConcurrentHashMap<>();
  private final Map<String, Runnable> fences = new ConcurrentHashMap<>();
  private final ShardedItems items;
  private final Object lock = new Object();

  public RolloutShards(
      ReplicaMembership membership,
      ShardAssignment assignment,
      RolloutEngine.Context context,
      BiFunction<RolloutSpec, RolloutEngine.Context, Rollout> engines,
      Map<String, Rollout> running) {
    this.context = context;
    this.engines = engines;
    this.running = running;
    this.items =
        ShardedItems.builder(
                membership,
                (item, fence) -> {
                  String key = item.substring(PREFIX.length());
                  fences.put(key, fence);
                  run(key, known.get(key), fence);
                  return () -> stop(key);
                })
            .assignment(assignment)
            .build();
  }

  public Optional<Rollout> offer(String key, RolloutSpec spec) {
    synchronized (lock) {
      RolloutSpec before = known.put(key, spec);
      Runnable fence = fences.get(key);
      if (before != null && before != spec && running.containsKey(key) && fence != null) {
        run(key, spec, fence); // a new revision: the engine resumes from the persisted status
      } else {
        items.offer(PREFIX + key);
      }
    }
    return Optional.ofNullable(running.get(key));
  }

  private void run(String key, RolloutSpec spec, Runnable fence) {
    RolloutEngine.Context fenced =
        new RolloutEngine.Context(
            Fenced.cluster(context.cluster(), fence),
            plan -> Fenced.router(context.routers().apply(plan), fence),
            context.providers(),
            context.scheduler(),
            context.listeners(),
            context.identity(),
            context.pollInterval(),
            context.leaseDuration(),
            context.health());
    Rollout engine = engines.apply(spec, fenced);
    Rollout previous = running.put(key, engine);
    if (previous != null) {
      ((Stoppable) previous).stop();
    }
    engine.reconcile();
  }

  private void stop(String key) {
    fences.remove(key);
    Rollout r = running.remove(key);
    if (r != null) {
      ((Stoppable) r).stop();
    }
  }

  public ShardStats stats() {
    return items.stats();
  }

  /** Stops the rollouts run here and releases their claims. */
  @Override
  public void close() {
    items.close();
  }
}

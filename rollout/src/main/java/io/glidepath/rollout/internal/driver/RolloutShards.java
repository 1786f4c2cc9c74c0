package io.glidepath.rollout.internal.driver;

import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.kube.shard.ItemClaims;
import io.glidepath.kube.shard.MembershipListener;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.kube.shard.ShardStats;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.driver.Rollout;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * The rollouts one sharded driver runs: every rollout offered is known; the ones its replica owns
 * and can claim run, each on a fenced cluster and router; the others stop and are released. Runs on
 * the offering thread and the membership's thread.
 */
public final class RolloutShards implements AutoCloseable {
  private final ReplicaMembership membership;
  private final ShardAssignment assignment;
  private final ItemClaims claims;
  private final RolloutEngine.Context context;
  private final BiFunction<RolloutSpec, RolloutEngine.Context, Rollout> engines;
  private final Map<String, Rollout> running; // the driver's, by namespace/name
  private final Map<String, RolloutSpec> known = new ConcurrentHashMap<>();
  private final Map<String, RolloutSpec> runningSpec = new ConcurrentHashMap<>();
  private final Set<String> lost = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final LongAdder claimed = new LongAdder();
  private final LongAdder takenOver = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final LongAdder fenced = new LongAdder();
  private final MembershipListener rebalance =
      new MembershipListener() {
        @Override
        public void ticked() {
          try {
            rebalance();
          } catch (RuntimeException e) {
            // the API server is away: the next round tries again
          }
        }
      };
  private boolean closed;

  public RolloutShards(
      ReplicaMembership membership,
      ShardAssignment assignment,
      RolloutEngine.Context context,
      BiFunction<RolloutSpec, RolloutEngine.Context, Rollout> engines,
      Map<String, Rollout> running) {
    this.membership = membership;
    this.assignment = assignment;
    this.claims = ItemClaims.of(membership);
    this.context = context;
    this.engines = engines;
    this.running = running;
    membership.addListener(rebalance);
  }

  /** The claim item of rollout {@code key} ({@code namespace/name}). */
  static String item(String key) {
    return "rollout/" + key;
  }

  public Optional<Rollout> offer(String key, RolloutSpec spec) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the RolloutDriver is closed");
      }
      known.put(key, spec);
      settle(key, owners());
    }
    return Optional.ofNullable(running.get(key));
  }

  private Map<String, String> owners() {
    Map<String, Long> keys = new HashMap<>();
    known.keySet().forEach(k -> keys.put(item(k), 1L));
    return assignment.assign(keys, membership.members());
  }

  private void rebalance() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      Map<String, String> owners = owners();
      for (String key : known.keySet()) {
        settle(key, owners);
      }
    }
  }

  private void settle(String key, Map<String, String> owners) {
    boolean mine = membership.alive() && membership.identity().equals(owners.get(item(key)));
    if (mine && lost.remove(key)) {
      stop(key); // taken for dead meanwhile: claim it again before acting
    }
    if (!mine) {
      if (stop(key)) {
        claims.release(item(key));
        released.increment();
      }
      return;
    }
    RolloutSpec spec = known.get(key);
    if (running.containsKey(key)) {
      if (!spec.equals(runningSpec.get(key))) {
        run(key, spec); // a new revision: the engine resumes from the persisted status
      }
      return;
    }
    ItemClaims.Outcome outcome = claims.acquire(item(key));
    if (outcome != ItemClaims.Outcome.HELD && outcome != ItemClaims.Outcome.TAKEN_OVER) {
      return; // its old owner holds it until it releases it or expires
    }
    claimed.increment();
    if (outcome == ItemClaims.Outcome.TAKEN_OVER) {
      takenOver.increment();
    }
    run(key, spec);
  }

  private void run(String key, RolloutSpec spec) {
    Runnable check = () -> check(key);
    RolloutEngine.Context fencedContext =
        new RolloutEngine.Context(
            Fenced.cluster(context.cluster(), check),
            plan -> Fenced.router(context.routers().apply(plan), check),
            context.providers(),
            context.scheduler(),
            context.listeners(),
            context.identity(),
            context.pollInterval(),
            context.leaseDuration());
    Rollout engine = engines.apply(spec, fencedContext);
    Rollout previous = running.put(key, engine);
    runningSpec.put(key, spec);
    if (previous != null) {
      ((Stoppable) previous).stop();
    }
    engine.reconcile();
  }

  /** The fencing check before one write of rollout {@code key}. */
  private void check(String key) {
    Optional<String> why = claims.lostBecause(item(key));
    if (why.isPresent()) {
      lost.add(key);
      fenced.increment();
      throw new FencedWriteException(item(key), membership.identity(), null, why.get());
    }
  }

  private boolean stop(String key) {
    Rollout r = running.remove(key);
    runningSpec.remove(key);
    if (r != null) {
      ((Stoppable) r).stop();
      return true;
    }
    return false;
  }

  public ShardStats stats() {
    return new ShardStats(
        running.size(), claimed.sum(), takenOver.sum(), released.sum(), fenced.sum());
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    membership.removeListener(rebalance);
    for (String key : Set.copyOf(running.keySet())) {
      stop(key);
      claims.release(item(key));
    }
  }
}

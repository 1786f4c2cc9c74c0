package io.glidepath.kube.shard;

import io.glidepath.core.resource.ResourceKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Runs this replica's share of any kind of work item (an ApplicationSet controller, a job of the
 * host's own) over a {@link ReplicaMembership}: every replica is {@link #offer offered} the same
 * items; each runs the ones the {@link ShardAssignment} gives it among the live replicas, after
 * claiming them ({@link ItemClaims}), and stops and releases the ones that move away. The work gets
 * a fencing check to run immediately before each of its writes.
 *
 * <pre>{@code
 * ShardedItems sets = ShardedItems.builder(membership, (item, fence) -> {
 *       ApplicationSetController c = ApplicationSetController.builder(control, "argocd", name, ctx)
 *           .writeCheck(fence).build();
 *       c.start();
 *       return c::close;
 *     }).build();
 * sets.offer("appset/argocd/shop");
 * }</pre>
 *
 * <p>Rebalancing runs on every round of the membership; {@link #offer} settles the item offered.
 * {@link #close()} stops the work and releases every claim, so the others take over at once. The
 * {@link io.glidepath.kube.controller.ControllerManager}'s sharding runs on it (items: the
 * Applications' names, grouped by its shard key). Thread-safe.
 */
public final class ShardedItems implements AutoCloseable {
  /** Starts the work of one item this replica now holds; returns how to stop it. */
  @FunctionalInterface
  public interface Starter {
    /**
     * @param item the item
     * @param fence to run immediately before each write of the work: throws {@link
     *     FencedWriteException} once this replica no longer holds the item's claim
     */
    AutoCloseable start(String item, Fence fence) throws Exception;
  }

  /**
   * The fencing check of one item held here: {@link #run()} (or {@link #check} naming the object
   * written) immediately before each write; each call reads the claim from the API server.
   */
  public interface Fence extends Runnable {
    /**
     * Throws {@link FencedWriteException} naming {@code key} (may be null) when this replica no
     * longer holds the item's claim in the epoch it claimed it in, or is not live itself.
     */
    void check(ResourceKey key);

    /** {@link #check} of no particular object. */
    @Override
    default void run() {
      check(null);
    }

    /**
     * {@code <replica>/<epoch>} to record in the item's own status object ({@link
     * ItemClaims#OWNER_ANNOTATION}); empty once the claim is released.
     */
    Optional<String> ownerStamp();
  }

  /** Told what happens to this replica's items; called on the thread that did it; never throws. */
  public interface Listener {
    /** The item was claimed and started here ({@code takenOver}: from a replica not live). */
    default void claimed(String item, boolean takenOver) {}

    /** The item was stopped here and its claim released (it moved away or was withdrawn). */
    default void released(String item) {}

    /** A fencing check of the item failed: the item stops here until claimed again. */
    default void fenced(String item) {}
  }

  private final ReplicaMembership membership;
  private final ShardAssignment assignment;
  private final ItemClaims claims;
  private final Starter starter;
  private final Function<String, String> shardKey;
  private final Listener listener;
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, AutoCloseable> running = new ConcurrentHashMap<>();
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

  private ShardedItems(Builder b) {
    this.membership = b.membership;
    this.assignment = b.assignment;
    this.starter = b.starter;
    this.shardKey = b.shardKey;
    this.listener = b.listener;
    this.claims = ItemClaims.of(membership);
    membership.addListener(rebalance);
  }

  /** A builder for work items shared by {@code membership}'s group, started by {@code starter}. */
  public static Builder builder(ReplicaMembership membership, Starter starter) {
    return new Builder(membership, starter);
  }

  /** Makes {@code item} known; it runs here when this replica owns it and can claim it. */
  public void offer(String item) {
    offerAll(List.of(Objects.requireNonNull(item, "item")));
  }

  /** Makes {@code items} known at once (one assignment for all); each runs here when it may. */
  public void offerAll(Collection<String> items) {
    items.forEach(i -> Objects.requireNonNull(i, "item"));
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      known.addAll(items);
      Map<String, String> owners = owners();
      for (String item : items) {
        settle(item, owners);
      }
    }
  }

  /** Forgets {@code item}: stops it here and releases its claim. */
  public void withdraw(String item) {
    synchronized (lock) {
      known.remove(item);
      if (stop(item)) {
        claims.release(item);
        released.increment();
        listener.released(item);
      }
    }
  }

  /** Whether {@code item} runs on this replica now. */
  public boolean isRunning(String item) {
    return running.containsKey(item);
  }

  /** The items running on this replica now. */
  public Set<String> running() {
    return Set.copyOf(running.keySet());
  }

  /** This replica's share, for monitoring. */
  public ShardStats stats() {
    return new ShardStats(
        running.size(), claimed.sum(), takenOver.sum(), released.sum(), fenced.sum());
  }

  private void rebalance() {
    synchronized (lock) {
      if (!closed) {
        settleAll();
      }
    }
  }

  private void settleAll() {
    Map<String, String> owners = owners();
    for (String item : known) {
      settle(item, owners);
    }
  }

  /** The owner of each shard key of the items known, among the live replicas. */
  private Map<String, String> owners() {
    Map<String, Long> keys = new HashMap<>();
    known.forEach(k -> keys.merge(shardKey.apply(k), 1L, Long::sum));
    return assignment.assign(keys, membership.members());
  }

  private void settle(String item, Map<String, String> owners) {
    boolean mine =
        membership.alive() && membership.identity().equals(owners.get(shardKey.apply(item)));
    if (mine && lost.remove(item)) {
      stop(item); // taken for dead meanwhile: claim it again before working
    }
    if (!mine) {
      if (stop(item)) {
        claims.release(item);
        released.increment();
        listener.released(item);
      }
      return;
    }
    if (running.containsKey(item)) {
      return;
    }
    ItemClaims.Outcome outcome = claims.acquire(item);
    if (outcome != ItemClaims.Outcome.HELD && outcome != ItemClaims.Outcome.TAKEN_OVER) {
      return;
    }
    AutoCloseable work;
    try {
      work =
          starter.start(
              item,
              new Fence() {
                @Override
                public void check(ResourceKey key) {
                  ShardedItems.this.check(item, key);
                }

                @Override
                public Optional<String> ownerStamp() {
                  return claims.ownerStamp(item);
                }
              });
    } catch (Exception e) {
      claims.release(item); // it could not start here: let another replica try
      return;
    }
    running.put(item, work);
    claimed.increment();
    if (outcome == ItemClaims.Outcome.TAKEN_OVER) {
      takenOver.increment();
    }
    listener.claimed(item, outcome == ItemClaims.Outcome.TAKEN_OVER);
  }

  private void check(String item, ResourceKey key) {
    Optional<String> why = claims.lostBecause(item);
    if (why.isPresent()) {
      lost.add(item);
      fenced.increment();
      listener.fenced(item);
      throw new FencedWriteException(item, membership.identity(), key, why.get());
    }
  }

  private boolean stop(String item) {
    AutoCloseable work = running.remove(item);
    if (work == null) {
      return false;
    }
    try {
      work.close();
    } catch (Exception e) {
      // stopping the rest matters more
    }
    return true;
  }

  /** Stops every item and releases its claim (graceful handover). The membership stays open. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    membership.removeListener(rebalance);
    for (String item : Set.copyOf(running.keySet())) {
      stop(item);
      claims.release(item);
    }
  }

  /** Settings of {@link ShardedItems}; not thread-safe. */
  public static final class Builder {
    private final ReplicaMembership membership;
    private final Starter starter;
    private ShardAssignment assignment = ShardAssignment.rendezvous();
    private Function<String, String> shardKey = Function.identity();
    private Listener listener = new Listener() {};

    private Builder(ReplicaMembership membership, Starter starter) {
      this.membership = Objects.requireNonNull(membership, "membership");
      this.starter = Objects.requireNonNull(starter, "starter");
    }

    /**
     * What an item is assigned by (default: the item itself): items with the same key go to the
     * same replica, e.g. every Application of one destination cluster.
     */
    public Builder shardKey(Function<String, String> shardKey) {
      this.shardKey = Objects.requireNonNull(shardKey, "shardKey");
      return this;
    }

    /** Who is told of claims, releases and fenced writes. */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** How items map to replicas; default rendezvous hashing. */
    public Builder assignment(ShardAssignment assignment) {
      this.assignment = Objects.requireNonNull(assignment, "assignment");
      return this;
    }

    /** Starts sharing: runs this replica's items at once. */
    public ShardedItems build() {
      ShardedItems items = new ShardedItems(this);
      return items;
    }
  }
}

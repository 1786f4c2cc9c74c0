package io.glidepath.kube.shard;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
 * <p>Rebalancing runs on every round of the membership and on {@link #offer}. {@link #close()}
 * stops the work and releases every claim, so the others take over at once. Thread-safe.
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
    AutoCloseable start(String item, Runnable fence) throws Exception;
  }

  private final ReplicaMembership membership;
  private final ShardAssignment assignment;
  private final ItemClaims claims;
  private final Starter starter;
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
    this.claims = ItemClaims.of(membership);
    membership.addListener(rebalance);
  }

  /** A builder for work items shared by {@code membership}'s group, started by {@code starter}. */
  public static Builder builder(ReplicaMembership membership, Starter starter) {
    return new Builder(membership, starter);
  }

  /** Makes {@code item} known; it runs here when this replica owns it and can claim it. */
  public void offer(String item) {
    Objects.requireNonNull(item, "item");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      known.add(item);
      settleAll();
    }
  }

  /** Forgets {@code item}: stops it here and releases its claim. */
  public void withdraw(String item) {
    synchronized (lock) {
      known.remove(item);
      if (stop(item)) {
        claims.release(item);
      }
    }
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
    Map<String, Long> keys = new HashMap<>();
    known.forEach(k -> keys.put(k, 1L));
    Map<String, String> owners = assignment.assign(keys, membership.members());
    for (String item : known) {
      settle(item, membership.alive() && membership.identity().equals(owners.get(item)));
    }
  }

  private void settle(String item, boolean mine) {
    if (mine && lost.remove(item)) {
      stop(item); // taken for dead meanwhile: claim it again before working
    }
    if (!mine) {
      if (stop(item)) {
        claims.release(item);
        released.increment();
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
      work = starter.start(item, () -> check(item));
    } catch (Exception e) {
      claims.release(item); // it could not start here: let another replica try
      return;
    }
    running.put(item, work);
    claimed.increment();
    if (outcome == ItemClaims.Outcome.TAKEN_OVER) {
      takenOver.increment();
    }
  }

  private void check(String item) {
    Optional<String> why = claims.lostBecause(item);
    if (why.isPresent()) {
      lost.add(item);
      fenced.increment();
      throw new FencedWriteException(item, membership.identity(), null, why.get());
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

    private Builder(ReplicaMembership membership, Starter starter) {
      this.membership = Objects.requireNonNull(membership, "membership");
      this.starter = Objects.requireNonNull(starter, "starter");
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

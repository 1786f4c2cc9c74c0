package io.glidepath.kube.shard;

import io.glidepath.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>The owners of all items are computed once per change of the live replicas (a key offered later
 * is assigned alone when the assignment {@link ShardAssignment#independentKeys allows it}); each
 * round of the membership settles every item against them, which costs no request for an item that
 * runs here and stays here, so an item is claimed or released again only when the members change,
 * its claim could not be taken yet, or its fencing check failed. The items a pass must claim are
 * claimed together: up to {@link Builder#claimConcurrency} at a time, their claims read with one
 * list when there are many, and started likewise, outside the lock; a replica starting with N items
 * sends about N claim writes ({@link ShardStats#claimWrites()}). In timer mode each {@code
 * ShardedItems} rebalances on a thread of its own, so two works of one membership (apps and
 * rollouts) take over a dead replica's items side by side. {@link #offer} settles the items offered
 * before it returns. {@link #close()} stops the work and releases every claim, so the others take
 * over at once. The {@link io.glidepath.kube.controller.ControllerManager}'s sharding runs on it
 * (items: the Applications' names, grouped by its shard key). Thread-safe.
 */
public final class ShardedItems implements AutoCloseable {
  /** How many claims one pass sends at once by default ({@link Builder#claimConcurrency}). */
  public static final int DEFAULT_CLAIM_CONCURRENCY = 8;

  /**
   * Starts the work of one item this replica now holds; returns how to stop it. Called on one of
   * the claim threads (several items start at once) while the pass that claimed them waits, so it
   * must not offer or withdraw items of the same {@code ShardedItems}.
   */
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

    /**
     * A fencing check of the item failed, with the refusal (its {@link FencedWriteException#kind()}
     * says why); by default {@link #fenced(String)}. ShardedItems calls this one.
     */
    default void fenced(String item, FencedWriteException refusal) {
      fenced(item);
    }
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
  // one settling pass at a time (claims run outside lock, on the claim pool)
  private final Object passes = new Object();
  private final Object lock = new Object();
  private final LongAdder claimed = new LongAdder();
  private final LongAdder takenOver = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final LongAdder fenced = new LongAdder();
  private final LongAdder assignments = new LongAdder();
  // the claims' (and the starts') threads: at most claimConcurrency requests in flight
  private final ThreadPoolExecutor pool;
  // timer mode: the rounds' own thread, so that two sharded works of one membership (apps and
  // rollouts) rebalance side by side rather than one after the other on the listeners' thread
  private final ExecutorService rounds;
  private final AtomicBoolean roundQueued = new AtomicBoolean();
  private final MembershipListener rebalance =
      new MembershipListener() {
        @Override
        public void ticked() {
          if (rounds == null) {
            rebalanceQuietly();
            return;
          }
          if (roundQueued.compareAndSet(false, true)) {
            try {
              rounds.execute(
                  () -> {
                    roundQueued.set(false);
                    rebalanceQuietly();
                  });
            } catch (RejectedExecutionException e) {
              roundQueued.set(false); // closed
            }
          }
        }
      };

  // the owner of each shard key ("" for none), computed for assignedFor (the members then) and
  // kept until the members change or, for an assignment whose owners depend on all keys, the keys
  // change (dirty); replaced whole and filled under the lock, read without it (assignedOwner)
  private volatile Map<String, String> owners = new ConcurrentHashMap<>();
  private SortedSet<String> assignedFor;
  private boolean assignedAlive;
  private boolean dirty = true;
  private boolean closed;

  private ShardedItems(Builder b) {
    this.membership = b.membership;
    this.assignment = b.assignment;
    this.starter = b.starter;
    this.shardKey = b.shardKey;
    this.listener = b.listener;
    this.claims = ItemClaims.of(membership);
    String id = membership.identity();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            b.claimConcurrency,
            b.claimConcurrency,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "glidepath-claims-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    this.rounds =
        membership.scheduled()
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "glidepath-shard-" + id);
                  t.setDaemon(true);
                  return t;
                })
            : null;
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

  /**
   * Makes {@code items} known at once; each runs here when it may. The items this replica owns are
   * claimed together (concurrently, reading the claims with one list when there are many) and
   * started before this returns.
   */
  public void offerAll(Collection<String> items) {
    items.forEach(i -> Objects.requireNonNull(i, "item"));
    synchronized (passes) {
      Collection<String> toSettle = items;
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException("closed");
        }
        boolean added = known.addAll(items);
        if (added && !assignment.independentKeys()) {
          // another key (or another item of a key) may move the owners of the others
          dirty = true;
          toSettle = Set.copyOf(known);
        }
      }
      settle(toSettle);
    }
  }

  /** Forgets {@code item}: stops it here and releases its claim. */
  public void withdraw(String item) {
    boolean stopped;
    synchronized (lock) {
      if (known.remove(item) && !assignment.independentKeys()) {
        dirty = true;
      }
      stopped = stop(item);
    }
    if (stopped) {
      claims.release(item);
      released.increment();
      listener.released(item);
    }
  }

  /** Whether {@code item} runs on this replica now. */
  public boolean isRunning(String item) {
    return running.containsKey(item);
  }

  /**
   * The replica the assignment gives {@code item}'s shard key to among the live replicas, as this
   * {@code ShardedItems} settles items by: the owners it computed last for the members (and keys),
   * never computed again here; empty for none. A key not computed yet (an item not offered, or
   * offered since) is answered alone: for an assignment whose owners depend on all keys, a guess
   * until the next pass. No request and no lock (it may be asked on any thread, while a pass runs,
   * e.g. per event by a cache): a read of the owners last published.
   */
  public Optional<String> assignedOwner(String item) {
    String key = shardKey.apply(Objects.requireNonNull(item, "item"));
    String owner = owners.get(key);
    if (owner != null) {
      return owner.isEmpty() ? Optional.empty() : Optional.of(owner);
    }
    SortedSet<String> members = membership.members();
    return assignment.independentKeys()
        ? assignment.owner(key, members)
        : Optional.ofNullable(assignment.assign(Map.of(key, 1L), members).get(key));
  }

  /** The items running on this replica now. */
  public Set<String> running() {
    return Set.copyOf(running.keySet());
  }

  /** This replica's share, for monitoring. */
  public ShardStats stats() {
    return new ShardStats(
        running.size(),
        claimed.sum(),
        takenOver.sum(),
        released.sum(),
        fenced.sum(),
        claims.writes(),
        assignments.sum());
  }

  private void rebalanceQuietly() {
    try {
      rebalance();
    } catch (RuntimeException e) {
      // the API server is away: the next round tries again
    }
  }

  /**
   * One round: every item known is settled against the owners computed for the current members
   * (computed again only when they changed). An item that runs here and is still this replica's
   * costs no request; only the ones that moved, and the ones this replica owns but does not run yet
   * (claim held by a live peer, API server away, start failed, fenced), are claimed or released.
   */
  private void rebalance() {
    synchronized (passes) {
      Collection<String> items;
      synchronized (lock) {
        if (closed) {
          return;
        }
        items = Set.copyOf(known);
      }
      settle(items);
    }
  }

  /**
   * The owner of {@code item}'s shard key among the members; null for none. Computed for all keys
   * once per change of the members (and, for an assignment over all keys, of the keys); a key new
   * to an assignment of independent keys is computed alone. Called holding the lock.
   */
  private String ownerOf(String item) {
    SortedSet<String> members = refreshOwners();
    String key = shardKey.apply(item);
    String owner = owners.get(key);
    if (owner == null) {
      if (assignment.independentKeys()) {
        owner = assignment.owner(key, members).orElse("");
      } else {
        owner = assignment.assign(Map.of(key, 1L), members).getOrDefault(key, "");
        dirty = true; // a key the last assignment did not know: the next pass computes all again
      }
      owners.put(key, owner);
    }
    return owner.isEmpty() ? null : owner;
  }

  /**
   * Computes the owners of all known keys again when the members (or, for an assignment over all
   * keys, the keys) changed since they were; returns the members. Called holding the lock.
   */
  private SortedSet<String> refreshOwners() {
    SortedSet<String> members = membership.members();
    boolean alive = membership.alive();
    if (dirty || !members.equals(assignedFor) || alive != assignedAlive) {
      Map<String, Long> keys = new HashMap<>();
      known.forEach(k -> keys.merge(shardKey.apply(k), 1L, Long::sum));
      Map<String, String> assigned = assignment.assign(keys, members);
      Map<String, String> next = new ConcurrentHashMap<>(Math.max(16, keys.size() * 2));
      keys.keySet().forEach(k -> next.put(k, assigned.getOrDefault(k, "")));
      owners = next;
      assignments.increment();
      assignedFor = members;
      assignedAlive = alive;
      dirty = false;
    }
    return members;
  }

  private boolean mine(String item) {
    return membership.alive() && membership.identity().equals(ownerOf(item));
  }

  /**
   * Settles {@code items}: stops and releases the ones that moved away, claims the ones this
   * replica owns and does not run (concurrently, outside the lock), then starts the ones claimed.
   * Called holding {@code passes}: one pass at a time.
   */
  private void settle(Collection<String> items) {
    List<String> toRelease = new ArrayList<>();
    List<String> toClaim = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (String item : items) {
        if (!known.contains(item)) {
          continue; // withdrawn
        }
        boolean mine = mine(item);
        if (mine && lost.remove(item)) {
          stop(item); // taken for dead meanwhile: claim it again before working
        }
        if (!mine) {
          lost.remove(item);
          if (stop(item)) {
            toRelease.add(item);
          }
        } else if (!running.containsKey(item)) {
          toClaim.add(item);
        }
      }
    }
    releaseAll(toRelease, true);
    if (toClaim.isEmpty()) {
      return;
    }
    Map<String, ItemClaims.Outcome> outcomes;
    try {
      outcomes = claims.acquireAll(toClaim, pool);
    } catch (RuntimeException e) {
      return; // not claimed: the next round tries again
    }
    List<String> toStart = new ArrayList<>();
    List<String> giveBack = new ArrayList<>();
    synchronized (lock) {
      for (String item : toClaim) {
        ItemClaims.Outcome o = outcomes.get(item);
        if (o != ItemClaims.Outcome.HELD && o != ItemClaims.Outcome.TAKEN_OVER) {
          continue; // the next round tries again
        }
        if (closed || !known.contains(item) || !mine(item)) {
          giveBack.add(item); // withdrawn, moved or closed while it was claimed
        } else {
          toStart.add(item);
        }
      }
    }
    releaseAll(giveBack, false);
    startAll(toStart, outcomes);
  }

  /** Starts the items just claimed, concurrently on the pool; returns when all have started. */
  private void startAll(List<String> items, Map<String, ItemClaims.Outcome> outcomes) {
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (String item : items) {
      starts.add(CompletableFuture.runAsync(() -> start(item, outcomes.get(item)), pool));
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
  }

  private void start(String item, ItemClaims.Outcome outcome) {
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
      claims.release(item); // it could not start here: the next round tries again
      return;
    }
    boolean keep;
    boolean twice;
    synchronized (lock) {
      // withdrawn, moved or closed while it started: stop it again
      keep = !closed && known.contains(item) && mine(item);
      twice = keep && running.containsKey(item);
      if (keep && !twice) {
        running.put(item, work);
      }
    }
    if (twice) {
      closeQuietly(work); // cannot happen with one pass at a time; keep the one running
      return;
    }
    if (!keep) {
      closeQuietly(work);
      claims.release(item);
      return;
    }
    claimed.increment();
    if (outcome == ItemClaims.Outcome.TAKEN_OVER) {
      takenOver.increment();
    }
    listener.claimed(item, outcome == ItemClaims.Outcome.TAKEN_OVER);
  }

  /** Releases the claims of {@code items} (stopped already), concurrently on the pool. */
  private void releaseAll(List<String> items, boolean count) {
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (String item : items) {
      calls.add(
          CompletableFuture.runAsync(
              () -> {
                claims.release(item);
                if (count) {
                  released.increment();
                  listener.released(item);
                }
              },
              pool));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
  }

  private void check(String item, ResourceKey key) {
    Optional<ItemClaims.Refusal> why = claims.refusal(item);
    if (why.isPresent()) {
      FencedWriteException refusal =
          new FencedWriteException(
              item, membership.identity(), key, why.get().kind(), why.get().why());
      lost.add(item);
      fenced.increment();
      listener.fenced(item, refusal);
      throw refusal;
    }
  }

  /** Stops {@code item}'s work when it runs here. Called holding the lock. */
  private boolean stop(String item) {
    AutoCloseable work = running.remove(item);
    if (work == null) {
      return false;
    }
    closeQuietly(work);
    return true;
  }

  private static void closeQuietly(AutoCloseable work) {
    try {
      work.close();
    } catch (Exception e) {
      // stopping the rest matters more
    }
  }

  /**
   * Stops every item and releases its claim (graceful handover; the releases sent concurrently).
   * The membership stays open.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    membership.removeListener(rebalance);
    if (rounds != null) {
      rounds.shutdown();
    }
    List<String> stopped = new ArrayList<>();
    synchronized (passes) { // a pass under way sees closed and gives back what it claimed
      synchronized (lock) {
        for (String item : Set.copyOf(running.keySet())) {
          if (stop(item)) {
            stopped.add(item);
          }
        }
      }
      try {
        releaseAll(stopped, false);
      } catch (RuntimeException e) {
        // the others see the claims expire with this replica's Lease instead
      }
    }
    pool.shutdown();
  }

  /** Settings of {@link ShardedItems}; not thread-safe. */
  public static final class Builder {
    private final ReplicaMembership membership;
    private final Starter starter;
    private ShardAssignment assignment = ShardAssignment.rendezvous();
    private Function<String, String> shardKey = Function.identity();
    private Listener listener = new Listener() {};
    private int claimConcurrency = DEFAULT_CLAIM_CONCURRENCY;

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

    /**
     * How many claims (and releases, and starts of items) one pass sends at once; default {@value
     * #DEFAULT_CLAIM_CONCURRENCY}. A replica taking over a dead one's items claims them this many
     * at a time rather than one after the other.
     */
    public Builder claimConcurrency(int claimConcurrency) {
      if (claimConcurrency < 1) {
        throw new IllegalArgumentException(
            "claimConcurrency must be >= 1, but was " + claimConcurrency);
      }
      this.claimConcurrency = claimConcurrency;
      return this;
    }

    /** Starts sharing: runs this replica's items at once. */
    public ShardedItems build() {
      ShardedItems items = new ShardedItems(this);
      return items;
    }
  }
}

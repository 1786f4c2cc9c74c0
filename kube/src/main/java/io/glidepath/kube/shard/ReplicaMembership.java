package io.glidepath.kube.shard;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.glidepath.kube.KubeCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One replica of a platform service among several: it announces itself with one {@code
 * coordination.k8s.io/v1} Lease ({@code <group>-<identity>}, labelled {@code
 * glidepath.io/replica-group=<group>}) renewed every {@link Builder#renewInterval}, and sees the
 * others through theirs.
 *
 * <pre>{@code
 * try (ReplicaMembership me =
 *     ReplicaMembership.builder(cluster, "platform", "glidepath").identity(podName).start()) {
 *   SortedSet<String> live = me.members();
 * }
 * }</pre>
 *
 * <p>A peer is live while its Lease changes: as client-go's leader election does, liveness is
 * judged by when this replica last saw a peer's Lease change (its resourceVersion), on this
 * replica's own clock, never by the time written in the Lease, so clock skew between machines does
 * not matter. A peer whose Lease has not changed for {@link Builder#leaseDuration} (plus {@value
 * #EXPIRY_ALLOWANCE_MILLIS} ms for timers and clock rates) is dead; one whose Lease is gone
 * (released by {@link #close()}) is gone at once. This replica counts itself only while its own
 * last successful renewal is younger than the lease duration ({@link #alive()}).
 *
 * <p>Besides listing the group's Leases every round, a replica watches them, so it sees a peer's
 * renewal when it is made rather than up to one renew interval later, and it judges each peer again
 * exactly when that peer's lease runs out ({@link #nextExpiry()}), not at its next round: a dead
 * peer is dropped one lease duration after its last renewal was seen. When the watch breaks, the
 * rounds still list the Leases and the next round opens it again.
 *
 * <p>Defaults: lease {@value #DEFAULT_LEASE_SECONDS} s, renew every {@value #DEFAULT_RENEW_SECONDS}
 * s, a monotonic clock (the system clock at start, then moved by {@link System#nanoTime()}, so a
 * step of the wall clock does not age or revive a Lease). The RBAC it needs: {@code get, list,
 * watch, create, update, delete} on {@code leases} in the namespace. Thread-safe.
 */
public final class ReplicaMembership implements AutoCloseable {
  public static final int DEFAULT_LEASE_SECONDS = 15;
  public static final int DEFAULT_RENEW_SECONDS = 5;

  /**
   * What a peer's lease is judged to last beyond the lease duration: a timer of this replica firing
   * late and the clocks of two machines running at slightly different rates (a few ppm) never make
   * it shorter than the owner's own view.
   */
  public static final long EXPIRY_ALLOWANCE_MILLIS = 100;

  static final String GROUP_LABEL = "glidepath.io/replica-group";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubeCluster cluster;
  private final String namespace;
  private final String group;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewInterval;
  private final Clock clock;
  private final boolean scheduled;
  private final CopyOnWriteArrayList<MembershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  // timer mode: the listeners' own thread, so that slow listeners (claiming and starting items)
  // never delay a renewal; null with manual ticks (listeners run in the caller's round)
  private final java.util.concurrent.ExecutorService notifier;
  private final java.util.concurrent.atomic.AtomicBoolean tickQueued =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Object lock = new Object();
  // guarded by lock: per peer Lease name, the resourceVersion seen and when it was first seen
  private final Map<String, Seen> seen = new HashMap<>();
  private SortedSet<String> members = Collections.emptySortedSet();
  private Instant lastRenewed; // when the last successful renewal was sent
  private String ownVersion; // the resourceVersion of this replica's Lease as it last wrote it
  private ScheduledFuture<?> ticks;
  private ScheduledFuture<?> expiryCheck; // the next judgement of liveness, at nextExpiry
  private Watch watch; // the group's Leases, while it is open (timer mode only)
  private boolean closed;

  private record Seen(String identity, String resourceVersion, Instant since) {}

  private ReplicaMembership(Builder b) {
    this.cluster = b.cluster;
    this.namespace = b.namespace;
    this.group = b.group;
    this.identity = b.identity;
    this.leaseDuration = b.leaseDuration;
    this.renewInterval = b.renewInterval;
    this.clock = b.clock != null ? b.clock : MonotonicClock.start();
    this.scheduled = b.scheduled;
    if (b.listener != null) {
      listeners.add(b.listener);
    }
    this.notifier =
        !scheduled
            ? null
            : Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "glidepath-membership-listeners-" + identity);
                  t.setDaemon(true);
                  return t;
                });
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "glidepath-membership-" + identity);
              t.setDaemon(true);
              return t;
            });
  }

  /** A builder for replica group {@code group}'s Leases in {@code namespace}. */
  public static Builder builder(KubeCluster cluster, String namespace, String group) {
    return new Builder(cluster, namespace, group);
  }

  /** This replica's identity. */
  public String identity() {
    return identity;
  }

  /** The replica group. */
  public String group() {
    return group;
  }

  /** The namespace of the Leases. */
  public String namespace() {
    return namespace;
  }

  /** How long a Lease lasts without renewal. */
  public Duration leaseDuration() {
    return leaseDuration;
  }

  /** The cluster the Leases live in. */
  public KubeCluster cluster() {
    return cluster;
  }

  /** Whether rounds run on the membership's timer (false with {@link Builder#manualTicks}). */
  boolean scheduled() {
    return scheduled;
  }

  /** The clock liveness is judged by. */
  public Clock clock() {
    return clock;
  }

  /** The live replicas as last seen, sorted; this one among them while {@link #alive()}. */
  public SortedSet<String> members() {
    synchronized (lock) {
      return members;
    }
  }

  /**
   * Whether this replica's own Lease was renewed less than a lease duration ago (by the time the
   * renewal was sent): while it is not, other replicas may take its items and it must not write.
   */
  public boolean alive() {
    synchronized (lock) {
      return !closed
          && lastRenewed != null
          && clock.instant().isBefore(lastRenewed.plus(leaseDuration));
    }
  }

  /**
   * Whether this replica may still write for the items it holds: {@link #alive()} with a safety
   * margin of half the time between the renew interval and the lease duration (5 s with the
   * defaults). A write checked now has that long to reach the API server before another replica,
   * which counts a lease duration from when it saw the last renewal, can take the item over; a
   * replica whose renewals are late stops writing before its Lease runs out, not at the moment.
   */
  public boolean aliveForWrites() {
    Duration margin = leaseDuration.minus(renewInterval).dividedBy(2);
    synchronized (lock) {
      return !closed
          && lastRenewed != null
          && clock.instant().isBefore(lastRenewed.plus(leaseDuration).minus(margin));
    }
  }

  /** Whether the replica {@code identity} is live as far as this one knows. */
  public boolean isLive(String identity) {
    return members().contains(identity);
  }

  /**
   * Adds a listener (called on the membership's listener thread, see {@link MembershipListener}).
   */
  public void addListener(MembershipListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(MembershipListener listener) {
    listeners.remove(listener);
  }

  private ReplicaMembership start(boolean scheduled) {
    if (!scheduled) {
      tick();
      return this;
    }
    try {
      tick();
    } catch (KubernetesClientException e) {
      if (!isTransient(e)) {
        timer.shutdownNow();
        notifier.shutdownNow();
        throw e; // e.g. 403: the replica lacks RBAC on Leases; no later round does better
      }
      // the API server is slow or away at start: the timer's rounds try again
    }
    synchronized (lock) {
      // at a fixed rate: a slow round (the API server under load) does not push the next renewal
      // a whole interval further
      ticks =
          timer.scheduleAtFixedRate(
              this::tickQuietly,
              renewInterval.toMillis(),
              renewInterval.toMillis(),
              TimeUnit.MILLISECONDS);
    }
    watchQuietly();
    return this;
  }

  /** A failure a later round may not meet: no HTTP answer, a timeout, 429 or a server error. */
  private static boolean isTransient(KubernetesClientException e) {
    int code = e.getCode();
    return code == 0 || code == 408 || code == 429 || code >= 500;
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // the API server is away: the next round tries again; liveness ages meanwhile
    }
  }

  /**
   * One round: renew this replica's Lease, then read the group's Leases, then tell the listeners.
   * The membership's timer runs it every renew interval; with {@link Builder#manualTicks} only
   * calls of this do (tests: a replica that is not ticked is frozen), and no watch is opened.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the Leases cannot be read
   */
  public void tick() {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    renew();
    look();
    tellTicked();
    if (scheduled) {
      watchQuietly();
    }
  }

  /**
   * When the next live replica's lease runs out as this replica sees it now (a peer's: a lease
   * duration plus {@value #EXPIRY_ALLOWANCE_MILLIS} ms after its Lease was last seen changing; this
   * replica's own: a lease duration after its last renewal was sent), on {@link #clock()}; empty
   * when no replica is live. The timer runs {@link #recheck()} then.
   */
  public Optional<Instant> nextExpiry() {
    synchronized (lock) {
      return expiryAfter(clock.instant());
    }
  }

  /**
   * Judges the replicas again by the clock, without asking the API server, and tells the listeners
   * ({@link MembershipListener#membersChanged}, then {@link MembershipListener#ticked}) when a
   * replica's lease ran out. The timer runs it at {@link #nextExpiry()}; with {@link
   * Builder#manualTicks} the host (or a test on a manual clock) calls it.
   */
  public void recheck() {
    SortedSet<String> before;
    SortedSet<String> after;
    synchronized (lock) {
      if (closed) {
        return;
      }
      before = members;
      after = judge(clock.instant());
    }
    tellIfChanged(before, after);
  }

  private void recheckQuietly() {
    try {
      recheck();
    } catch (RuntimeException e) {
      // a listener failed: the next round tells again
    }
  }

  /** Opens the watch on the group's Leases when it is not open (timer mode). */
  private void watchQuietly() {
    synchronized (lock) {
      if (closed || watch != null) {
        return;
      }
    }
    Watch w;
    try {
      w =
          leases()
              .inNamespace(namespace)
              .withLabel(GROUP_LABEL, group)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource lease) {
                      try {
                        timer.execute(() -> observe(action, lease));
                      } catch (RejectedExecutionException e) {
                        // closed
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                      watchClosed();
                    }

                    @Override
                    public void onClose() {
                      watchClosed();
                    }
                  });
    } catch (KubernetesClientException e) {
      return; // the rounds still list the Leases; the next one tries again
    }
    boolean keep;
    synchronized (lock) {
      keep = !closed && watch == null;
      if (keep) {
        watch = w;
      }
    }
    if (!keep) {
      w.close();
    }
  }

  private void watchClosed() {
    synchronized (lock) {
      watch = null;
    }
  }

  /** A watch event: a peer's Lease changed (seen now) or was deleted (gone now). */
  private void observe(Watcher.Action action, GenericKubernetesResource l) {
    if (l == null || l.getMetadata() == null || l.getMetadata().getName() == null) {
      return;
    }
    SortedSet<String> before;
    SortedSet<String> after;
    synchronized (lock) {
      if (closed) {
        return;
      }
      Instant now = clock.instant();
      String name = l.getMetadata().getName();
      String holder = holderOf(l);
      if (action == Watcher.Action.DELETED || holder.isEmpty()) {
        seen.remove(name);
      } else if (action == Watcher.Action.ADDED || action == Watcher.Action.MODIFIED) {
        String rv = l.getMetadata().getResourceVersion();
        Seen old = seen.get(name);
        if (old == null || !old.resourceVersion().equals(rv)) {
          seen.put(name, new Seen(holder, rv, now));
        }
      } else {
        return; // ERROR, BOOKMARK
      }
      before = members;
      after = judge(now);
    }
    try {
      tellIfChanged(before, after);
    } catch (RuntimeException e) {
      // a listener failed: the next round tells again
    }
  }

  private void tellIfChanged(SortedSet<String> before, SortedSet<String> after) {
    if (!before.equals(after)) {
      tellMembers(after);
      tellTicked();
    }
  }

  /** Runs {@code call} of the listeners: on their thread in timer mode, else at once. */
  private void tell(Runnable call) {
    if (notifier == null) {
      call.run();
      return;
    }
    try {
      notifier.execute(
          () -> {
            try {
              call.run();
            } catch (RuntimeException e) {
              // a listener failed: the others and later calls go on
            }
          });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void tellMembers(SortedSet<String> members) {
    tell(() -> listeners.forEach(l -> l.membersChanged(members)));
  }

  /** {@link MembershipListener#ticked}; in timer mode one call queued at most (they coalesce). */
  private void tellTicked() {
    if (notifier == null) {
      listeners.forEach(MembershipListener::ticked);
      return;
    }
    if (tickQueued.compareAndSet(false, true)) {
      tell(
          () -> {
            tickQueued.set(false);
            listeners.forEach(MembershipListener::ticked);
          });
    }
  }

  private static String holderOf(GenericKubernetesResource l) {
    return l.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("holderIdentity") instanceof String h
        ? h
        : "";
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      leases() {
    KubernetesClient client = cluster.client();
    return client.genericKubernetesResources("coordination.k8s.io/v1", "Lease");
  }

  String leaseName() {
    return group + "-" + identity;
  }

  /**
   * Renews this replica's Lease: one update with the resourceVersion this replica last wrote (a
   * read first only when it has not written yet, or someone else changed or deleted its Lease
   * since: a conflict), so a renewal costs one round trip, not two, when the API server is slow.
   * The renewal counts from when it was sent ({@code sent}, before any request), never from its
   * answer: a renewal accepted late only makes this replica's own view of its Lease shorter than
   * the others'.
   */
  private void renew() {
    Instant sent = clock.instant();
    String known;
    synchronized (lock) {
      known = ownVersion;
    }
    GenericKubernetesResource written = null;
    try {
      if (known != null) {
        try {
          written = leases().inNamespace(namespace).resource(lease(known, sent)).update();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 && e.getCode() != 404) {
            throw e;
          }
          // changed or deleted by someone else: read it, then write over what was read
        }
      }
      if (written == null) {
        GenericKubernetesResource current =
            leases().inNamespace(namespace).withName(leaseName()).get();
        written =
            current == null
                ? leases().inNamespace(namespace).resource(lease(null, sent)).create()
                : leases()
                    .inNamespace(namespace)
                    .resource(lease(current.getMetadata().getResourceVersion(), sent))
                    .update();
      }
    } catch (KubernetesClientException e) {
      synchronized (lock) {
        ownVersion = null; // not known to be ours any more: read it next time
      }
      return; // a conflict or the server away: not renewed this round
    }
    synchronized (lock) {
      lastRenewed = sent;
      ownVersion = written == null ? null : written.getMetadata().getResourceVersion();
    }
    java.time.Duration latency = java.time.Duration.between(sent, clock.instant());
    tell(() -> listeners.forEach(l -> l.renewed(latency)));
  }

  private GenericKubernetesResource lease(String resourceVersion, Instant now) {
    GenericKubernetesResource l = new GenericKubernetesResource();
    l.setApiVersion("coordination.k8s.io/v1");
    l.setKind("Lease");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(leaseName());
    meta.setNamespace(namespace);
    meta.setLabels(Map.of(GROUP_LABEL, group));
    meta.setResourceVersion(resourceVersion);
    l.setMetadata(meta);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("holderIdentity", identity);
    spec.put("leaseDurationSeconds", Math.max(1, leaseDuration.toSeconds()));
    spec.put("renewTime", MICRO_TIME.format(now));
    l.setAdditionalProperty("spec", spec);
    return l;
  }

  private void look() {
    var list = leases().inNamespace(namespace).withLabel(GROUP_LABEL, group).list();
    Instant now = clock.instant();
    SortedSet<String> before;
    SortedSet<String> after;
    synchronized (lock) {
      Map<String, Seen> next = new HashMap<>();
      for (GenericKubernetesResource l : list.getItems()) {
        String name = l.getMetadata().getName();
        String rv = l.getMetadata().getResourceVersion();
        String h = holderOf(l);
        if (h.isEmpty()) {
          continue;
        }
        Seen old = seen.get(name);
        next.put(
            name, old != null && old.resourceVersion().equals(rv) ? old : new Seen(h, rv, now));
      }
      seen.clear();
      seen.putAll(next);
      before = members;
      after = judge(now);
    }
    if (!before.equals(after)) {
      tellMembers(after);
    }
  }

  /**
   * The live replicas at {@code now} from what was seen; sets them and schedules the next judgement
   * (timer mode). Called holding the lock.
   */
  private SortedSet<String> judge(Instant now) {
    SortedSet<String> live = new TreeSet<>();
    for (Seen s : seen.values()) {
      if (!s.identity().equals(identity) && now.isBefore(peerExpiry(s))) {
        live.add(s.identity());
      }
    }
    if (!closed && lastRenewed != null && now.isBefore(lastRenewed.plus(leaseDuration))) {
      live.add(identity);
    }
    members = Collections.unmodifiableSortedSet(live);
    if (scheduled && !closed) {
      if (expiryCheck != null) {
        expiryCheck.cancel(false);
        expiryCheck = null;
      }
      Optional<Instant> at = expiryAfter(now);
      if (at.isPresent()) {
        long nanos = Math.max(1_000_000L, Duration.between(now, at.get()).toNanos());
        try {
          expiryCheck = timer.schedule(this::recheckQuietly, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          // closing
        }
      }
    }
    return members;
  }

  private Instant peerExpiry(Seen s) {
    return s.since().plus(leaseDuration).plusMillis(EXPIRY_ALLOWANCE_MILLIS);
  }

  /** The earliest expiry after {@code now} of a replica live now. Called holding the lock. */
  private Optional<Instant> expiryAfter(Instant now) {
    Instant next = null;
    for (Seen s : seen.values()) {
      if (s.identity().equals(identity)) {
        continue;
      }
      Instant e = peerExpiry(s);
      if (now.isBefore(e) && (next == null || e.isBefore(next))) {
        next = e;
      }
    }
    if (!closed && lastRenewed != null) {
      Instant own = lastRenewed.plus(leaseDuration);
      if (now.isBefore(own) && (next == null || own.isBefore(next))) {
        next = own;
      }
    }
    return Optional.ofNullable(next);
  }

  /** Stops renewing and deletes this replica's Lease, so the others see it gone at once. */
  @Override
  public void close() {
    Watch w;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (ticks != null) {
        ticks.cancel(false);
      }
      if (expiryCheck != null) {
        expiryCheck.cancel(false);
      }
      w = watch;
      watch = null;
    }
    if (w != null) {
      w.close();
    }
    timer.shutdown();
    if (notifier != null) {
      notifier.shutdown();
    }
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      if (notifier != null) {
        notifier.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      leases().inNamespace(namespace).withName(leaseName()).delete();
    } catch (KubernetesClientException e) {
      // the others see it expire instead
    }
  }

  /** The system clock at start, then moved by {@link System#nanoTime()} only. */
  private static final class MonotonicClock extends Clock {
    private final Instant base;
    private final long baseNanos;
    private final ZoneId zone;

    private MonotonicClock(Instant base, long baseNanos, ZoneId zone) {
      this.base = base;
      this.baseNanos = baseNanos;
      this.zone = zone;
    }

    static MonotonicClock start() {
      return new MonotonicClock(Instant.now(), System.nanoTime(), ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new MonotonicClock(base, baseNanos, zone);
    }

    @Override
    public Instant instant() {
      return base.plusNanos(System.nanoTime() - baseNanos);
    }
  }

  /** Settings of a {@link ReplicaMembership}; not thread-safe. */
  public static final class Builder {
    private final KubeCluster cluster;
    private final String namespace;
    private final String group;
    private String identity;
    private Duration leaseDuration = Duration.ofSeconds(DEFAULT_LEASE_SECONDS);
    private Duration renewInterval = Duration.ofSeconds(DEFAULT_RENEW_SECONDS);
    private Clock clock; // null: monotonic
    private MembershipListener listener;
    private boolean scheduled = true;

    private Builder(KubeCluster cluster, String namespace, String group) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      this.namespace = name("namespace", namespace);
      this.group = name("group", group);
      String host = System.getenv("HOSTNAME");
      this.identity =
          host != null && NAME.matcher(host).matches()
              ? host
              : "glidepath-" + ProcessHandle.current().pid();
    }

    private static String name(String what, String value) {
      Objects.requireNonNull(value, what);
      if (!NAME.matcher(value).matches() || value.length() > 63) {
        throw new IllegalArgumentException(
            what
                + " must be a DNS label (lower-case letters, digits and '-', at most 63), but was '"
                + value
                + "'");
      }
      return value;
    }

    /** This replica's identity (default: the host name, a pod's name); unique in the group. */
    public Builder identity(String identity) {
      this.identity = name("identity", identity);
      return this;
    }

    /**
     * How long a Lease lasts without renewal and how often it is renewed; the interval must be
     * positive and at most a third of the lease, so that two renewals can fail before it ends.
     */
    public Builder timing(Duration leaseDuration, Duration renewInterval) {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewInterval, "renewInterval");
      if (renewInterval.isZero() || renewInterval.isNegative()) {
        throw new IllegalArgumentException(
            "renewInterval must be positive, but was " + renewInterval);
      }
      if (leaseDuration.compareTo(renewInterval.multipliedBy(3)) < 0) {
        throw new IllegalArgumentException(
            "leaseDuration must be >= 3 x renewInterval "
                + renewInterval
                + ", but was "
                + leaseDuration);
      }
      this.leaseDuration = leaseDuration;
      this.renewInterval = renewInterval;
      return this;
    }

    /**
     * The clock liveness is judged by and renewal times are written with (default: the system clock
     * at start, then moved by {@link System#nanoTime()}).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Who is told of changes (more with {@link ReplicaMembership#addListener}). */
    public Builder listener(MembershipListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * No timer: rounds run only when {@link ReplicaMembership#tick()} is called (tests drive
     * replicas this way; one not ticked is frozen; a host may run rounds on its own scheduler).
     */
    public Builder manualTicks() {
      this.scheduled = false;
      return this;
    }

    /**
     * Creates this replica's Lease, reads the group's, and renews in the background. When the API
     * server does not answer in time or answers 429 or 5xx, the background rounds try again;
     * another refusal (403: no RBAC on Leases) is thrown.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server refuses
     *     the Leases (with {@link #manualTicks()}, any failure of the first round)
     */
    public ReplicaMembership start() {
      if (group.length() + 1 + identity.length() > 253) {
        throw new IllegalArgumentException("group and identity together are too long for a name");
      }
      return new ReplicaMembership(this).start(scheduled);
    }
  }
}

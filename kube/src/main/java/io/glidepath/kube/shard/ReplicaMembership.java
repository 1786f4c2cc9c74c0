package io.glidepath.kube.shard;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.glidepath.kube.KubeCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
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
 * not matter. A peer whose Lease has not changed for {@link Builder#leaseDuration} is dead; one
 * whose Lease is gone (released by {@link #close()}) is gone at once. This replica counts itself
 * only while its own last successful renewal is younger than the lease duration ({@link #alive()}).
 *
 * <p>Defaults: lease {@value #DEFAULT_LEASE_SECONDS} s, renew every {@value #DEFAULT_RENEW_SECONDS}
 * s, the system clock. The RBAC it needs: {@code get, list, create, update, delete} on {@code
 * leases} in the namespace. Thread-safe.
 */
public final class ReplicaMembership implements AutoCloseable {
  public static final int DEFAULT_LEASE_SECONDS = 15;
  public static final int DEFAULT_RENEW_SECONDS = 5;
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
  private final CopyOnWriteArrayList<MembershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;

  private final Object lock = new Object();
  // guarded by lock: per peer Lease name, the resourceVersion seen and when it was first seen
  private final Map<String, Seen> seen = new HashMap<>();
  private SortedSet<String> members = Collections.emptySortedSet();
  private Instant lastRenewed; // when the last successful renewal was sent
  private ScheduledFuture<?> ticks;
  private boolean closed;

  private record Seen(String identity, String resourceVersion, Instant since) {}

  private ReplicaMembership(Builder b) {
    this.cluster = b.cluster;
    this.namespace = b.namespace;
    this.group = b.group;
    this.identity = b.identity;
    this.leaseDuration = b.leaseDuration;
    this.renewInterval = b.renewInterval;
    this.clock = b.clock;
    if (b.listener != null) {
      listeners.add(b.listener);
    }
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

  /** Adds a listener (called on the membership's thread). */
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
        throw e; // e.g. 403: the replica lacks RBAC on Leases; no later round does better
      }
      // the API server is slow or away at start: the timer's rounds try again
    }
    synchronized (lock) {
      ticks =
          timer.scheduleWithFixedDelay(
              this::tickQuietly,
              renewInterval.toMillis(),
              renewInterval.toMillis(),
              TimeUnit.MILLISECONDS);
    }
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
   * calls of this do (tests: a replica that is not ticked is frozen).
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
    listeners.forEach(MembershipListener::ticked);
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

  private void renew() {
    Instant sent = clock.instant();
    var ref = leases().inNamespace(namespace).withName(leaseName());
    GenericKubernetesResource current;
    try {
      current = ref.get();
    } catch (KubernetesClientException e) {
      return;
    }
    try {
      if (current == null) {
        leases().inNamespace(namespace).resource(lease(null, sent)).create();
      } else {
        // our own Lease: the resourceVersion read guards against a concurrent writer
        leases()
            .inNamespace(namespace)
            .resource(lease(current.getMetadata().getResourceVersion(), sent))
            .update();
      }
      synchronized (lock) {
        lastRenewed = sent;
      }
      java.time.Duration latency = java.time.Duration.between(sent, clock.instant());
      listeners.forEach(l -> l.renewed(latency));
    } catch (KubernetesClientException e) {
      // a conflict or the server away: not renewed this round
    }
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
    SortedSet<String> live = new TreeSet<>();
    SortedSet<String> before;
    synchronized (lock) {
      Map<String, Seen> next = new HashMap<>();
      for (GenericKubernetesResource l : list.getItems()) {
        String name = l.getMetadata().getName();
        String rv = l.getMetadata().getResourceVersion();
        Object holder =
            l.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                ? spec.get("holderIdentity")
                : null;
        if (!(holder instanceof String h) || h.isEmpty()) {
          continue;
        }
        Seen old = seen.get(name);
        Seen s = old != null && old.resourceVersion().equals(rv) ? old : new Seen(h, rv, now);
        next.put(name, s);
        if (h.equals(identity)) {
          continue; // this replica counts by its own renewals
        }
        if (now.isBefore(s.since().plus(leaseDuration))) {
          live.add(h);
        }
      }
      seen.clear();
      seen.putAll(next);
      if (!closed && lastRenewed != null && now.isBefore(lastRenewed.plus(leaseDuration))) {
        live.add(identity);
      }
      before = members;
      members = Collections.unmodifiableSortedSet(live);
    }
    if (!before.equals(live)) {
      for (MembershipListener l : listeners) {
        l.membersChanged(members());
      }
    }
  }

  /** Stops renewing and deletes this replica's Lease, so the others see it gone at once. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (ticks != null) {
        ticks.cancel(false);
      }
    }
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      leases().inNamespace(namespace).withName(leaseName()).delete();
    } catch (KubernetesClientException e) {
      // the others see it expire instead
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
    private Clock clock = Clock.systemUTC();
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

    /** The clock liveness is judged by. */
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

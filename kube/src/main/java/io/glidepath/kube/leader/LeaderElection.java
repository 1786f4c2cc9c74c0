package io.glidepath.kube.leader;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.glidepath.kube.KubeCluster;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Leader election on a Kubernetes {@code coordination.k8s.io/v1} Lease, so that of several
 * controller instances exactly one acts; when the leader stops renewing (it crashed, or lost the
 * API server), another takes over once the lease has expired.
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.builder(cluster, "glidepath", "glidepath-controller")
 *     .identity(podName)
 *     .listener(new LeaderListener() {
 *       public void startedLeading() { controller.start(); }
 *       public void stoppedLeading() { controller.stop(); }
 *     })
 *     .start();
 * }</pre>
 *
 * <p>Built on fabric8's {@code LeaderElector}, which keeps time with the system clock (its timing
 * cannot be injected). Defaults: lease {@value #DEFAULT_LEASE_SECONDS} s, renew deadline {@value
 * #DEFAULT_RENEW_SECONDS} s, retry every {@value #DEFAULT_RETRY_SECONDS} s, the lease released on
 * {@link #close()}.
 *
 * <p>Thread-safe.
 */
public final class LeaderElection implements AutoCloseable {
  public static final int DEFAULT_LEASE_SECONDS = 15;
  public static final int DEFAULT_RENEW_SECONDS = 10;
  public static final int DEFAULT_RETRY_SECONDS = 2;

  private final String identity;
  private final ExecutorService executor;
  private final LeaderElector elector;
  private final AtomicReference<String> leader = new AtomicReference<>();
  private volatile boolean leading;
  private volatile CompletableFuture<?> running;

  private LeaderElection(Builder b) {
    this.identity = b.identity;
    LeaderListener listener = b.listener;
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              leading = true;
              listener.startedLeading();
            },
            () -> {
              leading = false;
              listener.stoppedLeading();
            },
            id -> {
              leader.set(id);
              listener.newLeader(id);
            });
    LeaderElectionConfig config =
        new LeaderElectionConfigBuilder()
            .withName(b.name)
            .withLock(new LeaseLock(b.namespace, b.name, b.identity))
            .withLeaseDuration(b.leaseDuration)
            .withRenewDeadline(b.renewDeadline)
            .withRetryPeriod(b.retryPeriod)
            .withReleaseOnCancel(b.releaseOnClose)
            .withLeaderCallbacks(callbacks)
            .build();
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "glidepath-leader-election-" + b.identity);
              t.setDaemon(true);
              return t;
            });
    this.elector = new LeaderElector(b.cluster.client(), config, executor);
  }

  /**
   * A builder for an election on Lease {@code name} in {@code namespace}; the identity defaults to
   * the host name.
   */
  public static Builder builder(KubeCluster cluster, String namespace, String name) {
    return new Builder(cluster, namespace, name);
  }

  private LeaderElection start() {
    running = elector.start();
    return this;
  }

  /** This instance's identity in the Lease. */
  public String identity() {
    return identity;
  }

  /** Whether this instance currently leads. */
  public boolean isLeader() {
    return leading;
  }

  /** The last leader observed, if any. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader.get());
  }

  /** Stops campaigning; releases the lease when so configured (the default). */
  @Override
  public void close() {
    CompletableFuture<?> r = running;
    if (r != null) {
      r.cancel(true);
    }
    // not shutdownNow: the elector releases the lease on its thread after the cancel
    executor.shutdown();
  }

  /** Settings of a {@link LeaderElection}; not thread-safe. */
  public static final class Builder {
    private final KubeCluster cluster;
    private final String namespace;
    private final String name;
    private String identity;
    private Duration leaseDuration = Duration.ofSeconds(DEFAULT_LEASE_SECONDS);
    private Duration renewDeadline = Duration.ofSeconds(DEFAULT_RENEW_SECONDS);
    private Duration retryPeriod = Duration.ofSeconds(DEFAULT_RETRY_SECONDS);
    private boolean releaseOnClose = true;
    private LeaderListener listener = LeaderListener.NONE;

    private Builder(KubeCluster cluster, String namespace, String name) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      this.namespace = requireText("namespace", namespace);
      this.name = requireText("name", name);
      String host = System.getenv("HOSTNAME");
      this.identity =
          host == null || host.isBlank() ? "glidepath-" + ProcessHandle.current().pid() : host;
    }

    private static String requireText(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank, but was '" + value + "'");
      }
      return value;
    }

    /** This instance's identity; unique among the candidates. */
    public Builder identity(String identity) {
      this.identity = requireText("identity", identity);
      return this;
    }

    /**
     * Lease timing: how long a lease lasts, how long the leader tries to renew before giving up,
     * how often candidates retry. Must satisfy lease > renew deadline > retry period > 0.
     */
    public Builder timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
      if (retryPeriod.isZero() || retryPeriod.isNegative()) {
        throw new IllegalArgumentException("retryPeriod must be positive, but was " + retryPeriod);
      }
      if (renewDeadline.compareTo(retryPeriod) <= 0) {
        throw new IllegalArgumentException(
            "renewDeadline must be > retryPeriod " + retryPeriod + ", but was " + renewDeadline);
      }
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException(
            "leaseDuration must be > renewDeadline "
                + renewDeadline
                + ", but was "
                + leaseDuration);
      }
      this.leaseDuration = leaseDuration;
      this.renewDeadline = renewDeadline;
      this.retryPeriod = retryPeriod;
      return this;
    }

    /** Whether {@link LeaderElection#close()} releases the lease at once (default true). */
    public Builder releaseOnClose(boolean release) {
      this.releaseOnClose = release;
      return this;
    }

    /** Who is told about leadership changes. */
    public Builder listener(LeaderListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Starts campaigning in the background. */
    public LeaderElection start() {
      return new LeaderElection(this).start();
    }
  }
}

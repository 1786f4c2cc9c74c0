package io.glidepath.kube.controller;

import io.glidepath.core.app.Application;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.internal.DefaultControllerManager;
import io.glidepath.kube.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs many Applications in one process, as Argo CD's application controller does: one {@link
 * ApplicationController} per app, all on a fixed set of shared workers and one live-state cache per
 * cluster, fed by {@link ApplicationFeed}s (files, the cluster's Application objects, an
 * ApplicationSet) or by {@link #put}.
 *
 * <pre>{@code
 * Map<String, GitWatcher> watchers = new ConcurrentHashMap<>();
 * try (ControllerManager manager =
 *     ControllerManager.builder(cluster)
 *         .sources(app -> GitDesiredStateSource.of(git, app).withoutFetch())
 *         .gitWatcher(app -> Optional.of(watchers.computeIfAbsent(app.source().targetRevision(),
 *             rev -> GitWatcher.builder(git, rev).build())))
 *         .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
 *         .build()) {
 *   manager.start();
 *   ...
 * }
 * }</pre>
 *
 * <h2>How the work follows the change</h2>
 *
 * <ul>
 *   <li>Workers: {@link Builder#workers} threads take apps from one queue that holds each app at
 *       most once, so an app is never reconciled twice at once and a busy app cannot crowd out the
 *       others; requests caused by a change (a commit, a live change, an edit of the app) are
 *       served first, in order, periodic resyncs after them. Syncs share the process's apply
 *       threads. The number of threads does not grow with the number of apps.
 *   <li>Live state: the cluster's informers watch every listable kind (but Events) once for all
 *       apps, keeping only objects that carry a tracking id; the first reconcile and every resync
 *       read memory, and drift seen there is confirmed with a GET before anything is applied.
 *   <li>Resyncs: every {@link Builder#resyncPeriod}, spread over the period with {@link
 *       Builder#resyncJitter}, never as one wave; an unchanged app writes nothing.
 *   <li>Git: with a {@link GitDesiredStateSource}, a commit wakes only the apps whose render inputs
 *       it touches, and only those are rendered again ({@link GitDesiredStateSource}).
 *   <li>Replicas: with {@link Builder#sharding}, several processes share the apps over Kubernetes
 *       Leases, each running only its own ({@link io.glidepath.kube.shard}).
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops every controller, the feeds and the workers; the cluster,
 * the sources and the watchers stay the caller's.
 */
public interface ControllerManager extends AutoCloseable {
  /** A builder for apps on {@code cluster}. */
  static Builder builder(KubeCluster cluster) {
    return new Builder(cluster);
  }

  /**
   * Starts the workers and the cache (one informer per listable kind, each with its initial list
   * when this returns), the controllers of the apps put so far, then the feeds.
   */
  void start();

  /**
   * Runs {@code app}: adds it, or replaces the running app of that name when its spec differs (the
   * old controller stops first). Started at once when the manager runs. Returns its controller, or
   * empty with {@link Builder#sharding} when another replica runs it (or will once this one can
   * claim it).
   */
  Optional<ApplicationController> put(Application app);

  /** Stops and forgets the app of that name; returns whether there was one. */
  boolean remove(String name);

  /** The controller of the app of that name. */
  Optional<ApplicationController> controller(String name);

  /** The names of the apps run (with sharding: by this replica). */
  Set<String> apps();

  /** Figures for monitoring. */
  Stats stats();

  /** Stops every controller, the feeds and the workers. */
  @Override
  void close();

  /**
   * What the manager does now.
   *
   * @param apps apps run (with sharding: by this replica)
   * @param workers worker threads
   * @param queued apps waiting for a worker
   * @param reconciles reconciles run since the start
   * @param claims with sharding: apps this replica claimed since the start (taken over included)
   * @param takeovers with sharding: of those, apps taken over from a replica no longer live
   * @param releases with sharding: apps this replica stopped and released (they moved away)
   * @param fencedWrites with sharding: reconciles whose writes the fencing check refused because
   *     this replica no longer held the app's claim (0 in a healthy group)
   */
  record Stats(
      int apps,
      int workers,
      int queued,
      long reconciles,
      long claims,
      long takeovers,
      long releases,
      long fencedWrites) {
    /** Figures without sharding. */
    public Stats(int apps, int workers, int queued, long reconciles) {
      this(apps, workers, queued, reconciles, 0, 0, 0, 0);
    }

    /** The sharding figures (for {@link io.glidepath.kube.shard.ShardMetrics}). */
    public io.glidepath.kube.shard.ShardStats shard() {
      return new io.glidepath.kube.shard.ShardStats(
          apps, claims, takeovers, releases, fencedWrites);
    }
  }

  /**
   * Settings of a {@link ControllerManager}. Defaults: {@value #DEFAULT_WORKERS} workers
   * (reconciles mostly wait for the API server, so more workers than cores), resync every {@value
   * ApplicationController.Builder#DEFAULT_RESYNC_SECONDS} s with {@value #DEFAULT_RESYNC_JITTER}
   * jitter, one {@link SyncEngine} with its defaults for every app, the system clock, status in
   * each app's namespace (or {@code default}), only the {@code default} project. Not thread-safe.
   */
  final class Builder {
    public static final int DEFAULT_WORKERS = 8;
    public static final double DEFAULT_RESYNC_JITTER = 0.2;

    private final KubeCluster cluster;
    private Function<Application, DesiredStateSource> sources;
    private Function<Application, Optional<io.glidepath.git.watch.GitWatcher>> watchers;
    private final List<ApplicationFeed> feeds = new ArrayList<>();
    private int workers = DEFAULT_WORKERS;
    private Duration resyncPeriod =
        Duration.ofSeconds(ApplicationController.Builder.DEFAULT_RESYNC_SECONDS);
    private double resyncJitter = DEFAULT_RESYNC_JITTER;
    private Duration selfHealBackoff =
        Duration.ofSeconds(ApplicationController.Builder.DEFAULT_SELF_HEAL_SECONDS);
    private SyncEngine engine;
    private HealthAssessor health;
    private Supplier<io.glidepath.core.argocd.ArgoCdSettings> settings =
        io.glidepath.core.argocd.ArgoCdSettings::empty;
    private Clock clock = Clock.systemUTC();
    private ControllerListener listener = ControllerListener.NONE;
    private ProjectSource projects = ProjectSource.defaults();
    private String statusNamespace;
    private long seed = System.nanoTime();
    private io.glidepath.kube.shard.ReplicaMembership membership;
    private Function<Application, String> shardKey = Application::name;
    private io.glidepath.kube.shard.ShardAssignment assignment =
        io.glidepath.kube.shard.ShardAssignment.rendezvous();

    private Builder(KubeCluster cluster) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /** Where each app's desired state comes from (required), called once per app put. */
    public Builder sources(Function<Application, DesiredStateSource> sources) {
      this.sources = Objects.requireNonNull(sources, "sources");
      return this;
    }

    /**
     * The Git watcher whose commits wake an app (module {@code glidepath-git}), called once per app
     * put; share one watcher per repository and revision. With a {@link GitDesiredStateSource}, a
     * commit wakes only the apps it touches.
     */
    public Builder gitWatcher(
        Function<Application, Optional<io.glidepath.git.watch.GitWatcher>> watchers) {
      this.watchers = Objects.requireNonNull(watchers, "gitWatcher");
      return this;
    }

    /** A feed of apps, started with the manager; may be given more than once. */
    public Builder feed(ApplicationFeed feed) {
      feeds.add(Objects.requireNonNull(feed, "feed"));
      return this;
    }

    /** How many threads reconcile; must be in 1..256. */
    public Builder workers(int workers) {
      if (workers < 1 || workers > 256) {
        throw new IllegalArgumentException("workers must be in 1..256, but was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** How often each app is reconciled without a trigger; must be positive. */
    public Builder resyncPeriod(Duration period) {
      Objects.requireNonNull(period, "resyncPeriod");
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("resyncPeriod must be positive, but was " + period);
      }
      this.resyncPeriod = period;
      return this;
    }

    /**
     * How far each resync may move from the period, as a fraction of it (0.2: 0.8 to 1.2 periods);
     * must be in 0..1. The first resync of each app falls anywhere in the first period.
     */
    public Builder resyncJitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("resyncJitter must be in 0..1, but was " + jitter);
      }
      this.resyncJitter = jitter;
      return this;
    }

    /** The first wait between two heals of the same revision; doubles up to 3 min. */
    public Builder selfHealBackoff(Duration backoff) {
      Objects.requireNonNull(backoff, "selfHealBackoff");
      if (backoff.isZero() || backoff.isNegative()) {
        throw new IllegalArgumentException("selfHealBackoff must be positive, but was " + backoff);
      }
      this.selfHealBackoff = backoff;
      return this;
    }

    /** The engine every app's syncs run on (thread-safe, shared). */
    public Builder engine(SyncEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** The health checks (see {@link ApplicationController.Builder#health}). */
    public Builder health(HealthAssessor health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /**
     * The {@code argocd-cm} settings every app's controller uses (see {@link
     * ApplicationController.Builder#settings}), e.g. {@code ArgoCdConfigMap::settings}. The
     * manager's shared cache watches every kind but those the settings exclude for the in-cluster
     * server, and follows a change of the exclusions at the next reconcile; the kinds the settings
     * exclude are left out of every app's live state.
     */
    public Builder settings(Supplier<io.glidepath.core.argocd.ArgoCdSettings> settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The clock for backoffs and timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Who is told about every app's syncs and reconciles (called on the workers). */
    public Builder listener(ControllerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Where the apps' projects are found. */
    public Builder projects(ProjectSource projects) {
      this.projects = Objects.requireNonNull(projects, "projects");
      return this;
    }

    /**
     * The namespace of every app's status (its Application object, else its ConfigMap); default:
     * each app's own namespace, or {@code default}.
     */
    public Builder statusNamespace(String namespace) {
      Objects.requireNonNull(namespace, "statusNamespace");
      if (namespace.isBlank()) {
        throw new IllegalArgumentException("statusNamespace must not be blank");
      }
      this.statusNamespace = namespace;
      return this;
    }

    /**
     * Shares the apps with the other replicas of {@code membership}'s group: this manager runs only
     * the apps {@link #shardAssignment} gives to this replica among the live ones, each after
     * claiming it ({@link io.glidepath.kube.shard.ItemClaims}), and checks the claim before every
     * reconcile; apps that move elsewhere are stopped and released, and {@link #close()} releases
     * all. The membership stays the caller's (close it after the manager). Every replica must be
     * fed the same apps.
     */
    public Builder sharding(io.glidepath.kube.shard.ReplicaMembership membership) {
      this.membership = Objects.requireNonNull(membership, "membership");
      return this;
    }

    /** How apps map to replicas with {@link #sharding}; default rendezvous hashing. */
    public Builder shardAssignment(io.glidepath.kube.shard.ShardAssignment assignment) {
      this.assignment = Objects.requireNonNull(assignment, "shardAssignment");
      return this;
    }

    /**
     * The key apps are sharded by with {@link #sharding}; default the app's name. Apps with one key
     * go to one replica: Argo CD shards by destination cluster, e.g. {@code app ->
     * app.destination().server()}.
     */
    public Builder shardKey(Function<Application, String> shardKey) {
      this.shardKey = Objects.requireNonNull(shardKey, "shardKey");
      return this;
    }

    /** The seed of the resync jitter (for reproducible tests). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The manager (not started). */
    public ControllerManager build() {
      if (sources == null) {
        throw new IllegalStateException(
            "sources must be set: where each app's desired state comes from");
      }
      SyncEngine e;
      if (engine == null) {
        SyncEngine.Builder b = SyncEngine.builder(cluster).clock(clock);
        e = (health == null ? b : b.health(health)).build();
      } else if (health != null && engine.health() != health) {
        throw new IllegalStateException(
            "the engine has other health checks than the manager: give the same HealthAssessor"
                + " to SyncEngine.Builder.health");
      } else {
        e = engine;
      }
      return new DefaultControllerManager(
          cluster,
          sources,
          watchers,
          feeds,
          workers,
          resyncPeriod,
          resyncJitter,
          selfHealBackoff,
          e,
          clock,
          listener,
          projects,
          statusNamespace,
          seed,
          membership,
          assignment,
          shardKey,
          settings);
    }
  }
}

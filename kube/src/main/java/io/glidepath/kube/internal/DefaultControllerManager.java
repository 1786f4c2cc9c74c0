package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.DesiredStateSource;
import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.kube.shard.ShardStats;
import io.glidepath.kube.shard.ShardedItems;
import io.glidepath.kube.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The {@link ControllerManager} implementation. */
public final class DefaultControllerManager implements ControllerManager {
  private final DefaultKubeCluster cluster;
  private final Function<Application, DesiredStateSource> sources;
  private final Function<Application, Optional<io.glidepath.git.watch.GitWatcher>> watchers;
  private final List<ApplicationFeed> feeds;
  private final int workers;
  private final Duration resyncPeriod;
  private final double resyncJitter;
  private final Duration selfHealBackoff;
  private final SyncEngine engine;
  private final Clock clock;
  private final ControllerListener listener;
  private final ProjectGuard guard;
  private final String statusNamespace;
  private final RandomGenerator random;

  private final Map<String, Managed> apps = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private WorkQueue queue; // guarded by lifecycle
  private SharedLiveCache.Registration everyKind;
  // the kinds everyKind may watch, and the argocd-cm filter it follows (guarded by lifecycle)
  private List<ResourceType> everyKindCandidates = List.of();
  private io.glidepath.core.argocd.ResourceFilter everyKindFilter;
  private boolean closed;

  // sharding (null without): the apps run on ShardedItems (item: the app's name), every app fed
  // is known with its latest spec, and the fence of each app running here
  private final ReplicaMembership membership;
  private final ShardAssignment assignment;
  private final Function<Application, String> shardKey;
  private final Map<String, Application> known = new ConcurrentHashMap<>();
  // the apps not run here are kept in known as copies of shared parts (their models, not ours)
  private final SharedAppParts parts = new SharedAppParts();
  private final Map<String, ShardedItems.Fence> fences = new ConcurrentHashMap<>();
  private final Object shardLock = new Object();
  // set under shardLock, from start() on; volatile for expectedHere, which must not wait for it
  private volatile ShardedItems items;
  // one change of the argocd-cm filter at a time moves the shared cache's informers
  private final Object everyKindLock = new Object();

  /** One app: the spec it was put with and its controller. */
  private record Managed(Application app, DefaultApplicationController controller) {}

  private final java.util.function.Supplier<io.glidepath.core.argocd.ArgoCdSettings> settings;

  public DefaultControllerManager(
      KubeCluster cluster,
      Function<Application, DesiredStateSource> sources,
      Function<Application, Optional<io.glidepath.git.watch.GitWatcher>> watchers,
      List<ApplicationFeed> feeds,
      int workers,
      Duration resyncPeriod,
      double resyncJitter,
      Duration selfHealBackoff,
      SyncEngine engine,
      Clock clock,
      ControllerListener listener,
      ProjectSource projects,
      String statusNamespace,
      long seed,
      ReplicaMembership membership,
      ShardAssignment assignment,
      Function<Application, String> shardKey,
      java.util.function.Supplier<io.glidepath.core.argocd.ArgoCdSettings> settings) {
    this.settings = settings;
    this.cluster = DefaultKubeCluster.cast(cluster);
    this.sources = sources;
    this.watchers = watchers;
    this.feeds = List.copyOf(feeds);
    this.workers = workers;
    this.resyncPeriod = resyncPeriod;
    this.resyncJitter = resyncJitter;
    this.selfHealBackoff = selfHealBackoff;
    this.engine = engine;
    this.clock = clock;
    this.listener = listener;
    this.guard = ProjectGuard.of(projects, cluster.scope(), clock);
    this.statusNamespace = statusNamespace;
    this.random = new SplittableRandom(seed);
    this.membership = membership;
    this.assignment = assignment;
    this.shardKey = shardKey;
  }

  @Override
  public void start() {
    List<DefaultApplicationController> toStart;
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the ControllerManager is closed");
      }
      if (queue != null) {
        return;
      }
      // every listable kind but Events and the kinds argocd-cm excludes, watched once for all
      // apps: no reconcile lists
      everyKindCandidates =
          cluster.resourceTypes().stream()
              .filter(ResourceType::listable)
              .filter(t -> !t.kind().equals("Event"))
              .filter(t -> !(t.group().equals("argoproj.io") && t.kind().equals("Application")))
              .toList();
      io.glidepath.core.argocd.ResourceFilter filter = settings.get().resourceFilter();
      if (membership != null) {
        // a replica keeps the objects of the apps it runs, not the fleet's
        cluster.liveCache().keepOnly(this::expectedHere);
      }
      everyKind = cluster.liveCache().watchAll(included(filter));
      everyKindFilter = filter;
      queue = new WorkQueue("glidepath-manager", workers, resyncPeriod, resyncJitter, random);
      toStart = apps.values().stream().map(Managed::controller).toList();
    }
    toStart.forEach(DefaultApplicationController::start);
    ApplicationFeed.Sink sink =
        new ApplicationFeed.Sink() {
          @Override
          public void put(Application app) {
            DefaultControllerManager.this.put(app);
          }

          @Override
          public void remove(String name) {
            DefaultControllerManager.this.remove(name);
          }
        };
    for (ApplicationFeed f : feeds) {
      f.start(sink);
    }
    if (membership != null) {
      startSharding();
    }
  }

  /**
   * Shares the apps with the other replicas on {@link ShardedItems}: an app runs here while this
   * replica owns its shard key and holds its claim; it stops and is released when it moves away.
   */
  private void startSharding() {
    synchronized (shardLock) {
      ShardedItems.Builder b =
          ShardedItems.builder(
                  membership,
                  (name, fence) -> {
                    Application app = known.get(name);
                    if (app == null) {
                      throw new IllegalStateException("app '" + name + "' was removed");
                    }
                    fences.put(name, fence);
                    runApp(app);
                    return () -> {
                      stop(name);
                      keepCompactUnlessRunning(name);
                    };
                  })
              .assignment(assignment)
              .shardKey(
                  name -> {
                    Application app = known.get(name);
                    return app == null ? name : shardKey.apply(app);
                  })
              .listener(
                  new ShardedItems.Listener() {
                    @Override
                    public void claimed(String item, boolean takenOver) {
                      listener.claimed(item, takenOver);
                    }

                    @Override
                    public void released(String item) {
                      listener.released(item);
                    }

                    @Override
                    public void fenced(String item, FencedWriteException refusal) {
                      listener.fenced(item, refusal);
                    }
                  });
      items = b.build();
      try {
        items.offerAll(Set.copyOf(known.keySet()));
      } catch (RuntimeException e) {
        // the API server is away: the next round of the membership tries again
      }
      known.keySet().forEach(this::keepCompactUnlessRunning);
    }
  }

  /**
   * Whether the shard assignment gives app {@code name} to this replica among the live replicas:
   * the shared cache's hint of the apps to keep. Once sharding runs, the owners {@link
   * ShardedItems} settles the apps by ({@link ShardedItems#assignedOwner}), so the hint agrees with
   * where the apps run under every assignment; before, the owner in a set of one (a guess for the
   * assignments that weigh all keys at once).
   */
  private boolean expectedHere(String name) {
    ShardedItems sharded = items;
    try {
      Optional<String> owner;
      if (sharded != null) {
        owner = sharded.assignedOwner(name);
      } else {
        Application app = known.get(name);
        owner = assignment.owner(app == null ? name : shardKey.apply(app), membership.members());
      }
      return owner.map(membership.identity()::equals).orElse(false);
    } catch (RuntimeException e) {
      return true; // the host's shard key failed: keep (a wrong guess costs only memory)
    }
  }

  /**
   * Keeps the spec of app {@code name} as a copy of shared parts while it does not run here (equal
   * to it: should the app move here, it runs with it); an app running here keeps its controller's.
   */
  private void keepCompactUnlessRunning(String name) {
    ShardedItems sharded = items;
    Application app = known.get(name);
    if (app == null || sharded == null || sharded.isRunning(name) || apps.containsKey(name)) {
      return;
    }
    known.replace(name, app, parts.copyOf(app)); // unless a newer spec came meanwhile
  }

  private void stop(String name) {
    fences.remove(name);
    Managed m;
    synchronized (lifecycle) {
      m = apps.remove(name);
    }
    if (m != null) {
      m.controller().stop();
    }
  }

  @Override
  public Optional<ApplicationController> put(Application app) {
    if (membership == null) {
      return Optional.of(runApp(app));
    }
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the ControllerManager is closed");
      }
    }
    known.put(app.name(), app);
    synchronized (shardLock) {
      if (items != null) {
        if (items.isRunning(app.name())) {
          runApp(app); // a new spec of an app held here: its controller is replaced, same claim
        } else {
          try {
            items.offer(app.name());
          } catch (RuntimeException e) {
            // the API server is away: the next round of the membership tries again
          }
          keepCompactUnlessRunning(app.name());
        }
      }
    }
    return controller(app.name());
  }

  private ApplicationController runApp(Application app) {
    DefaultApplicationController stopping = null;
    DefaultApplicationController started;
    boolean run;
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the ControllerManager is closed");
      }
      Managed existing = apps.get(app.name());
      if (existing != null && existing.app().equals(app)) {
        return existing.controller();
      }
      if (existing != null) {
        stopping = existing.controller();
      }
      started = controllerFor(app);
      apps.put(app.name(), new Managed(app, started));
      run = queue != null;
    }
    if (stopping != null) {
      stopping.stop();
    }
    if (run) {
      started.start();
    }
    return started;
  }

  private DefaultApplicationController controllerFor(Application app) {
    DesiredStateSource source = sources.apply(app);
    List<ChangeTrigger> triggers = new ArrayList<>();
    if (watchers != null) {
      watchers.apply(app).ifPresent(w -> triggers.add(GitTrigger.of(w, source)));
    }
    String ns =
        statusNamespace != null
            ? statusNamespace
            : app.namespace().isEmpty() ? "default" : app.namespace();
    return new DefaultApplicationController(
        app,
        cluster,
        source,
        engine,
        clock,
        resyncPeriod,
        selfHealBackoff,
        ns,
        listener,
        guard,
        false,
        true,
        triggers,
        null,
        this::currentSettings,
        () -> membership == null ? loop() : fenced(app.name(), loop()));
  }

  /**
   * The settings, as every app's controller reads them at each reconcile; a changed {@code
   * resource.exclusions}/{@code inclusions} first moves the shared cache's informers to follow it.
   */
  private io.glidepath.core.argocd.ArgoCdSettings currentSettings() {
    io.glidepath.core.argocd.ArgoCdSettings s = settings.get();
    io.glidepath.core.argocd.ResourceFilter filter = s.resourceFilter();
    synchronized (lifecycle) {
      if (filter.equals(everyKindFilter) || everyKind == null) {
        return s;
      }
    }
    followFilter(filter);
    return s;
  }

  /**
   * The kinds {@code filter} leaves to watch on the manager's own cluster (Argo CD's in-cluster
   * server).
   */
  private List<ResourceType> included(io.glidepath.core.argocd.ResourceFilter filter) {
    return everyKindCandidates.stream()
        .filter(
            t ->
                !filter.isExcluded(
                    t.group(),
                    t.kind(),
                    io.glidepath.kube.cluster.RegisteredCluster.IN_CLUSTER_SERVER))
        .toList();
  }

  /**
   * Stops the shared cache's watch of the kinds {@code filter} now excludes (their informers stop
   * once no app's controller uses them) and starts watching those it includes again.
   */
  private void followFilter(io.glidepath.core.argocd.ResourceFilter filter) {
    synchronized (everyKindLock) {
      SharedLiveCache.Registration every;
      List<ResourceType> wanted;
      synchronized (lifecycle) {
        every = everyKind;
        if (every == null || filter.equals(everyKindFilter)) {
          return;
        }
        wanted = included(filter);
      }
      Set<ResourceType> watched = every.types();
      every.unwatch(watched.stream().filter(t -> !wanted.contains(t)).toList());
      for (ResourceType t : wanted) {
        if (!watched.contains(t)) {
          try {
            every.watch(List.of(t));
          } catch (RuntimeException e) {
            // a kind that cannot be watched: apps naming it fall back to lists
          }
        }
      }
      synchronized (lifecycle) {
        everyKindFilter = filter;
      }
    }
  }

  private ReconcileLoop loop() {
    synchronized (lifecycle) {
      if (queue == null) {
        throw new IllegalStateException("the ControllerManager is not running");
      }
      return queue.loop();
    }
  }

  /**
   * A loop whose every reconcile first checks this replica's claim on the app, and whose every
   * write during the reconcile checks it again just before it is sent (fencing).
   */
  private ReconcileLoop fenced(String name, ReconcileLoop loop) {
    return new ReconcileLoop() {
      @Override
      public void start(Target target) {
        loop.start(
            periodic -> {
              ShardedItems.Fence fence = fences.get(name);
              if (fence == null) {
                return; // stopped meanwhile
              }
              try {
                fence.run();
              } catch (FencedWriteException e) {
                return; // the next round of the membership stops it, and claims it again if ours
              }
              WriteFence.under(
                  new ClaimFence(fence),
                  () -> {
                    target.reconcile(periodic);
                    return null;
                  });
            });
      }

      @Override
      public void refresh() {
        loop.refresh();
      }

      @Override
      public boolean refreshAfter(Duration delay) {
        return loop.refreshAfter(delay);
      }

      @Override
      public void stop() {
        loop.stop();
      }

      @Override
      public boolean onLoopThread() {
        return loop.onLoopThread();
      }
    };
  }

  /**
   * The fencing check of one reconcile of one app: the claim is read before every write; once it
   * fails, every later write of the reconcile is refused without asking again.
   */
  private static final class ClaimFence implements WriteFence.Check {
    private final ShardedItems.Fence fence;
    private final java.util.concurrent.atomic.AtomicReference<FencedWriteException> refused =
        new java.util.concurrent.atomic.AtomicReference<>();

    ClaimFence(ShardedItems.Fence fence) {
      this.fence = fence;
    }

    @Override
    public void beforeWrite(
        String method, String path, io.glidepath.core.resource.ResourceKey key) {
      FencedWriteException first = refused.get();
      if (first == null) {
        try {
          fence.check(key);
          return;
        } catch (FencedWriteException e) {
          refused.compareAndSet(null, e);
          throw e;
        }
      }
      throw new FencedWriteException(
          first.item(), first.replica(), key, first.kind(), first.reason());
    }

    @Override
    public Optional<String> ownerStamp() {
      return fence.ownerStamp();
    }
  }

  @Override
  public boolean remove(String name) {
    if (membership != null) {
      boolean was = known.remove(name) != null;
      synchronized (shardLock) {
        if (items != null) {
          items.withdraw(name);
        }
      }
      return was;
    }
    Managed m;
    synchronized (lifecycle) {
      m = apps.remove(name);
    }
    if (m == null) {
      return false;
    }
    m.controller().stop();
    return true;
  }

  @Override
  public Optional<ApplicationController> controller(String name) {
    return Optional.ofNullable(apps.get(name)).map(Managed::controller);
  }

  @Override
  public Set<String> apps() {
    return Set.copyOf(apps.keySet());
  }

  @Override
  public Stats stats() {
    ShardStats shard;
    synchronized (shardLock) {
      shard = items == null ? new ShardStats(0, 0, 0, 0, 0) : items.stats();
    }
    synchronized (lifecycle) {
      WorkQueue q = queue;
      return new Stats(
          apps.size(),
          q == null ? 0 : q.workers(),
          q == null ? 0 : q.queued(),
          q == null ? 0 : q.reconciles(),
          shard.claims(),
          shard.takeovers(),
          shard.releases(),
          shard.fencedWrites());
    }
  }

  @Override
  public void close() {
    ShardedItems sharded;
    synchronized (shardLock) {
      sharded = items;
    }
    if (sharded != null) {
      // graceful handover: stops the apps run here and releases their claims, so the others take
      // them over without waiting for expiry
      sharded.close();
    }
    WorkQueue q;
    SharedLiveCache.Registration every;
    List<Managed> all;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      q = queue;
      every = everyKind;
      queue = null;
      everyKind = null;
      all = List.copyOf(apps.values());
      apps.clear();
    }
    for (ApplicationFeed f : feeds) {
      try {
        f.close();
      } catch (RuntimeException e) {
        // closing the rest matters more
      }
    }
    all.forEach(m -> m.controller().stop());
    if (q != null) {
      q.close();
    }
    if (every != null) {
      every.close();
    }
  }
}

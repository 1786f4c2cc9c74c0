package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.LiveChangeListener;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The informers of one {@link KubeCluster}, shared by every {@link io.glidepath.kube.LiveWatch} and
 * every started {@link io.glidepath.kube.controller.ApplicationController} built on it, as Argo CD
 * shares one cluster cache between its apps: one fabric8 informer (list, then watch, all
 * namespaces) per kind, started when the first {@link Registration} needs the kind and stopped when
 * the last one using it closes.
 *
 * <p>Memory: an informer keeps only the objects that carry a well-formed {@link TrackingId} for
 * themselves (owned by some app, whether registered here or not), each once, as a {@link Resource}
 * whose {@code managedFields} entries keep only what drift detection reads ({@code manager}, {@code
 * subresource}, {@code fieldsV1}); of every other object only a fingerprint of its key is kept
 * ({@link KeyFingerprints}), so that the cache can vouch that no object at all is at a key ({@link
 * #vouchesNoObjectAt}: the applier then skips its read). Each app's view is an index into those
 * objects, never a copy. Keeping the objects of unregistered apps lets an app registered later see
 * its objects at once, and lets the informer report their deletion.
 *
 * <p>Kept apps only ({@link #keepOnly}, a sharded {@link
 * io.glidepath.kube.controller.ControllerManager}'s cache): the objects (and Application objects)
 * of an app that is neither registered nor accepted by the hint are dropped as their events pass;
 * only the app's name is remembered per kind, as one that may have objects missing. The first read
 * of such an app's state once it registers ({@link Registration#liveState()}, the Application
 * object's watch being synced) lists each kind it may have objects of, once for every kept app
 * waiting at that moment (the hint's too: all of a dead peer's apps at once), and keeps what the
 * list shows unless an event for the same object was handled after the list began (that event is as
 * new as the list or newer). Closing an app's last registration drops its objects again.
 *
 * <p>Recovery: once an informer has started, fabric8 never gives up on it (see {@link
 * #keepRetrying}): a failure it would take as fatal is retried, list then watch, with fabric8's
 * exponential backoff, into the same store, so what changed while it was down (creations, edits,
 * deletions) reaches the listeners as events. Closing the kind's last user or the cache stops the
 * informer and cancels a pending retry.
 *
 * <p>Thread-safe. Informers start while the cache's lock is held (their first list), so a
 * registration that needs a new kind waits for that list.
 */
public final class SharedLiveCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedLiveCache.class);

  private final DefaultKubeCluster cluster;
  // guarded by this
  private final Map<ResourceType, Kind> kinds = new HashMap<>();
  // the open registrations by app, so an event reaches its app's without a scan: one entry per
  // app, not one per app and kind (a manager's app watches every kind); the lists are immutable
  // (usually of one), replaced under this
  private final Map<String, List<Registration>> byApp = new ConcurrentHashMap<>();
  // one instance of each set of watched kinds the registrations use (guarded by this): a manager's
  // thousands of apps watch the same dozens of kinds
  private final Map<Map<ResourceType, Kind>, Map<ResourceType, Kind>> kindSets = new HashMap<>();
  // the Application objects' informer, shared by every controller's watch of its own object
  private final ApplicationObjectInformer.Holder applications =
      new ApplicationObjectInformer.Holder();
  private boolean closed;
  // null: every tracked object is kept; otherwise the apps kept besides the registered ones
  private volatile Predicate<String> hint;
  // one fill of dropped objects at a time; a caller waiting for it is usually served by it
  private final java.util.concurrent.locks.ReentrantLock filling =
      new java.util.concurrent.locks.ReentrantLock();
  // the objects of watched kinds this process wrote (created or changed) and no informer has shown
  // since: their absence here may be the event still on its way (see Registration#vouches...)
  // since, by key, with the resourceVersion the write's answer gave ("": not answered, or failed)
  private final Map<ResourceKey, String> unseenWrites = new ConcurrentHashMap<>();
  // the value of unseenWrites for a write not answered yet when an informer showed an event of its
  // object meanwhile (which may be the write's own)
  private static final String SHOWN_IN_FLIGHT = "\0";
  // the objects this process wrote, at the version the write's answer gave, while no informer has
  // shown that version: a reconcile reads them in place of the store's older copy (or its
  // absence), so a comparison right after a sync sees what the sync wrote, and the app's health
  // does not step back to the older copy once a read has seen the newer one
  private final Map<ResourceKey, Ahead> ahead = new ConcurrentHashMap<>();
  // how long a written object stands in for the informer's copy at most: its event normally comes
  // within a second; a relist that skipped its version leaves the store newer than it
  static final Duration AHEAD_FOR = Duration.ofSeconds(15);
  private static final Duration EXPIRY_SCAN = Duration.ofSeconds(1);
  // when forgetExpired scans next (System.nanoTime)
  private volatile long nextExpiry = System.nanoTime();
  // the watched kinds by "group/kind" (replaced under this)
  private volatile Map<String, Kind> kindsByName = Map.of();

  SharedLiveCache(DefaultKubeCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * A listener told only which of the app's objects changed: {@code live} is always empty, so the
   * informer's thread does not read the object back for it (the controllers' own listener, which
   * only wakes the app: its reconcile reads the app's objects itself). Nor is it told of an event
   * that shows an object at the version a write's answer gave and the app's last read of its live
   * state already returned (the echo of its own sync, which it compared already).
   */
  static LiveChangeListener keysOnly(Consumer<ResourceKey> changed) {
    return new KeysOnly(changed);
  }

  private record KeysOnly(Consumer<ResourceKey> changed) implements LiveChangeListener {
    @Override
    public void changed(ResourceKey key, Optional<Resource> live) {
      changed.accept(key);
    }
  }

  /**
   * A new user of the cache for {@code app}: it watches nothing until {@link Registration#watch}.
   * {@code listener} is told about changes to the objects {@code app} owns among the kinds the
   * registration watches.
   */
  public Registration register(String app, LiveChangeListener listener) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(listener, "listener");
    Registration r = new Registration(app, listener);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the KubeCluster is closed: its informers are stopped");
      }
      byApp.merge(
          app, List.of(r), (had, added) -> Stream.concat(had.stream(), added.stream()).toList());
    }
    return r;
  }

  /**
   * From now on keeps the objects of registered apps and of the apps {@code hint} accepts (the apps
   * this process expects to run; a wrong guess costs a list, never a stale object), and drops every
   * other app's objects, those held now included, as the class describes. For a sharded manager's
   * cache; a cache that never calls this keeps every tracked object.
   *
   * @param hint called on the informers' threads: must be fast and never throw
   */
  public void keepOnly(Predicate<String> hint) {
    Objects.requireNonNull(hint, "hint");
    List<Kind> running;
    synchronized (this) {
      this.hint = hint;
      running = List.copyOf(kinds.values());
      applications.forEach(ApplicationObjectInformer::dropUnkept);
    }
    running.forEach(k -> k.store.dropUnkept());
  }

  /** Whether the objects of {@code app} are kept whole. */
  boolean keeps(String app) {
    Predicate<String> h = hint;
    return h == null || byApp.containsKey(app) || h.test(app);
  }

  /**
   * Whether the Application object named {@code name} is kept whole even without a subscription.
   */
  boolean keepsApplication(String name) {
    Predicate<String> h = hint;
    return h == null || h.test(name);
  }

  /**
   * Makes sure the objects of {@code app} among {@code used} kinds are all here: lists each kind
   * that dropped some of them, for every kept app waiting (registered or accepted by the hint),
   * unless a fill running meanwhile did it.
   *
   * @throws RuntimeException when a list fails (the app stays waiting: the next read lists again)
   */
  private void fill(String app, Collection<Kind> used) {
    if (hint == null || used.stream().noneMatch(k -> k.store.dropped(app))) {
      return;
    }
    filling.lock();
    try {
      List<Kind> running;
      synchronized (this) {
        running = List.copyOf(kinds.values());
      }
      // every kept app waiting, the hint's too: a replica taking over a dead peer's apps claims
      // them one by one, and this lists once for all of them instead of once per few claims
      for (Kind k : running) {
        k.fill(cluster, this::keeps);
      }
    } finally {
      filling.unlock();
    }
  }

  /**
   * The number of apps, over every kind, whose objects were dropped and are not back (each app once
   * per kind).
   */
  int droppedApps() {
    List<Kind> running;
    synchronized (this) {
      running = List.copyOf(kinds.values());
    }
    return running.stream().mapToInt(k -> k.store.droppedCount()).sum();
  }

  /** How many objects of {@code app} the informers keep whole, over every kind. */
  int keptObjects(String app) {
    List<Kind> running;
    synchronized (this) {
      running = List.copyOf(kinds.values());
    }
    return running.stream().mapToInt(k -> k.store.ownedCount(app)).sum();
  }

  /**
   * What records this process's writes ({@link KubeApi#onWrite}): an object written is not vouched
   * absent until an informer shows the version the write's answer gave (that exact version, so an
   * older event on its way does not count), or a later read finds it absent ({@link #absentNow}).
   */
  KubeApi.WriteObserver writes() {
    return new KubeApi.WriteObserver() {
      @Override
      public void writing(ResourceKey key) {
        if (kindsByName.containsKey(key.group() + "/" + key.kind())) {
          unseenWrites.put(key, "");
        }
      }

      @Override
      public void written(ResourceKey key, KubeApi.Answer answer) {
        if (answer.ok() && unseenWrites.containsKey(key)) {
          String version = answer.body().path("metadata").path("resourceVersion").asString("");
          if (!version.isEmpty()) {
            // no event of the object while the write was in flight: its own is still to come
            boolean quiet = unseenWrites.replace(key, "", version);
            if (!quiet) {
              unseenWrites.put(key, version);
            }
            Kind k = kindsByName.get(key.group() + "/" + key.kind());
            Ahead written = quiet && k != null ? k.store.ahead(key, answer.body()) : null;
            if (written != null) {
              ahead.put(key, written);
              forgetExpired();
            }
            // the event may have come before the answer: the store then holds that version (put
            // first, checked after: an event later than this check finds the entry to clear)
            if (k != null && version.equals(k.store.versionOf(key))) {
              unseenWrites.remove(key, version);
              if (written != null) {
                ahead.remove(key, written);
              }
            }
          }
        }
      }
    };
  }

  /**
   * Drops the written objects that stood in for {@link #AHEAD_FOR} (an informer stopped, or
   * relisted past their version): at most once a second, so a burst of writes does not scan the map
   * each.
   */
  private void forgetExpired() {
    long now = System.nanoTime();
    long due = nextExpiry;
    if (now - due < 0) {
      return;
    }
    nextExpiry = now + EXPIRY_SCAN.toNanos();
    ahead.values().removeIf(a -> now - a.until() > 0);
  }

  /**
   * An object this process wrote, as the write's answer gave it (packed as the store keeps its
   * objects), until an informer shows that version or {@code until} ({@link System#nanoTime}).
   */
  private record Ahead(
      String app, ResourceType type, String resourceVersion, byte[] json, long until) {}

  /** An informer shows the object at {@code key} at {@code resourceVersion}. */
  private void shown(ResourceKey key, String resourceVersion) {
    if (resourceVersion == null) {
      return;
    }
    if (!unseenWrites.isEmpty() && !unseenWrites.remove(key, resourceVersion)) {
      unseenWrites.replace(key, "", SHOWN_IN_FLIGHT);
    }
    Ahead a = ahead.isEmpty() ? null : ahead.get(key);
    if (a != null && a.resourceVersion().equals(resourceVersion)) {
      ahead.remove(key, a);
    }
  }

  /**
   * A read of the API server found no object at {@code key} after any write of it sent before the
   * read: the cache's absence of it can be vouched for again.
   */
  void absentNow(ResourceKey key) {
    unseenWrites.remove(key);
    ahead.remove(key);
  }

  /**
   * Whether a read of {@code key} from the API server would find no object at all, tracked or not:
   * the kind's informer runs here, has listed and is watching, has shown no object at that key that
   * it has not seen deleted (its store records the key of every object, those it does not keep
   * whole too), and this process has not written the object since the informer last showed it. As
   * with {@link Registration#vouchesForAbsence}, only a creation by another process whose event is
   * still on its way can make it wrong, for as long as the event takes.
   */
  boolean vouchesNoObjectAt(ResourceKey key) {
    if (key.name().isEmpty() || unseenWrites.containsKey(key)) {
      return false;
    }
    Kind k = kindsByName.get(key.group() + "/" + key.kind());
    return k != null
        && k.type.namespaced() != key.namespace().isEmpty()
        && k.informer.hasSynced()
        && k.informer.isWatching()
        && !k.store.holds(key);
  }

  /** How many objects the informers know only by their key, over every kind. */
  synchronized int keyOnlyObjects() {
    return kinds.values().stream().mapToInt(k -> k.store.othersCount()).sum();
  }

  /** Keeps {@link #kindsByName} that of {@link #kinds} (under this). */
  private void kindsChanged() {
    Map<String, Kind> byName = new HashMap<>();
    kinds.forEach((t, k) -> byName.put(t.group() + "/" + t.kind(), k));
    kindsByName = Map.copyOf(byName);
  }

  /** Drops {@code r} from {@link #byApp} (under this). */
  private void forget(Registration r) {
    byApp.computeIfPresent(
        r.app,
        (a, list) -> {
          List<Registration> rest = list.stream().filter(x -> x != r).toList();
          return rest.isEmpty() ? null : rest;
        });
  }

  /** The one instance of {@code used} (under this). */
  private Map<ResourceType, Kind> shared(Map<ResourceType, Kind> used) {
    if (used.isEmpty()) {
      return Map.of();
    }
    if (kindSets.size() > 256) {
      kindSets.clear(); // sets of kinds no registration uses any more
    }
    return kindSets.computeIfAbsent(used, u -> u);
  }

  /**
   * Subscribes {@code watch} to its Application object on the one informer of {@code type} (Argo
   * CD's Applications), started for the first subscription; closing the watch unsubscribes it, and
   * the informer stops with its last subscription.
   *
   * @throws IllegalStateException when the cluster is closed
   */
  void subscribe(ResourceType type, ApplicationObjectWatch watch) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the KubeCluster is closed: its informers are stopped");
      }
      ApplicationObjectInformer informer = applications.get(cluster.client(), type, this);
      informer.subscribe(watch);
      watch.subscribed(
          () -> {
            synchronized (SharedLiveCache.this) {
              if (informer.unsubscribe(watch)) {
                applications.release(informer);
              }
            }
          });
    }
  }

  /**
   * Adds {@code listener} to the one informer of {@code type} (Argo CD's Applications), started for
   * it when none runs (the listener then hears about every object by its initial list's events):
   * the same watch as the controllers' own objects', so the process receives each event of the kind
   * once. Running the returned action removes the listener; the informer stops with its last user.
   *
   * @throws IllegalStateException when the cluster is closed
   * @throws RuntimeException when the informer cannot start, or a list of the objects a running
   *     informer dropped fails
   */
  Runnable listen(ResourceType type, ApplicationObjectInformer.Listener listener) {
    Map.Entry<ApplicationObjectInformer, Boolean> started;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the KubeCluster is closed: its informers are stopped");
      }
      started = applications.listen(cluster.client(), type, this, listener);
    }
    ApplicationObjectInformer informer = started.getKey();
    Runnable release =
        () -> {
          synchronized (SharedLiveCache.this) {
            if (informer.unlisten(listener)) {
              applications.release(informer);
            }
          }
        };
    if (started.getValue()) {
      // not under the cache's lock: the listener may start controllers, which register here
      try {
        informer.handOver(listener);
      } catch (RuntimeException e) {
        release.run();
        throw e;
      }
    }
    return release;
  }

  /**
   * Watches every kind in {@code types} for as long as the returned registration is open, whatever
   * the apps registered: a {@link io.glidepath.kube.controller.ControllerManager}'s cache, so that
   * every app's first reconcile and every resync read memory (Argo CD's cluster cache watches every
   * kind too). Each informer keeps only tracked objects, so a kind no app uses costs a watch and no
   * memory.
   */
  public Registration watchAll(Collection<ResourceType> types) {
    Registration r = register("", (key, live) -> {});
    for (ResourceType t : types) {
      try {
        r.watch(List.of(t));
      } catch (RuntimeException e) {
        // a kind that cannot be watched (forbidden, gone): apps naming it fall back to lists
        LOG.warn("cannot watch {}/{}: {}", t.apiVersion(), t.kind(), e.toString());
      }
    }
    return r;
  }

  /** The kinds with a running informer. */
  public synchronized Set<ResourceType> watchedTypes() {
    return Set.copyOf(kinds.keySet());
  }

  /**
   * How many objects the informers keep, over every kind: those carrying a tracking id for
   * themselves, whichever app owns them.
   */
  public synchronized int size() {
    return kinds.values().stream().mapToInt(k -> k.store.size()).sum();
  }

  /** fabric8's description of {@code type}, for its generic informers. */
  static ResourceDefinitionContext definition(ResourceType type) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(type.group())
        .withVersion(type.version())
        .withKind(type.kind())
        .withPlural(type.plural())
        .withNamespaced(type.namespaced())
        .build();
  }

  /**
   * Makes fabric8 retry {@code informer} after any failure once its initial list is done, logging
   * each failure at WARN with {@code kind} and the cause. fabric8's own rule stops an informer for
   * good when its watch ends with an error (e.g. a malformed event), leaving its users blind until
   * the next periodic resync; a retry lists again (a refused list is retried too) and then watches,
   * with fabric8's backoff (the client's {@code watchReconnectInterval}, 1 s by default, doubling
   * up to 32 times it). A failure before the initial list completes is not retried: the informer's
   * start fails, as before.
   */
  static void keepRetrying(SharedIndexInformer<GenericKubernetesResource> informer, String kind) {
    informer.exceptionHandler(
        (started, cause) -> {
          if (started) {
            LOG.warn(
                "the informer of {} failed ({}); listing and watching again after a backoff",
                kind,
                cause.toString());
          }
          return started;
        });
  }

  /** Stops every informer; registrations then see nothing and cannot watch more. */
  @Override
  public void close() {
    List<Kind> stopping;
    synchronized (this) {
      closed = true;
      stopping = List.copyOf(kinds.values());
      kinds.clear();
      kindsChanged();
      applications.closeAll();
    }
    stopping.forEach(k -> k.informer.close());
    // let their event handling end before the caller closes the client under it
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    for (Kind k : stopping) {
      try {
        k.informer
            .stopped()
            .toCompletableFuture()
            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // stopped with an error, or still stopping: nothing more to wait for
      }
    }
  }

  /** How long {@link #close()} waits for the informers to stop. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(2);

  /**
   * One user's view (an app's controller or a {@link io.glidepath.kube.LiveWatch}): the kinds it
   * watches and the app's objects among them. Thread-safe; {@link #close()} releases its kinds.
   */
  public final class Registration implements AutoCloseable {
    private final String app;
    private final LiveChangeListener listener;
    // copied on write under SharedLiveCache.this, and shared by the registrations watching the same
    // kinds (immutable): an app watches dozens of kinds
    private volatile Map<ResourceType, Kind> used = Map.of();
    private boolean released; // guarded by SharedLiveCache.this
    // a keys-only listener's: the written objects (key, version) its last liveState() returned
    // before the informers showed them; the event that shows one of them does not wake it
    private volatile Map<ResourceKey, String> readAhead = Map.of();

    private Registration(String app, LiveChangeListener listener) {
      this.app = app;
      this.listener = listener;
    }

    /**
     * Watches {@code types} too, starting an informer for a kind no other registration watches;
     * each kind has its initial list when this returns. The app's objects already in the cache are
     * reported to the listener, as creations. Types that cannot be listed are skipped. A failure to
     * start a kind's informer is thrown; the kinds before it stay watched.
     */
    public void watch(Collection<ResourceType> types) {
      List<Kind> added = new ArrayList<>();
      RuntimeException failed = null;
      synchronized (SharedLiveCache.this) {
        if (released || closed) {
          return;
        }
        Map<ResourceType, Kind> next = new HashMap<>(used);
        for (ResourceType t : types) {
          if (!t.listable() || next.containsKey(t)) {
            continue;
          }
          Kind k = kinds.get(t);
          if (k == null) {
            try {
              k = Kind.start(cluster.client(), t, SharedLiveCache.this);
            } catch (RuntimeException e) {
              failed = e;
              break;
            }
            kinds.put(t, k);
            kindsChanged();
          }
          k.users++;
          next.put(t, k);
          added.add(k);
        }
        if (!added.isEmpty()) {
          used = shared(Map.copyOf(next));
        }
      }
      // what the informers already hold for the app (their initial lists included)
      for (Kind k : added) {
        k.store.owned(app).forEach((key, r) -> tell(key, Optional.of(r)));
      }
      if (failed != null) {
        throw failed;
      }
    }

    /**
     * Stops watching {@code types} (kinds not watched are ignored); the informers no other
     * registration uses stop. The app's objects of those kinds leave {@link #liveState()}.
     */
    public void unwatch(Collection<ResourceType> types) {
      List<Kind> stopping = new ArrayList<>();
      synchronized (SharedLiveCache.this) {
        Map<ResourceType, Kind> next = new HashMap<>(used);
        for (ResourceType t : types) {
          Kind k = next.remove(t);
          if (k == null) {
            continue;
          }
          if (--k.users == 0 && kinds.get(k.type) == k) {
            kinds.remove(k.type);
            kindsChanged();
            stopping.add(k);
          }
        }
        used = shared(Map.copyOf(next));
      }
      stopping.forEach(k -> k.informer.close());
    }

    /**
     * Whether the absence of {@code key} from a {@link #liveState()} read before this call is the
     * answer a read of the API server would give now (no object there, or none this app owns): its
     * kind is watched here, the informer has listed and is watching, none of the app's objects of
     * the kind were dropped, this process has not written the object since the informer last showed
     * it, and the informer shows no object of the app at the key now (one shown since that read
     * came after it: a write's event that arrived meanwhile leaves no unseen write behind, only the
     * object). Only a write by another process whose event is still on its way can make it wrong,
     * and then for as long as the event takes: what Argo CD trusts its whole cluster cache for.
     */
    public boolean vouchesForAbsence(ResourceKey key) {
      if (unseenWrites.containsKey(key)) {
        return false;
      }
      for (Kind k : used.values()) {
        if (k.type.kind().equals(key.kind()) && k.type.group().equals(key.group())) {
          // the store takes an object before its write leaves unseenWrites (see TrackedStore.put);
          // an object there of no app or another app reads as absent for this one: a read would too
          return k.informer.hasSynced()
              && k.informer.isWatching()
              && (hint == null || !k.store.dropped(app))
              && !k.store.owns(app, key);
        }
      }
      return false;
    }

    /** The watched kinds. */
    public Set<ResourceType> types() {
      return Set.copyOf(used.keySet());
    }

    /**
     * Whether every watched kind's informer has completed its initial list, and none dropped
     * objects of the app that are not back yet.
     */
    public boolean synced() {
      return used.values().stream()
          .allMatch(k -> k.informer.hasSynced() && (hint == null || !k.store.dropped(app)));
    }

    /**
     * The objects the app owns among the watched kinds, in key order; no request is sent, but for
     * the lists that bring back dropped objects (see {@link #keepOnly}). An object this process
     * wrote is read as the write's answer gave it until an informer shows that version (for {@link
     * #AHEAD_FOR} at most): the informer's copy is older, or not there yet.
     *
     * @throws RuntimeException when such a list fails
     */
    public ResourceSet liveState() {
      Map<ResourceType, Kind> kinds = used;
      fill(app, kinds.values());
      Map<ResourceKey, Resource> all = new HashMap<>();
      for (Kind k : kinds.values()) {
        all.putAll(k.store.owned(app));
      }
      Map<ResourceKey, String> read = Map.of();
      if (!ahead.isEmpty()) {
        // what this process wrote and the informers have not shown yet, in place of their copy
        long now = System.nanoTime();
        for (Map.Entry<ResourceKey, Ahead> e : ahead.entrySet()) {
          Ahead a = e.getValue();
          Kind k = kinds.get(a.type());
          if (now - a.until() > 0) {
            ahead.remove(e.getKey(), a);
          } else if (k != null && a.app().equals(app)) {
            all.put(e.getKey(), k.store.resource(a.json()));
            if (listener instanceof KeysOnly) {
              if (read.isEmpty()) {
                read = new ConcurrentHashMap<>();
              }
              read.put(e.getKey(), a.resourceVersion());
            }
          }
        }
      }
      readAhead = read;
      List<Resource> sorted = new ArrayList<>(all.values());
      sorted.sort(Comparator.comparing(r -> r.key().toString()));
      return ResourceSet.of(sorted);
    }

    /**
     * Whether an event showing {@code key} at {@code resourceVersion} only echoes what this
     * registration's last live-state read returned (then forgotten: told once).
     */
    private boolean readAlready(ResourceKey key, String resourceVersion) {
      Map<ResourceKey, String> read = readAhead;
      return resourceVersion != null && !read.isEmpty() && read.remove(key, resourceVersion);
    }

    private void tell(ResourceKey key, Optional<Resource> live) {
      try {
        listener.changed(key, live);
      } catch (RuntimeException e) {
        // a listener must not throw; one that does must not stop the others' events
      }
    }

    /** Stops watching; the informers no other registration uses stop. */
    @Override
    public void close() {
      List<Kind> stopping = new ArrayList<>();
      synchronized (SharedLiveCache.this) {
        if (released) {
          return;
        }
        released = true;
        forget(this);
        for (Kind k : used.values()) {
          if (--k.users == 0 && kinds.get(k.type) == k) {
            kinds.remove(k.type);
            kindsChanged();
            stopping.add(k);
          }
        }
        used = Map.of();
        if (hint != null && !keeps(app)) {
          // the app's last user went (moved to another replica): its objects go too
          kinds.values().forEach(k -> k.store.drop(app));
        }
      }
      stopping.forEach(k -> k.informer.close());
    }
  }

  /** One kind's informer, its store and how many registrations watch it. */
  private static final class Kind implements ResourceEventHandler<GenericKubernetesResource> {
    private final ResourceType type;
    private final TrackedStore store;
    // the cache's registrations by app
    private final Map<String, List<Registration>> byApp;
    private int users; // guarded by the cache
    private SharedIndexInformer<GenericKubernetesResource> informer;

    private Kind(ResourceType type, TrackedStore store, Map<String, List<Registration>> byApp) {
      this.type = type;
      this.store = store;
      this.byApp = byApp;
    }

    static Kind start(KubernetesClient client, ResourceType type, SharedLiveCache cache) {
      Kind k =
          new Kind(
              type,
              new TrackedStore(type, client.getKubernetesSerialization(), cache),
              cache.byApp);
      ResourceDefinitionContext context = definition(type);
      SharedIndexInformer<GenericKubernetesResource> informer =
          client
              .genericKubernetesResources(context)
              .inAnyNamespace()
              .withLimit((long) KubeCluster.PAGE_SIZE)
              .runnableInformer(0);
      // the store keeps only tracked objects; a namespace index of them would be unused
      informer.removeNamespaceIndex().itemStore(k.store).addEventHandler(k);
      keepRetrying(informer, type.apiVersion() + "/" + type.kind());
      k.informer = informer;
      try {
        informer.run();
      } catch (RuntimeException e) {
        informer.close();
        throw e;
      }
      return k;
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      tell(store.ownerOf(obj), versionOf(obj));
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      Optional<TrackingId> before = store.ownerOf(oldObj);
      Optional<TrackingId> after = store.ownerOf(newObj);
      tell(after, versionOf(newObj));
      if (before.isPresent()
          && (after.isEmpty() || !before.get().app().equals(after.get().app()))) {
        // the mark was removed or names another app: for the old owner it is gone
        tell(before, null);
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
      tell(store.ownerOf(obj), null);
    }

    /**
     * Lists the kind for the kept apps ({@code kept}) whose objects it dropped and keeps what the
     * list shows (see {@link TrackedStore#endFill}). The listeners are not told: every read of
     * those apps' state waits for the fill, and a reconcile woken for them would only compare
     * again.
     */
    void fill(DefaultKubeCluster cluster, Predicate<String> kept) {
      Set<String> apps = store.beginFill(kept);
      if (apps.isEmpty()) {
        return;
      }
      List<Resource> listed = new ArrayList<>();
      try {
        cluster.list(
            type,
            "",
            r -> {
              String mark =
                  r.body()
                      .path("metadata")
                      .path("annotations")
                      .path(TrackingId.ANNOTATION)
                      .asString("");
              return TrackingId.parse(mark).filter(t -> apps.contains(t.app())).isPresent();
            },
            listed);
      } catch (RuntimeException e) {
        store.abortFill(apps);
        throw e;
      }
      store.endFill(apps, listed);
    }

    private static String versionOf(GenericKubernetesResource obj) {
      return obj.getMetadata() == null ? null : obj.getMetadata().getResourceVersion();
    }

    /**
     * Tells the owner's registrations that its object changed; {@code resourceVersion}: the version
     * an event showed (null: a deletion, or the object as the old owner last saw it).
     */
    private void tell(Optional<TrackingId> owner, String resourceVersion) {
      if (owner.isEmpty()) {
        return;
      }
      String app = owner.get().app();
      ResourceKey key = owner.get().key();
      List<Registration> registered = byApp.get(app);
      if (registered == null) {
        return;
      }
      Optional<Resource> live = null;
      for (Registration r : registered) {
        if (r.used.get(type) == this) {
          if (r.listener instanceof KeysOnly) {
            if (!r.readAlready(key, resourceVersion)) {
              r.tell(key, Optional.empty());
            }
            continue;
          }
          if (live == null) {
            live = store.owned(app, key);
          }
          r.tell(key, live);
        }
      }
    }
  }

  /**
   * The informer's item store: only objects carrying a tracking id for themselves, as trimmed
   * {@link Resource}s indexed by owning app. The informer itself is handed a small stand-in per
   * object (name, namespace, resourceVersion, tracking id), which is all it and the event handler
   * read. Every other object is known by its key's fingerprint alone, which the informer does not
   * see: to it such an object is not in the store (its events come as additions, as before), and a
   * relist that finds one gone does not remove its fingerprint (the key then only costs a read).
   */
  private static final class TrackedStore implements ItemStore<GenericKubernetesResource> {
    private static final List<String> KEPT_MANAGED_FIELDS =
        List.of("manager", "subresource", "fieldsV1");
    private final ResourceType type;
    private final KubernetesSerialization serialization;
    private final SharedLiveCache cache;
    // apps with objects of this kind that were dropped (the cache keeps only some apps) and are not
    // back: the only trace of an unkept app
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    // the store keys an event reached since the running fill began (null: none running); guarded
    // by this, as are all changes of the maps
    private Set<String> touched;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    // each object once, as its trimmed JSON packed against the kind's reference object: a few
    // hundred bytes where its tree takes kilobytes; a reconcile reads an app's few objects back
    private final Map<String, Map<ResourceKey, byte[]>> byApp = new ConcurrentHashMap<>();
    private final PackedJson packed = new PackedJson();
    // the store keys of every other object the informer has shown and not seen deleted (untracked,
    // marked for another key, or of an app this cache does not keep), as fingerprints: with the
    // entries, every object of the kind, so the cache can say that nothing is at a key
    private final KeyFingerprints others = new KeyFingerprints();

    // the informer's stand-in is made when asked for (from the owner's key and the version), not
    // kept: a fabric8 object and its metadata take half a kilobyte even when nearly empty
    private record Entry(String resourceVersion, TrackingId owner, byte[] json) {}

    TrackedStore(ResourceType type, KubernetesSerialization serialization, SharedLiveCache cache) {
      this.type = type;
      this.serialization = serialization;
      this.cache = cache;
    }

    boolean dropped(String app) {
      return dropped.contains(app);
    }

    int droppedCount() {
      return dropped.size();
    }

    int ownedCount(String app) {
      Map<ResourceKey, byte[]> owned = byApp.get(app);
      return owned == null ? 0 : owned.size();
    }

    /** Drops the objects of {@code app} if the cache does not keep it. */
    synchronized void drop(String app) {
      if (cache.keeps(app)) {
        return;
      }
      Map<ResourceKey, byte[]> owned = byApp.remove(app);
      if (owned != null) {
        owned
            .keySet()
            .forEach(
                k -> {
                  String key = storeKey(k);
                  entries.remove(key);
                  others.add(key);
                });
        dropped.add(app);
      }
    }

    /** Drops the objects of every app the cache does not keep. */
    void dropUnkept() {
      List.copyOf(byApp.keySet()).forEach(this::drop);
    }

    /**
     * Starts a fill for the apps among {@code candidates} that lost objects here: from now on every
     * event's key is noted, and those apps count as complete (an event dropping one of their
     * objects marks it again).
     */
    synchronized Set<String> beginFill(Predicate<String> candidates) {
      Set<String> apps = new java.util.HashSet<>();
      for (String app : dropped) {
        if (candidates.test(app)) {
          apps.add(app);
        }
      }
      if (!apps.isEmpty()) {
        dropped.removeAll(apps);
        touched = new java.util.HashSet<>();
      }
      return apps;
    }

    /** The fill of {@code apps} failed: they still lack objects. */
    synchronized void abortFill(Set<String> apps) {
      dropped.addAll(apps);
      touched = null;
    }

    /**
     * Ends the fill of {@code apps}: keeps each listed object of theirs unless an event for its key
     * was handled since the fill began (that event is as new as the list or newer: a list answers
     * with the current state, the event was sent before or after it) or its app is no longer kept.
     */
    synchronized void endFill(Set<String> apps, List<Resource> listed) {
      try {
        for (Resource r : listed) {
          JsonNode meta = r.body().path("metadata");
          Optional<TrackingId> owner =
              ownerOf(
                  meta.path("name").asString(""),
                  meta.path("namespace").asString(""),
                  meta.path("annotations").path(TrackingId.ANNOTATION).asString(null));
          if (owner.isEmpty() || !apps.contains(owner.get().app())) {
            continue;
          }
          String key = storeKey(owner.get().key());
          if (touched.contains(key)) {
            continue;
          }
          if (!cache.keeps(owner.get().app())) {
            dropped.add(owner.get().app());
            continue;
          }
          ObjectNode body = (ObjectNode) r.body().deepCopy();
          store(
              key,
              new Entry(meta.path("resourceVersion").asString(""), owner.get(), trimmed(body)));
        }
      } finally {
        touched = null;
      }
    }

    /** The informer's key of the object at {@code key}. */
    private static String storeKey(ResourceKey key) {
      return key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
    }

    /** The objects {@code app} owns, by key (read from their compact form). */
    Map<ResourceKey, Resource> owned(String app) {
      Map<ResourceKey, byte[]> owned = byApp.get(app);
      if (owned == null) {
        return Map.of();
      }
      Map<ResourceKey, Resource> out = new HashMap<>();
      owned.forEach((key, json) -> out.put(key, resource(json)));
      return out;
    }

    /** Whether {@code app} owns an object at {@code key} here. */
    boolean owns(String app, ResourceKey key) {
      Map<ResourceKey, byte[]> owned = byApp.get(app);
      return owned != null && owned.containsKey(key);
    }

    /** The object {@code app} owns at {@code key}, if any. */
    Optional<Resource> owned(String app, ResourceKey key) {
      Map<ResourceKey, byte[]> owned = byApp.get(app);
      byte[] json = owned == null ? null : owned.get(key);
      return json == null ? Optional.empty() : Optional.of(resource(json));
    }

    private Resource resource(byte[] json) {
      return packed.resource(json);
    }

    /**
     * {@code body}, a write's answer for the object at {@code key}, as the cache's stand-in until
     * the informer shows it; null when it is not an object of an app marked for that key.
     */
    Ahead ahead(ResourceKey key, JsonNode body) {
      JsonNode meta = body.path("metadata");
      String version = meta.path("resourceVersion").asString("");
      Optional<TrackingId> owner =
          ownerOf(
              meta.path("name").asString(""),
              meta.path("namespace").asString(""),
              meta.path("annotations").path(TrackingId.ANNOTATION).asString(null));
      if (version.isEmpty()
          || !(body instanceof ObjectNode o)
          || owner.isEmpty()
          || !owner.get().key().equals(key)) {
        return null;
      }
      return new Ahead(
          owner.get().app(),
          type,
          version,
          trimmed(o.deepCopy()),
          System.nanoTime() + AHEAD_FOR.toNanos());
    }

    /** The tracking id of {@code obj} when it names {@code obj} itself. */
    Optional<TrackingId> ownerOf(GenericKubernetesResource obj) {
      ObjectMeta meta = obj.getMetadata();
      if (meta == null || meta.getAnnotations() == null) {
        return Optional.empty();
      }
      return ownerOf(
          Objects.requireNonNullElse(meta.getName(), ""),
          Objects.requireNonNullElse(meta.getNamespace(), ""),
          meta.getAnnotations().get(TrackingId.ANNOTATION));
    }

    /** The tracking id {@code mark} of the object {@code namespace/name} if it names it. */
    private Optional<TrackingId> ownerOf(String name, String namespace, String mark) {
      if (mark == null) {
        return Optional.empty();
      }
      ResourceKey key =
          new ResourceKey(type.group(), type.kind(), type.namespaced() ? namespace : "", name);
      return TrackingId.parse(mark)
          .filter(t -> t.key().equals(key))
          // the key with the kind's own strings, and one copy of each app's and namespace's name
          // for all the objects that repeat them
          .map(
              t ->
                  TrackingId.of(
                      t.app().intern(),
                      new ResourceKey(
                          key.group(), key.kind(), key.namespace().intern(), key.name())));
    }

    @Override
    public String getKey(GenericKubernetesResource obj) {
      return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public synchronized GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
      if (touched != null) {
        touched.add(key);
      }
      Optional<TrackingId> owner = ownerOf(obj);
      if (owner.isPresent() && !cache.keeps(owner.get().app())) {
        // an app this replica does not run: remember only that it lost an object here
        dropped.add(owner.get().app());
        owner = Optional.empty();
      }
      Entry next =
          owner
              .map(o -> new Entry(obj.getMetadata().getResourceVersion(), o, trimmed(obj)))
              .orElse(null);
      GenericKubernetesResource previous = store(key, next);
      if (next == null) {
        others.add(key);
      }
      if (!cache.unseenWrites.isEmpty() || !cache.ahead.isEmpty()) {
        // after the store holds it: a write answered meanwhile finds it there (see writes())
        ObjectMeta m = obj.getMetadata();
        cache.shown(
            new ResourceKey(
                type.group(),
                type.kind(),
                type.namespaced() ? Objects.requireNonNullElse(m.getNamespace(), "") : "",
                m.getName()),
            m.getResourceVersion());
      }
      return previous;
    }

    /**
     * Whether the informer has shown an object at {@code key} and not its deletion, whether the
     * store keeps it whole or not.
     */
    synchronized boolean holds(ResourceKey key) {
      String k = storeKey(key);
      return entries.containsKey(k) || others.contains(k);
    }

    /** How many objects of the kind are known only by their key. */
    synchronized int othersCount() {
      return others.size();
    }

    /** The version of the object at {@code key} the store holds, or null. */
    String versionOf(ResourceKey key) {
      Entry e = entries.get(storeKey(key));
      return e == null ? null : e.resourceVersion();
    }

    /** Puts {@code next} at {@code key} (null: removes it) and keeps the index of apps right. */
    private GenericKubernetesResource store(String key, Entry next) {
      Entry previous = next == null ? entries.remove(key) : entries.put(key, next);
      if (previous != null
          && (next == null || !previous.owner().app().equals(next.owner().app()))) {
        unindex(previous);
      }
      if (next != null) {
        others.remove(key);
        byApp
            .computeIfAbsent(next.owner().app(), a -> new ConcurrentHashMap<>())
            .put(next.owner().key(), next.json());
      }
      return previous == null ? null : stub(previous);
    }

    @Override
    public synchronized GenericKubernetesResource remove(String key) {
      if (touched != null) {
        touched.add(key);
      }
      Entry previous = entries.remove(key);
      if (previous == null) {
        others.remove(key);
        return null;
      }
      unindex(previous);
      return stub(previous);
    }

    private void unindex(Entry e) {
      byApp.computeIfPresent(
          e.owner().app(),
          (a, m) -> {
            m.remove(e.owner().key());
            return m.isEmpty() ? null : m;
          });
    }

    @Override
    public Stream<String> keySet() {
      return entries.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return entries.values().stream().map(this::stub);
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : stub(e);
    }

    /** What the informer sees of {@code e}: enough to key it, compare versions, find owners. */
    private GenericKubernetesResource stub(Entry e) {
      TrackingId owner = e.owner();
      ObjectMeta meta = new ObjectMeta();
      meta.setName(owner.key().name());
      meta.setNamespace(owner.key().namespace().isEmpty() ? null : owner.key().namespace());
      meta.setResourceVersion(e.resourceVersion());
      meta.setAnnotations(Map.of(TrackingId.ANNOTATION, owner.value()));
      GenericKubernetesResource stub = new GenericKubernetesResource();
      stub.setApiVersion(type.apiVersion());
      stub.setKind(type.kind());
      stub.setMetadata(meta);
      return stub;
    }

    /**
     * {@code obj} as JSON, its {@code managedFields} entries cut down to what drift detection reads
     * (manager, subresource, fieldsV1: not time, operation, apiVersion, fieldsType), packed.
     */
    private byte[] trimmed(GenericKubernetesResource obj) {
      // the tree as received, or straight to a tree (no JSON text written and parsed again)
      return trimmed(WireResource.tree(obj, serialization));
    }

    /** {@link #trimmed(GenericKubernetesResource)} of a body that may be changed. */
    private byte[] trimmed(ObjectNode body) {
      if (!body.has("apiVersion") || !body.has("kind")) {
        body.put("apiVersion", type.apiVersion()).put("kind", type.kind());
      }
      if (body.path("metadata") instanceof ObjectNode meta
          && meta.get("managedFields") instanceof ArrayNode managed) {
        // new entries: the received ones stay as they are (a WireResource reads them when asked)
        ArrayNode kept = meta.arrayNode(managed.size());
        for (JsonNode entry : managed) {
          if (entry instanceof ObjectNode o) {
            ObjectNode k = kept.addObject();
            for (String field : KEPT_MANAGED_FIELDS) {
              if (o.get(field) != null) {
                k.set(field, o.get(field));
              }
            }
          } else {
            kept.add(entry);
          }
        }
        meta.set("managedFields", kept);
      }
      return packed.pack(body);
    }
  }
}

package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.ResourceType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The one informer of a {@link KubeCluster} on Argo CD Application objects (list, then watch, all
 * namespaces), shared by every started controller on that cluster, as Argo CD's controller watches
 * all its Applications with one informer. Each controller subscribes to its own object by namespace
 * and name ({@link ApplicationObjectWatch}) and is told only about that object, whether it exists
 * yet or not, so an object created later is seen at once. Started by the first subscription,
 * stopped when the last one closes.
 *
 * <p>On a cache that keeps only some apps ({@link SharedLiveCache#keepOnly}) the store keeps the
 * objects subscribed to and those of the apps the cache's hint accepts; of any other it remembers
 * only the key, until a subscription's first read ({@link #filled}) lists the Application objects
 * once for every subscribed key that lacks its object.
 *
 * <p>Besides the watches of single objects, listeners of every object ({@link Listener}: the feed
 * of a {@link io.glidepath.kube.controller.ControllerManager}) hear about each object as it comes,
 * changes and goes, so that one watch of the kind serves the whole process. An object the store
 * does not keep is handed to them as its event passes when they ask for it ({@link
 * Listener#wants}), then forgotten.
 *
 * <p>Thread-safe; the first subscription waits for the initial list.
 */
final class ApplicationObjectInformer implements ResourceEventHandler<GenericKubernetesResource> {
  private final KubernetesClient client;
  private final ResourceType type;
  private final Map<String, Set<ApplicationObjectWatch>> byKey = new ConcurrentHashMap<>();
  // each listener of every object behind its own lock (its calls come in order)
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final JsonStore store;
  private final SharedLiveCache cache;
  // one fill of dropped objects at a time
  private final ReentrantLock filling = new ReentrantLock();

  private ApplicationObjectInformer(
      KubernetesClient client, ResourceType type, SharedLiveCache cache) {
    this.client = client;
    this.type = type;
    this.cache = cache;
    this.informer =
        client
            .genericKubernetesResources(SharedLiveCache.definition(type))
            .inAnyNamespace()
            .runnableInformer(0);
    this.store = new JsonStore(client.getKubernetesSerialization(), type, this::keeps);
    informer.itemStore(store).addEventHandler(this);
    SharedLiveCache.keepRetrying(informer, type.apiVersion() + "/" + type.kind());
  }

  /**
   * Starts an informer on {@code type}, {@code first} (if any) listening from its initial list on;
   * returns once that list is done.
   */
  static ApplicationObjectInformer start(
      KubernetesClient client, ResourceType type, SharedLiveCache cache, Listener first) {
    ApplicationObjectInformer i = new ApplicationObjectInformer(client, type, cache);
    if (first != null) {
      i.listeners.add(first);
    }
    try {
      i.informer.run();
    } catch (RuntimeException e) {
      i.informer.close();
      throw e;
    }
    return i;
  }

  ResourceType type() {
    return type;
  }

  boolean synced() {
    return informer.hasSynced();
  }

  /** The tree of a document this informer handed out ({@link #subscribe}, a watch's events). */
  tools.jackson.databind.JsonNode tree(byte[] packed) {
    return store.packed.tree(packed);
  }

  /** What reads the packed object {@code json} (null: gives null). */
  private Supplier<Resource> resource(byte[] json) {
    return () -> json == null ? null : store.packed.resource(json);
  }

  /** Adds {@code watch}, which reads its object as the informer has it now. */
  void subscribe(ApplicationObjectWatch watch) {
    watch.bind(this);
    byKey.computeIfAbsent(storeKey(watch.key()), k -> ConcurrentHashMap.newKeySet()).add(watch);
    watch.initial();
  }

  /** The object at {@code key} as the store holds it now (packed), empty when not held. */
  Optional<byte[]> json(ResourceKey key) {
    return store.json(storeKey(key));
  }

  /**
   * One who hears about every Application object: called on the informer's event thread (and, for a
   * listener added to a running informer, once on the adding thread for the objects there), one
   * call at a time.
   */
  interface Listener {
    /**
     * Whether the event of the object at store key {@code key} ({@code namespace/name}) being
     * handled must carry the object even when the store does not keep it. Called on the informer's
     * event thread before {@link #seen}: must be fast.
     */
    boolean wants(String key);

    /**
     * The object at {@code key} was added or changed; {@code object} reads it (parsing it then), or
     * gives null when the store does not keep it and {@link #wants} declined it.
     */
    void seen(String key, Supplier<Resource> object);

    /** The object at {@code key} is gone. */
    void gone(String key);
  }

  /**
   * Hands {@code listener}, added to this informer once it ran, under its lock, each object there
   * now: those the store keeps from the store, those it dropped from one list of the kind (an
   * object deleted meanwhile is skipped; one handed twice, by this and by its event, is the
   * listener's to tell).
   *
   * @throws RuntimeException when that list fails (the listener is removed)
   */
  void handOver(Listener listener) {
    try {
      Map<String, byte[]> listed = new HashMap<>();
      if (store.droppedCount() > 0) {
        listAll(
            page -> {
              for (GenericKubernetesResource obj : page) {
                String k = Cache.metaNamespaceKeyFunc(obj);
                if (store.dropped(k) && listener.wants(k)) {
                  listed.put(k, store.pack(obj));
                }
              }
            });
      }
      synchronized (listener) {
        store
            .keySet()
            .forEach(
                k -> {
                  Optional<byte[]> json = store.json(k);
                  if (json.isPresent()) {
                    listener.seen(k, resource(json.get()));
                  } else if (store.dropped(k) && listed.containsKey(k)) {
                    listener.seen(k, resource(listed.get(k)));
                  }
                });
      }
    } catch (RuntimeException e) {
      listeners.remove(listener);
      throw e;
    }
  }

  /** Removes {@code listener}; returns whether no subscription and no listener is left. */
  boolean unlisten(Listener listener) {
    listeners.remove(listener);
    return byKey.isEmpty() && listeners.isEmpty();
  }

  /** Removes {@code watch}; returns whether no subscription is left. */
  boolean unsubscribe(ApplicationObjectWatch watch) {
    String key = storeKey(watch.key());
    byKey.computeIfPresent(
        key,
        (k, s) -> {
          s.remove(watch);
          return s.isEmpty() ? null : s;
        });
    store.drop(key);
    return byKey.isEmpty() && listeners.isEmpty();
  }

  /** Whether the object at store key {@code key} is kept whole. */
  private boolean keeps(String key) {
    return byKey.containsKey(key) || cache.keepsApplication(key.substring(key.indexOf('/') + 1));
  }

  /** Drops the objects no subscription and no hint keeps. */
  void dropUnkept() {
    store.dropUnkept();
  }

  /**
   * Whether the store holds the object at {@code key} as it is (or knows it does not exist): when
   * the object was dropped, lists the Application objects once for every kept key (subscribed or
   * accepted by the cache's hint) whose object was dropped (unless a fill running meanwhile did it)
   * and gives the subscriptions their objects. False when that list fails.
   */
  boolean filled(ResourceKey key) {
    String k = storeKey(key);
    if (!store.dropped(k)) {
      return true;
    }
    filling.lock();
    try {
      if (!store.dropped(k)) {
        return true;
      }
      // the hint's keys too: a takeover's apps subscribe one by one
      Set<String> keys = store.beginFill(this::keeps);
      if (keys.isEmpty()) {
        return !store.dropped(k);
      }
      // the subscriptions get their objects under the store's lock, so that an event handled later
      // comes after them
      BiConsumer<String, byte[]> found =
          (sk, json) -> {
            Set<ApplicationObjectWatch> s = byKey.get(sk);
            if (s != null) {
              s.forEach(w -> w.filled(json));
            }
          };
      try {
        listAll(page -> store.fillFrom(keys, page, found));
      } catch (RuntimeException e) {
        store.abortFill(keys);
        return false;
      }
      store.endFill();
      return !store.dropped(k);
    } finally {
      filling.unlock();
    }
  }

  void close() {
    informer.close();
  }

  /** Lists every object of the kind in every namespace, page by page, each page to {@code page}. */
  private void listAll(Consumer<List<GenericKubernetesResource>> page) {
    var resources = client.genericKubernetesResources(SharedLiveCache.definition(type));
    String cont = null;
    do {
      var list =
          resources
              .inAnyNamespace()
              .list(
                  new ListOptionsBuilder()
                      .withLimit((long) KubeCluster.PAGE_SIZE)
                      .withContinue(cont)
                      .build());
      page.accept(list.getItems());
      cont = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (cont != null && !cont.isEmpty());
  }

  private static String storeKey(ResourceKey key) {
    return key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
  }

  private List<ApplicationObjectWatch> watchers(GenericKubernetesResource obj) {
    Set<ApplicationObjectWatch> s = byKey.get(Cache.metaNamespaceKeyFunc(obj));
    return s == null ? List.of() : List.copyOf(s);
  }

  @Override
  public void onAdd(GenericKubernetesResource obj) {
    watchers(obj).forEach(ApplicationObjectWatch::seen);
    if (!listeners.isEmpty()) {
      String key = Cache.metaNamespaceKeyFunc(obj);
      byte[] json = store.json(key).orElse(null);
      if (json == null && whole(obj) && listeners.stream().anyMatch(l -> l.wants(key))) {
        // not kept: the event's own object, as this event has it (each event its version, also
        // when several changes came before the first of them is handled here)
        json = store.pack(obj);
      }
      for (Listener l : listeners) {
        synchronized (l) {
          l.seen(key, resource(json));
        }
      }
    }
  }

  /** Whether {@code obj} is an object as the server sent it, not the store's stand-in. */
  private static boolean whole(GenericKubernetesResource obj) {
    return !obj.getAdditionalProperties().isEmpty();
  }

  @Override
  public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
    onAdd(newObj);
  }

  @Override
  public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
    watchers(obj).forEach(ApplicationObjectWatch::seen);
    String key = Cache.metaNamespaceKeyFunc(obj);
    for (Listener l : listeners) {
      synchronized (l) {
        l.gone(key);
      }
    }
  }

  /** The informers by type, for {@link SharedLiveCache}: guarded by the cache's lock. */
  static final class Holder {
    private final Map<ResourceType, ApplicationObjectInformer> running = new HashMap<>();

    ApplicationObjectInformer get(
        KubernetesClient client, ResourceType type, SharedLiveCache cache) {
      return running.computeIfAbsent(type, t -> start(client, t, cache, null));
    }

    /**
     * Adds {@code listener} to the informer of {@code type}, starting one for it when none runs
     * (which hands it the objects by its initial list's events); returns the informer and whether
     * it ran before, when the caller must {@link #handOver} the objects there.
     */
    Map.Entry<ApplicationObjectInformer, Boolean> listen(
        KubernetesClient client, ResourceType type, SharedLiveCache cache, Listener listener) {
      ApplicationObjectInformer i = running.get(type);
      if (i == null) {
        i = start(client, type, cache, listener);
        running.put(type, i);
        return Map.entry(i, false);
      }
      i.listeners.add(listener);
      return Map.entry(i, true);
    }

    void forEach(Consumer<ApplicationObjectInformer> action) {
      running.values().forEach(action);
    }

    void release(ApplicationObjectInformer i) {
      if (running.get(i.type()) == i) {
        running.remove(i.type());
      }
      i.close();
    }

    void closeAll() {
      running.values().forEach(ApplicationObjectInformer::close);
      running.clear();
    }
  }

  /**
   * The informer's item store: per object a stand-in (name, namespace, resourceVersion: all the
   * informer reads) and the whole object but its {@code managedFields} (no reader looks at them;
   * status writes are merge patches) as packed JSON, which the watches share instead of a tree
   * each. Objects {@code keeps} refuses are dropped, their keys noted.
   */
  private static final class JsonStore implements ItemStore<GenericKubernetesResource> {
    private final KubernetesSerialization serialization;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final PackedJson packed = new PackedJson();
    private final ResourceType type;
    private final Predicate<String> keeps;
    // keys of objects dropped and not back; and the keys events reached since the running fill
    // began (null: none running), guarded by this as are all changes of the maps
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private Set<String> touched;

    // the stand-in is made when asked for, from the store's key and this version
    private record Entry(String resourceVersion, byte[] json) {}

    JsonStore(KubernetesSerialization serialization, ResourceType type, Predicate<String> keeps) {
      this.serialization = serialization;
      this.type = type;
      this.keeps = keeps;
    }

    boolean dropped(String key) {
      return dropped.contains(key);
    }

    int droppedCount() {
      return dropped.size();
    }

    /** Drops the object at {@code key} if it is not kept. */
    synchronized void drop(String key) {
      if (!keeps.test(key) && entries.remove(key) != null) {
        dropped.add(key);
      }
    }

    void dropUnkept() {
      List.copyOf(entries.keySet()).forEach(this::drop);
    }

    /** Starts a fill of the dropped keys {@code candidates} accepts (see SharedLiveCache). */
    synchronized Set<String> beginFill(Predicate<String> candidates) {
      Set<String> keys = new HashSet<>();
      for (String k : dropped) {
        if (candidates.test(k)) {
          keys.add(k);
        }
      }
      if (!keys.isEmpty()) {
        dropped.removeAll(keys);
        touched = new HashSet<>();
      }
      return keys;
    }

    /**
     * Keeps the listed objects at {@code keys} that no event reached since the fill began and that
     * are still kept, and hands each to {@code found} (under this).
     */
    synchronized void fillFrom(
        Set<String> keys,
        List<GenericKubernetesResource> listed,
        BiConsumer<String, byte[]> found) {
      for (GenericKubernetesResource obj : listed) {
        String key = getKey(obj);
        if (!keys.contains(key) || touched.contains(key)) {
          continue;
        }
        if (!keeps.test(key)) {
          dropped.add(key);
          continue;
        }
        byte[] json = pack(obj);
        entries.put(key, new Entry(obj.getMetadata().getResourceVersion(), json));
        found.accept(key, json);
      }
    }

    synchronized void endFill() {
      touched = null;
    }

    synchronized void abortFill(Set<String> keys) {
      dropped.addAll(keys);
      touched = null;
    }

    Optional<byte[]> json(String key) {
      Entry e = entries.get(key);
      return e == null ? Optional.empty() : Optional.of(e.json());
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
      if (!keeps.test(key)) {
        // the object of an app this process does not run: only its key is remembered (its event
        // carries the object to the listeners that want it)
        boolean known = !dropped.add(key);
        Entry previous = entries.remove(key);
        // an object dropped before changes: an update of one whose version is not known
        return previous != null ? stub(key, previous) : known ? stub(key, "") : null;
      }
      Entry previous =
          entries.put(key, new Entry(obj.getMetadata().getResourceVersion(), pack(obj)));
      return previous == null ? null : stub(key, previous);
    }

    /** The object but its {@code managedFields}, packed. */
    byte[] pack(GenericKubernetesResource obj) {
      // the tree as received, or straight to a tree (no JSON text written and parsed again)
      tools.jackson.databind.JsonNode tree = WireResource.tree(obj, serialization);
      if (tree.path("metadata") instanceof tools.jackson.databind.node.ObjectNode m) {
        m.remove("managedFields");
      }
      return packed.pack(tree);
    }

    @Override
    public synchronized GenericKubernetesResource remove(String key) {
      if (touched != null) {
        touched.add(key);
      }
      boolean wasDropped = dropped.remove(key);
      Entry previous = entries.remove(key);
      // a dropped object's deletion is an event too (for the listeners)
      return previous != null ? stub(key, previous) : wasDropped ? stub(key, "") : null;
    }

    /** The keys of the objects held and of those dropped: all the informer knows of. */
    @Override
    public Stream<String> keySet() {
      return Stream.concat(entries.keySet().stream(), dropped.stream()).distinct();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return entries.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : stub(key, e);
    }

    /** What the informer reads of an object: its name, namespace and version. */
    private GenericKubernetesResource stub(String key, Entry e) {
      return stub(key, e.resourceVersion());
    }

    private GenericKubernetesResource stub(String key, String resourceVersion) {
      return ApplicationObjectFeed.stub(type.apiVersion(), type.kind(), key, resourceVersion);
    }
  }
}

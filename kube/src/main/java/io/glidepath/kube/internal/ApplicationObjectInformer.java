package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The one informer of a {@link io.glidepath.kube.KubeCluster} on Argo CD Application objects (list,
 * then watch, all namespaces), shared by every started controller on that cluster, as Argo CD's
 * controller watches all its Applications with one informer. Each controller subscribes to its own
 * object by namespace and name ({@link ApplicationObjectWatch}) and is told only about that object,
 * whether it exists yet or not, so an object created later is seen at once. Started by the first
 * subscription, stopped when the last one closes.
 *
 * <p>Thread-safe; the first subscription waits for the initial list.
 */
final class ApplicationObjectInformer implements ResourceEventHandler<GenericKubernetesResource> {
  private final KubernetesClient client;
  private final ResourceType type;
  private final Map<String, Set<ApplicationObjectWatch>> byKey = new ConcurrentHashMap<>();
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final JsonStore store;

  private ApplicationObjectInformer(KubernetesClient client, ResourceType type) {
    this.client = client;
    this.type = type;
    this.informer =
        client
            .genericKubernetesResources(SharedLiveCache.definition(type))
            .inAnyNamespace()
            .runnableInformer(0);
    this.store = new JsonStore(client.getKubernetesSerialization(), type);
    informer.itemStore(store).addEventHandler(this);
    SharedLiveCache.keepRetrying(informer, type.apiVersion() + "/" + type.kind());
  }

  /** Starts an informer on {@code type}; returns once its initial list is done. */
  static ApplicationObjectInformer start(KubernetesClient client, ResourceType type) {
    ApplicationObjectInformer i = new ApplicationObjectInformer(client, type);
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

  /** Adds {@code watch} and returns its object as the informer has it now (packed). */
  Optional<byte[]> subscribe(ApplicationObjectWatch watch) {
    byKey.computeIfAbsent(storeKey(watch.key()), k -> ConcurrentHashMap.newKeySet()).add(watch);
    return store.json(storeKey(watch.key()));
  }

  /** Removes {@code watch}; returns whether no subscription is left. */
  boolean unsubscribe(ApplicationObjectWatch watch) {
    byKey.computeIfPresent(
        storeKey(watch.key()),
        (k, s) -> {
          s.remove(watch);
          return s.isEmpty() ? null : s;
        });
    return byKey.isEmpty();
  }

  void close() {
    informer.close();
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
    List<ApplicationObjectWatch> ws = watchers(obj);
    if (!ws.isEmpty()) {
      Optional<byte[]> json = store.json(Cache.metaNamespaceKeyFunc(obj));
      ws.forEach(w -> w.seen(json));
    }
  }

  @Override
  public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
    onAdd(newObj);
  }

  @Override
  public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
    watchers(obj).forEach(w -> w.seen(Optional.empty()));
  }

  /** The informers by type, for {@link SharedLiveCache}: guarded by the cache's lock. */
  static final class Holder {
    private final Map<ResourceType, ApplicationObjectInformer> running = new HashMap<>();

    ApplicationObjectInformer get(KubernetesClient client, ResourceType type) {
      return running.computeIfAbsent(type, t -> start(client, t));
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
   * each.
   */
  private static final class JsonStore implements ItemStore<GenericKubernetesResource> {
    private final KubernetesSerialization serialization;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final PackedJson packed = new PackedJson();
    private final ResourceType type;

    // the stand-in is made when asked for, from the store's key and this version
    private record Entry(String resourceVersion, byte[] json) {}

    JsonStore(KubernetesSerialization serialization, ResourceType type) {
      this.serialization = serialization;
      this.type = type;
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
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
      tools.jackson.databind.JsonNode tree =
          io.glidepath.core.yaml.Yaml.mapper().readTree(serialization.asJson(obj));
      if (tree.path("metadata") instanceof tools.jackson.databind.node.ObjectNode m) {
        m.remove("managedFields");
      }
      byte[] json = packed.pack(tree);
      Entry previous = entries.put(key, new Entry(obj.getMetadata().getResourceVersion(), json));
      return previous == null ? null : stub(key, previous);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
      Entry previous = entries.remove(key);
      return previous == null ? null : stub(key, previous);
    }

    @Override
    public Stream<String> keySet() {
      return entries.keySet().stream();
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
      return ApplicationObjectFeed.stub(type.apiVersion(), type.kind(), key, e.resourceVersion());
    }
  }
}

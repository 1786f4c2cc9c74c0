package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which status ConfigMaps ({@code glidepath-<app>}, label {@code glidepath.io/application}) exist,
 * per namespace: one informer per status namespace (list, then watch, of the labelled ConfigMaps
 * only), shared by the controllers a manager runs, so that a new app's first reconcile need not
 * read its ConfigMap to learn that an older run left none. Keeps only each ConfigMap's name and
 * resourceVersion, never its data: a ConfigMap that exists is read as before.
 *
 * <p>Thread-safe. The first question about a namespace starts its informer and waits for its list.
 */
final class StatusConfigMaps implements AutoCloseable {
  static final String LABEL = "glidepath.io/application";
  private static final Logger LOG = LoggerFactory.getLogger(StatusConfigMaps.class);

  private final KubernetesClient client;
  // guarded by this; a namespace whose informer could not start maps to null (read each time)
  private final Map<String, Watched> namespaces = new HashMap<>();
  private boolean closed;

  StatusConfigMaps(KubernetesClient client) {
    this.client = client;
  }

  /**
   * False only when the informer of {@code namespace} vouches that no status ConfigMap {@code name}
   * exists there: it has listed, it is watching, and its store has none of that name (nor did this
   * process write one it has not shown yet). Only a ConfigMap another process created whose event
   * is still on its way escapes it, for as long as the event takes.
   */
  boolean mayExist(String namespace, String name) {
    Watched w = watched(namespace);
    return w == null || w.mayExist(namespace + "/" + name);
  }

  /** This process wrote the status ConfigMap {@code name}: it exists from now on. */
  void written(String namespace, String name) {
    Watched w;
    synchronized (this) {
      w = namespaces.get(namespace);
    }
    if (w != null) {
      w.store.names.putIfAbsent(namespace + "/" + name, "");
    }
  }

  private synchronized Watched watched(String namespace) {
    if (closed) {
      return null;
    }
    if (namespaces.containsKey(namespace)) {
      return namespaces.get(namespace);
    }
    Watched w = null;
    try {
      w = Watched.start(client, namespace);
    } catch (RuntimeException e) {
      // not allowed to list or watch there, or the server failed: read each ConfigMap instead
      LOG.warn(
          "status ConfigMaps in namespace {} not watched ({}); each new app reads its own",
          namespace,
          e.toString());
    }
    namespaces.put(namespace, w);
    return w;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      namespaces.values().stream().filter(w -> w != null).forEach(w -> w.informer.close());
      namespaces.clear();
    }
  }

  /** One namespace's informer and its store of names. */
  private record Watched(SharedIndexInformer<GenericKubernetesResource> informer, Names store) {
    static Watched start(KubernetesClient client, String namespace) {
      Names store = new Names();
      SharedIndexInformer<GenericKubernetesResource> informer =
          client
              .genericKubernetesResources("v1", "ConfigMap")
              .inNamespace(namespace)
              .withLabel(LABEL)
              .runnableInformer(0);
      informer.itemStore(store);
      SharedLiveCache.keepRetrying(informer, "v1/ConfigMap (" + LABEL + ")");
      try {
        informer.run();
      } catch (RuntimeException e) {
        informer.close();
        throw e;
      }
      return new Watched(informer, store);
    }

    boolean mayExist(String key) {
      return !informer.hasSynced() || !informer.isWatching() || store.names.containsKey(key);
    }
  }

  /**
   * The informer's item store: per ConfigMap its {@code namespace/name} and resourceVersion, all
   * the informer reads; the rest of each event is dropped.
   */
  private static final class Names implements ItemStore<GenericKubernetesResource> {
    private final Map<String, String> names = new ConcurrentHashMap<>();

    @Override
    public String getKey(GenericKubernetesResource obj) {
      return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
      String previous = names.put(key, obj.getMetadata().getResourceVersion());
      return previous == null ? null : stub(key, previous);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
      String previous = names.remove(key);
      return previous == null ? null : stub(key, previous);
    }

    @Override
    public Stream<String> keySet() {
      return names.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return names.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
      return names.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      String version = names.get(key);
      return version == null ? null : stub(key, version);
    }

    private static GenericKubernetesResource stub(String key, String resourceVersion) {
      return ApplicationObjectFeed.stub("v1", "ConfigMap", key, resourceVersion);
    }
  }
}

package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  private ApplicationObjectInformer(KubernetesClient client, ResourceType type) {
    this.client = client;
    this.type = type;
    this.informer =
        client
            .genericKubernetesResources(SharedLiveCache.definition(type))
            .inAnyNamespace()
            .runnableInformer(0);
    informer.addEventHandler(this);
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

  /** Adds {@code watch} and returns its object as the informer has it now. */
  Optional<Resource> subscribe(ApplicationObjectWatch watch) {
    byKey.computeIfAbsent(storeKey(watch.key()), k -> ConcurrentHashMap.newKeySet()).add(watch);
    return Optional.ofNullable(informer.getStore().getByKey(storeKey(watch.key())))
        .map(this::convert);
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

  private Resource convert(GenericKubernetesResource r) {
    return Resource.of(Yaml.mapper().readTree(client.getKubernetesSerialization().asJson(r)));
  }

  private List<ApplicationObjectWatch> watchers(GenericKubernetesResource obj) {
    Set<ApplicationObjectWatch> s = byKey.get(Cache.metaNamespaceKeyFunc(obj));
    return s == null ? List.of() : List.copyOf(s);
  }

  @Override
  public void onAdd(GenericKubernetesResource obj) {
    List<ApplicationObjectWatch> ws = watchers(obj);
    if (!ws.isEmpty()) {
      Resource r = convert(obj);
      ws.forEach(w -> w.seen(Optional.of(r)));
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
}

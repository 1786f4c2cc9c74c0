package io.glidepath.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the live resources of one app through fabric8 informers (list, then watch, one per type,
 * across namespaces) and tells a {@link LiveChangeListener} about changes to resources the app owns
 * by its {@link TrackingId}; changes to anything else are ignored. The initial list is reported
 * too, as creations. It also keeps the owned objects it has seen: {@link #liveState()} is the app's
 * live state among the watched types without a request to the API server (eventually consistent: a
 * change shows once its watch event has arrived).
 *
 * <pre>{@code
 * try (LiveWatch watch = LiveWatch.start(cluster, "trade-service", types,
 *     (key, live) -> controller.requestReconcile())) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops every informer.
 */
public final class LiveWatch implements AutoCloseable {
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers;
  private final Map<ResourceKey, Resource> owned;
  private final Set<ResourceType> types;

  private LiveWatch(
      List<SharedIndexInformer<GenericKubernetesResource>> informers,
      Map<ResourceKey, Resource> owned,
      Set<ResourceType> types) {
    this.informers = informers;
    this.owned = owned;
    this.types = types;
  }

  /** Starts watching {@code types} for {@code app}. */
  public static LiveWatch start(
      KubeCluster cluster,
      String app,
      Collection<ResourceType> types,
      LiveChangeListener listener) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(listener, "listener");
    KubernetesClient client = cluster.client();
    List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    Map<ResourceKey, Resource> owned = new ConcurrentHashMap<>();
    try {
      for (ResourceType type : types) {
        ResourceDefinitionContext context =
            new ResourceDefinitionContext.Builder()
                .withGroup(type.group())
                .withVersion(type.version())
                .withKind(type.kind())
                .withPlural(type.plural())
                .withNamespaced(type.namespaced())
                .build();
        informers.add(
            client
                .genericKubernetesResources(context)
                .inAnyNamespace()
                .inform(new Handler(client, app, listener, owned), 0));
      }
    } catch (RuntimeException e) {
      informers.forEach(SharedIndexInformer::close);
      throw e;
    }
    return new LiveWatch(List.copyOf(informers), owned, Set.copyOf(types));
  }

  /**
   * The resources the app owns among the watched types, as the watch last saw them (in key order).
   * No request is sent.
   */
  public ResourceSet liveState() {
    List<Resource> all = new ArrayList<>(owned.values());
    all.sort(Comparator.comparing(r -> r.key().toString()));
    return ResourceSet.of(all);
  }

  /** The watched types. */
  public Set<ResourceType> types() {
    return types;
  }

  /** Whether every informer has completed its initial list. */
  public boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private static final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    private final KubernetesClient client;
    private final String app;
    private final LiveChangeListener listener;
    private final Map<ResourceKey, Resource> owned;

    Handler(
        KubernetesClient client,
        String app,
        LiveChangeListener listener,
        Map<ResourceKey, Resource> owned) {
      this.client = client;
      this.app = app;
      this.listener = listener;
      this.owned = owned;
    }

    private Resource convert(GenericKubernetesResource r) {
      String json = client.getKubernetesSerialization().asJson(r);
      return Resource.of(Yaml.mapper().readTree(json));
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      Resource r = convert(obj);
      if (TrackingId.owns(app, r)) {
        owned.put(r.key(), r);
        listener.changed(r.key(), Optional.of(r));
      }
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      Resource before = convert(oldObj);
      Resource after = convert(newObj);
      if (TrackingId.owns(app, after)) {
        owned.put(after.key(), after);
        listener.changed(after.key(), Optional.of(after));
      } else if (TrackingId.owns(app, before)) {
        // the mark was removed: for this app the resource is gone
        owned.remove(before.key());
        listener.changed(before.key(), Optional.empty());
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
      Resource r = convert(obj);
      if (TrackingId.owns(app, r)) {
        owned.remove(r.key());
        listener.changed(r.key(), Optional.empty());
      }
    }
  }
}

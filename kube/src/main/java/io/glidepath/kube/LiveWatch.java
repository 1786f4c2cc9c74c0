package io.glidepath.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches the live resources of one app through fabric8 informers (list, then watch, one per type,
 * across namespaces) and tells a {@link LiveChangeListener} about changes to resources the app owns
 * by its {@link TrackingId}; changes to anything else are ignored. The initial list is reported
 * too, as creations.
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

  private LiveWatch(List<SharedIndexInformer<GenericKubernetesResource>> informers) {
    this.informers = informers;
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
                .inform(new Handler(client, app, listener), 0));
      }
    } catch (RuntimeException e) {
      informers.forEach(SharedIndexInformer::close);
      throw e;
    }
    return new LiveWatch(List.copyOf(informers));
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

    Handler(KubernetesClient client, String app, LiveChangeListener listener) {
      this.client = client;
      this.app = app;
      this.listener = listener;
    }

    private Resource convert(GenericKubernetesResource r) {
      String json = client.getKubernetesSerialization().asJson(r);
      return Resource.of(Yaml.mapper().readTree(json));
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      Resource r = convert(obj);
      if (TrackingId.owns(app, r)) {
        listener.changed(r.key(), Optional.of(r));
      }
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      Resource before = convert(oldObj);
      Resource after = convert(newObj);
      if (TrackingId.owns(app, after)) {
        listener.changed(after.key(), Optional.of(after));
      } else if (TrackingId.owns(app, before)) {
        // the mark was removed: for this app the resource is gone
        listener.changed(before.key(), Optional.empty());
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
      Resource r = convert(obj);
      if (TrackingId.owns(app, r)) {
        listener.changed(r.key(), Optional.empty());
      }
    }
  }
}

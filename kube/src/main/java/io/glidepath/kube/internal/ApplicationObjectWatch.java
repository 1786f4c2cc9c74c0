package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ResourceType;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * An informer on one Argo CD Application object (list and watch by name in its namespace), so that
 * a running controller reads the object's current spec from memory and reconciles as soon as the
 * spec changes or the object goes. Status writes (the controller's own among them) do not count as
 * changes: only {@code spec}, {@code metadata.deletionTimestamp} and {@code metadata.finalizers}
 * do.
 */
final class ApplicationObjectWatch implements AutoCloseable {
  private final ResourceKey key;
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final AtomicReference<Optional<Resource>> current =
      new AtomicReference<>(Optional.empty());

  private ApplicationObjectWatch(
      KubernetesClient client, ResourceType type, ResourceKey key, Runnable changed) {
    this.key = key;
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(type.group())
            .withVersion(type.version())
            .withKind(type.kind())
            .withPlural(type.plural())
            .withNamespaced(type.namespaced())
            .build();
    this.informer =
        client
            .genericKubernetesResources(context)
            .inNamespace(key.namespace())
            .withName(key.name())
            .inform(new Handler(client, changed), 0);
  }

  /** Starts the informer; returns once its initial list is done. */
  static ApplicationObjectWatch start(
      DefaultKubeCluster cluster, ResourceKey key, Runnable changed) {
    Objects.requireNonNull(changed, "changed");
    return new ApplicationObjectWatch(cluster.client(), cluster.typeOf(key), key, changed);
  }

  /** Whether the initial list is done, so that {@link #current()} can be trusted. */
  boolean synced() {
    return informer.hasSynced();
  }

  /** The object as last seen, empty when it does not exist. No request is sent. */
  Optional<Resource> current() {
    return current.get();
  }

  @Override
  public void close() {
    informer.close();
  }

  /** What a reconcile acts on: the spec and the deletion state, not the status. */
  static String fingerprint(JsonNode object) {
    JsonNode meta = object.path("metadata");
    return Yaml.toJson(object.path("spec"))
        + "|"
        + meta.path("deletionTimestamp").asString("")
        + "|"
        + Yaml.toJson(meta.path("finalizers"));
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    private final KubernetesClient client;
    private final Runnable changed;

    Handler(KubernetesClient client, Runnable changed) {
      this.client = client;
      this.changed = changed;
    }

    private Optional<Resource> convert(GenericKubernetesResource r) {
      Resource resource =
          Resource.of(Yaml.mapper().readTree(client.getKubernetesSerialization().asJson(r)));
      // the watch asks for this name; a server that ignores the selector must not mislead us
      return resource.name().equals(key.name()) ? Optional.of(resource) : Optional.empty();
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      Optional<Resource> added = convert(obj);
      if (added.isEmpty()) {
        return;
      }
      Optional<Resource> before = current.getAndSet(added);
      if (before.isEmpty() && informer != null && informer.hasSynced()) {
        changed.run(); // re-created after a delete
      }
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      Optional<Resource> after = convert(newObj);
      if (after.isEmpty()) {
        return;
      }
      Optional<Resource> before = current.getAndSet(after);
      if (before.isEmpty()
          || !fingerprint(before.get().body()).equals(fingerprint(after.get().body()))) {
        changed.run();
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
      if (convert(obj).isEmpty()) {
        return;
      }
      current.set(Optional.empty());
      changed.run();
    }
  }
}

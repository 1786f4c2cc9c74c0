package io.glidepath.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.core.project.ResourceScope;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.kube.internal.DefaultKubeCluster;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connection to one Kubernetes cluster: discovery of its kinds, single reads, and the live state
 * of an application (the resources carrying the app's {@link TrackingId}).
 *
 * <pre>{@code
 * try (KubeCluster cluster = KubeCluster.connect(Config.autoConfigure(null))) {
 *   ResourceSet live = cluster.liveState("trade-service");
 * }
 * }</pre>
 *
 * <p>Requests that fail transiently are retried per {@link RequestRetry}; fabric8's own retries
 * must be off (they are, with {@link #connect(Config)}) so the two do not multiply. Live state is
 * read with paged lists ({@code limit}/{@code continue}) of every listable type, or of the types
 * named.
 *
 * <p>It also holds the cluster's live-state cache: one informer (list, then watch) per kind, shared
 * by every started {@link io.glidepath.kube.controller.ApplicationController} and every {@link
 * LiveWatch} built on this object, as Argo CD shares one cluster cache between its apps. Each app
 * sees only the objects that carry its {@link TrackingId}, and a change wakes only the controllers
 * of the app that owns the object. A kind's informer starts with its first user and stops when the
 * last one stops; the cache keeps only objects that carry a tracking id for themselves, once each,
 * and of every other object a fingerprint of its key (so that a sync need not read an object the
 * cache knows is not there). Argo CD Application objects have one informer too, shared by every
 * controller that follows its object, each woken only for its own object. Build every controller of
 * a cluster on the same {@code KubeCluster} to share it:
 *
 * <pre>{@code
 * KubeCluster cluster = KubeCluster.connect(Config.autoConfigure(null));
 * ApplicationController shop = ApplicationController.builder(shopApp, cluster, shopSource).build();
 * ApplicationController billing =
 *     ApplicationController.builder(billingApp, cluster, billingSource).build();
 * shop.start();
 * billing.start(); // one Deployment watch for both apps, not two
 * ...
 * shop.stop();
 * billing.stop(); // the informers stop with their last user
 * cluster.close(); // stops any informer still running
 * }</pre>
 *
 * <p>Thread-safe; share one per cluster. {@link #close()} stops the informers, and closes the
 * client only when this object created it.
 */
public interface KubeCluster extends AutoCloseable {
  /** Page size of list requests. */
  int PAGE_SIZE = 500;

  /** Connects with {@code config} (fabric8 retries turned off) and {@link RequestRetry#DEFAULT}. */
  static KubeCluster connect(Config config) {
    return connect(config, RequestRetry.DEFAULT);
  }

  /** Connects with {@code config} (fabric8 retries turned off) and {@code retry}. */
  static KubeCluster connect(Config config, RequestRetry retry) {
    return DefaultKubeCluster.connect(config, retry);
  }

  /**
   * Uses an existing client, which stays the caller's to close. Its {@code
   * requestRetryBackoffLimit} must be 0: Glidepath retries itself.
   */
  static KubeCluster of(KubernetesClient client, RequestRetry retry) {
    return DefaultKubeCluster.of(client, retry);
  }

  /** The underlying fabric8 client. */
  KubernetesClient client();

  /** The request retry policy. */
  RequestRetry retry();

  /** Every type the cluster serves, at each group's preferred version (cached; see refresh). */
  List<ResourceType> resourceTypes();

  /** The type of {@code group}/{@code kind}; discovery is refreshed once when it is not known. */
  Optional<ResourceType> resourceType(String group, String kind);

  /**
   * Which kinds are namespaced, by discovery (refreshed once for a kind it does not know); kinds
   * the cluster does not serve fall back to {@link ResourceScope#builtIn()}. For project checks:
   * {@code ProjectGuard.of(projects, cluster.scope(), clock)}.
   */
  default ResourceScope scope() {
    ResourceScope builtIn = ResourceScope.builtIn();
    return (group, kind) ->
        resourceType(group, kind)
            .map(ResourceType::namespaced)
            .orElseGet(() -> builtIn.isNamespaced(group, kind));
  }

  /** Forgets cached discovery. */
  void refreshDiscovery();

  /** The live object, or empty when it does not exist. */
  Optional<Resource> get(ResourceKey key);

  /**
   * Sends one JSON merge patch of an object's status ({@code {"status": {...}}}, with {@code
   * metadata.resourceVersion} as a precondition when it names one) where the object's type keeps
   * its status: through the {@code /status} subresource when discovery lists one, to the object
   * itself when the type has none (Argo CD's Application CRD). A CRD changed since discovery is
   * followed, so that a status is neither refused nor dropped: a {@code /status} answering 404 or
   * 405 is tried on the object, and an object whose answer kept another status than the patch set
   * is patched again through the {@code /status} that refreshed discovery then lists.
   *
   * @throws KubeException when the write is refused or not answered, with the API's status code and
   *     reason
   */
  void patchStatus(ResourceKey key, ObjectNode patch);

  /** The resources {@code app} owns, across every listable type (but Events) and namespace. */
  ResourceSet liveState(String app);

  /** The resources {@code app} owns among {@code types}. */
  ResourceSet liveState(String app, Collection<ResourceType> types);

  @Override
  void close();
}

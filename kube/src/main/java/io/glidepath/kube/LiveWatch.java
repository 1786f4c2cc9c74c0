package io.glidepath.kube;

import io.glidepath.core.resource.ResourceSet;
import io.glidepath.kube.internal.DefaultKubeCluster;
import io.glidepath.kube.internal.SharedLiveCache;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Watches the live resources of one app and tells a {@link LiveChangeListener} about changes to
 * resources the app owns by its {@link TrackingId}; changes to anything else are ignored. The
 * objects the app owns when the watch starts are reported too, as creations. {@link #liveState()}
 * is the app's live state among the watched types without a request to the API server (eventually
 * consistent: a change shows once its watch event has arrived).
 *
 * <p>The informers (list, then watch, one per type, across namespaces) are the {@link
 * KubeCluster}'s, shared with every other {@code LiveWatch} and every started {@link
 * io.glidepath.kube.controller.ApplicationController} on the same {@code KubeCluster} object: ten
 * watches of Deployments for ten apps make one Deployment watch request. A type's informer starts
 * with its first user and stops when its last user closes. It keeps only the objects that carry a
 * tracking id for themselves, once each, whichever app they belong to.
 *
 * <pre>{@code
 * try (LiveWatch watch = LiveWatch.start(cluster, "trade-service", types,
 *     (key, live) -> controller.requestReconcile())) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the informers no one else uses.
 */
public final class LiveWatch implements AutoCloseable {
  private final SharedLiveCache.Registration registration;

  private LiveWatch(SharedLiveCache.Registration registration) {
    this.registration = registration;
  }

  /**
   * Starts watching {@code types} for {@code app}; each type has its initial list when this
   * returns.
   *
   * @throws IllegalStateException when {@code cluster} is closed
   * @throws IllegalArgumentException when {@code cluster} does not come from {@link
   *     KubeCluster#connect} or {@link KubeCluster#of}
   */
  public static LiveWatch start(
      KubeCluster cluster,
      String app,
      Collection<ResourceType> types,
      LiveChangeListener listener) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(types, "types");
    Objects.requireNonNull(listener, "listener");
    SharedLiveCache.Registration r =
        DefaultKubeCluster.cast(cluster).liveCache().register(app, listener);
    try {
      r.watch(types);
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
    return new LiveWatch(r);
  }

  /**
   * The resources the app owns among the watched types, as the watch last saw them (in key order).
   * No request is sent, but on a cluster whose cache a sharded {@link
   * io.glidepath.kube.controller.ControllerManager} uses, where the objects of apps it does not run
   * are dropped: then the first call lists the kinds the app has dropped objects of, once.
   */
  public ResourceSet liveState() {
    return registration.liveState();
  }

  /** The watched types (those of the types given that can be listed). */
  public Set<ResourceType> types() {
    return registration.types();
  }

  /** Whether every informer has completed its initial list. */
  public boolean synced() {
    return registration.synced();
  }

  @Override
  public void close() {
    registration.close();
  }
}

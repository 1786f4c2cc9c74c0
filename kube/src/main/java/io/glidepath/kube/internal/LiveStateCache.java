package io.glidepath.kube.internal;

import io.glidepath.core.argocd.ResourceFilter;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.kube.LiveChangeListener;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running controller's view of its app's live resources: a registration with its cluster's {@link
 * SharedLiveCache} (one informer per kind, shared with the other controllers on the same {@link
 * io.glidepath.kube.KubeCluster}) for every kind the app owns or Git names, so that a reconcile
 * reads memory instead of listing. Kinds are added as Git names new ones and never dropped while
 * the cache runs (a kind that left Git may still hold resources to prune); {@link #close()}
 * releases them, and an informer no other controller uses stops.
 *
 * <p>The cache is eventually consistent: drift seen in it is confirmed with a GET per drifted
 * resource before anything acts on it, so a watch event still on its way never causes a sync; but
 * for a missing resource the cache vouches for (see {@link #confirm}), as Argo CD trusts its
 * cluster cache.
 */
final class LiveStateCache implements AutoCloseable {
  static final int CONFIRM_BY_GET = 20;

  private final DefaultKubeCluster cluster;
  private final String app;
  private final SharedLiveCache.Registration registration;
  // the argocd-cm filter and server the watched kinds were last pruned for (guarded by this)
  private ResourceFilter unwatchedFor;
  private String unwatchedOn;

  /**
   * Registers with the cluster's shared informers; {@code listener} hears about the app's objects.
   *
   * @throws IllegalStateException when the cluster is closed
   */
  LiveStateCache(DefaultKubeCluster cluster, String app, LiveChangeListener listener) {
    this.cluster = cluster;
    this.app = app;
    this.registration = cluster.liveCache().register(app, listener);
  }

  /** Watches {@code types} too; each new kind has its initial list when this returns. */
  void watch(Collection<ResourceType> types) {
    registration.watch(types);
  }

  /**
   * Stops watching the kinds argocd-cm's {@code filter} excludes on the cluster at {@code server};
   * nothing to do (no scan) while the filter and server stay those of the last call.
   */
  void unwatchExcluded(ResourceFilter filter, String server) {
    synchronized (this) {
      if (filter.equals(unwatchedFor) && server.equals(unwatchedOn)) {
        return;
      }
      unwatchedFor = filter;
      unwatchedOn = server;
    }
    List<ResourceType> drop =
        registration.types().stream()
            .filter(t -> filter.isExcluded(t.group(), t.kind(), server))
            .toList();
    if (!drop.isEmpty()) {
      registration.unwatch(drop);
    }
  }

  /** Whether every type in {@code types} is watched. */
  boolean covers(Collection<ResourceType> types) {
    return registration.types().containsAll(types);
  }

  /** The app's owned resources among the watched kinds, from memory. */
  ResourceSet liveState() {
    return registration.liveState();
  }

  /**
   * {@code live} with every resource {@code drift} finds out of sync read again from the API
   * server, so that only real drift remains: one GET each, or, past {@value #CONFIRM_BY_GET}
   * resources, one list of the watched kinds. A missing resource whose absence the cache vouches
   * for ({@link SharedLiveCache.Registration#vouchesForAbsence}: its kind listed and watched, no
   * write of it by this process unseen, no object at its key shown since {@code live} was read) is
   * not read: the read would answer the same.
   */
  ResourceSet confirm(ResourceSet live, DriftReport drift) {
    List<ResourceDrift> toRead =
        drift.resources().stream()
            .filter(d -> d.status().isOutOfSync())
            .filter(
                d -> d.status() != DriftStatus.MISSING || !registration.vouchesForAbsence(d.key()))
            .toList();
    if (toRead.isEmpty()) {
      return live;
    }
    if (toRead.size() > CONFIRM_BY_GET) {
      return cluster.liveState(app, registration.types());
    }
    Map<ResourceKey, Resource> byKey = new LinkedHashMap<>();
    live.forEach(r -> byKey.put(r.key(), r));
    for (ResourceDrift d : toRead) {
      Optional<Resource> found = cluster.get(d.key());
      if (found.isEmpty()) {
        cluster.liveCache().absentNow(d.key());
      }
      Optional<Resource> now = found.filter(r -> TrackingId.owns(app, r));
      if (now.isPresent()) {
        byKey.put(d.key(), now.get());
      } else {
        byKey.remove(d.key());
      }
    }
    return ResourceSet.of(byKey.values());
  }

  @Override
  public void close() {
    registration.close();
  }
}

package io.glidepath.kube.internal;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationSource;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Applications that share their parts: an equal copy of an app whose destination, sync policy and
 * the strings most apps of a fleet have in common (namespace, project, repository URL, target
 * revision) are the one instance every copy made here uses, held weakly (a part no copy uses any
 * more is forgotten). A sharded manager keeps the apps its replica does not run this way: it needs
 * their shard keys and their specs should they move here, not a model each. The copy is equal to
 * the app ({@link Application#equals}), so nothing that reads it can tell. Thread-safe.
 */
final class SharedAppParts {
  // each part as its own key, held weakly, and weakly again as the value (the instance to share)
  private final Map<Object, WeakReference<Object>> parts = new WeakHashMap<>();

  /** An app equal to {@code app} made of shared parts. */
  Application copyOf(Application app) {
    List<ApplicationSource> sources = app.sources().stream().map(this::source).toList();
    return new Application(
        app.name(),
        share(app.namespace()),
        app.labels(),
        app.annotations(),
        app.finalizers(),
        share(app.project()),
        sources.isEmpty() ? source(app.source()) : sources.get(0),
        share(app.destination()),
        share(app.syncPolicy()),
        app.ignoreDifferences(),
        app.revisionHistoryLimit(),
        app.info(),
        sources);
  }

  private ApplicationSource source(ApplicationSource s) {
    return new ApplicationSource(
        share(s.repoURL()),
        share(s.targetRevision()),
        s.path(),
        s.chart(),
        s.helm(),
        s.directory(),
        s.kustomize(),
        s.ref(),
        s.name());
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> T share(T part) {
    WeakReference<Object> kept = parts.get(part);
    Object shared = kept == null ? null : kept.get();
    if (shared != null) {
      return (T) shared;
    }
    parts.put(part, new WeakReference<>(part));
    return part;
  }

  /** For tests: how many parts are shared now. */
  synchronized int size() {
    return parts.size();
  }
}

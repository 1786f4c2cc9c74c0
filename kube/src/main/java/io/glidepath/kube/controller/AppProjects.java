package io.glidepath.kube.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.project.ProjectSourceException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.ResourceType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projects Argo CD itself would use: the {@code AppProject} objects in the cluster's Argo CD
 * namespace, followed by a watch (list, then watch, of that namespace's AppProjects, started by the
 * first {@link #find(String)}). Each object is parsed once per version, so {@link #find} sends no
 * request and answers with the same {@link Project} object until the AppProject changes: an app
 * whose project did not change reuses its last comparison, and an edited project takes effect once
 * its watch event has arrived (eventually consistent, like Argo CD's own project informer). While
 * the watch cannot be started (the kind is not served, a refused list), each {@code find} reads the
 * object with a GET, as before, and the watch is tried again a minute later.
 *
 * <pre>{@code
 * try (AppProjects projects = AppProjects.in(cluster, "argocd")) {
 *   ControllerManager.builder(cluster).projects(projects)...build();
 * }
 * }</pre>
 *
 * <p>A project is found by its name only (a DNS label, checked before any request), never by a
 * path. An AppProject that cannot be read or parsed is a {@link ProjectSourceException}: the app is
 * not synced. Thread-safe; share one per cluster and namespace (each holds its own watch). {@link
 * #close()} stops the watch (closing the cluster stops it too).
 */
public final class AppProjects implements ProjectSource, AutoCloseable {
  /** Argo CD's own namespace, where it keeps its AppProjects. */
  public static final String DEFAULT_NAMESPACE = "argocd";

  private static final Logger LOG = LoggerFactory.getLogger(AppProjects.class);

  /**
   * One AppProject as the watch last saw it: its version and its project, or why it is unusable.
   */
  private record Seen(String resourceVersion, Project project, RuntimeException error) {}

  private final KubeCluster cluster;
  private final String namespace;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private volatile SharedIndexInformer<GenericKubernetesResource> informer; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle

  /** Whether the last try to start the watch failed, and when (System.nanoTime). */
  private boolean watchFailed; // guarded by lifecycle

  private long watchFailedAt; // guarded by lifecycle

  /** How long finds use GETs after the watch could not be started, before trying it again. */
  static final long WATCH_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

  private AppProjects(KubeCluster cluster, String namespace) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    if (!ProjectSource.isValidName(namespace)) {
      throw new IllegalArgumentException("namespace must be a DNS label, but was " + namespace);
    }
  }

  /** The AppProjects of {@code namespace} in {@code cluster}. */
  public static AppProjects in(KubeCluster cluster, String namespace) {
    return new AppProjects(cluster, namespace);
  }

  @Override
  public Optional<Project> find(String name) {
    if (!ProjectSource.isValidName(name)) {
      return Optional.empty();
    }
    SharedIndexInformer<GenericKubernetesResource> watch = following();
    if (watch != null) {
      // the informer's store, not its handlers (told later, on another thread), is what the
      // initial list and each event have already updated
      GenericKubernetesResource obj = watch.getStore().getByKey(namespace + "/" + name);
      if (obj == null) {
        seen.remove(name);
        return Optional.empty();
      }
      Seen s = seen(name, obj);
      if (s.project() == null) {
        throw new ProjectSourceException(
            namespace, source(name) + ": " + s.error().getMessage(), s.error());
      }
      return Optional.of(s.project());
    }
    return get(name);
  }

  /** The watch, its initial list done (started when it is not running); null when it cannot be. */
  private SharedIndexInformer<GenericKubernetesResource> following() {
    SharedIndexInformer<GenericKubernetesResource> i = informer;
    if (i == null) {
      synchronized (lifecycle) {
        if (closed) {
          return null;
        }
        if (informer == null
            && (!watchFailed || System.nanoTime() - watchFailedAt >= WATCH_RETRY_NANOS)) {
          informer = startWatch();
          watchFailed = informer == null;
          watchFailedAt = System.nanoTime();
        }
        i = informer;
      }
    }
    return i != null && i.hasSynced() ? i : null;
  }

  /** The started watch, its initial list done; null when it cannot be started now. */
  private SharedIndexInformer<GenericKubernetesResource> startWatch() {
    Optional<ResourceType> type = cluster.resourceType("argoproj.io", "AppProject");
    if (type.isEmpty()) {
      return null; // each find's GET reports it
    }
    ResourceType t = type.get();
    SharedIndexInformer<GenericKubernetesResource> i = null;
    try {
      i =
          cluster
              .client()
              .genericKubernetesResources(
                  new ResourceDefinitionContext.Builder()
                      .withGroup(t.group())
                      .withVersion(t.version())
                      .withKind(t.kind())
                      .withPlural(t.plural())
                      .withNamespaced(true)
                      .build())
              .inNamespace(namespace)
              .runnableInformer(0);
      // after the initial list, a failed watch lists and watches again rather than going blind
      i.exceptionHandler((started, cause) -> started);
      i.run();
      return i;
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot watch the AppProjects of {} ({}); reading each with a GET",
          namespace,
          e.toString());
      if (i != null) {
        i.close();
      }
      seen.clear();
      return null;
    }
  }

  /** The AppProject {@code obj} parsed, once per version. */
  private Seen seen(String name, GenericKubernetesResource obj) {
    String version = Objects.toString(obj.getMetadata().getResourceVersion(), "");
    Seen before = seen.get(name);
    if (before != null && !version.isEmpty() && version.equals(before.resourceVersion())) {
      return before;
    }
    Seen now;
    try {
      String json = cluster.client().getKubernetesSerialization().asJson(obj);
      now = new Seen(version, Project.parse(json, source(name)), null);
    } catch (RuntimeException e) {
      now = new Seen(version, null, e);
    }
    seen.put(name, now);
    return now;
  }

  private Optional<Project> get(String name) {
    ResourceKey key = new ResourceKey("argoproj.io", "AppProject", namespace, name);
    Optional<Resource> object;
    try {
      object = cluster.get(key);
    } catch (RuntimeException e) {
      throw new ProjectSourceException(
          namespace, "cannot read AppProject " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
    try {
      return object.map(r -> Project.parse(Yaml.write(r.body()), source(name)));
    } catch (RuntimeException e) {
      throw new ProjectSourceException(namespace, source(name) + ": " + e.getMessage(), e);
    }
  }

  private String source(String name) {
    return "AppProject " + namespace + "/" + name;
  }

  /** Stops the watch; later finds read each AppProject with a GET. */
  @Override
  public void close() {
    SharedIndexInformer<GenericKubernetesResource> i;
    synchronized (lifecycle) {
      closed = true;
      i = informer;
      informer = null;
    }
    if (i != null) {
      i.close();
    }
    seen.clear();
  }

  @Override
  public String toString() {
    return "AppProjects.in(" + namespace + ")";
  }
}

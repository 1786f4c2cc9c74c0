package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.resource.Resource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.controller.ApplicationFeed;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ApplicationFeed#applicationObjects}: a listener of the cluster's one informer on Argo CD
 * Application objects (the one each app's controller reads its own object from, {@link
 * ApplicationObjectInformer}), so the process watches the kind once. The feed keeps only the keys
 * of the objects it handed to the host (and of those the host refused): an object is read when it
 * first comes, and again while the host refuses it; each app's controller follows its own object's
 * later changes.
 */
public final class ApplicationObjectFeed implements ApplicationFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationObjectFeed.class);
  private final DefaultKubeCluster cluster;
  private final String namespace;
  private Runnable stop;

  private ApplicationObjectFeed(DefaultKubeCluster cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  /** The feed of {@code cluster}'s Application objects in {@code namespace} (all when empty). */
  public static ApplicationFeed of(KubeCluster cluster, String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return new ApplicationObjectFeed(DefaultKubeCluster.cast(cluster), namespace);
  }

  @Override
  public synchronized void start(Sink sink) {
    if (stop != null) {
      return;
    }
    ResourceType type =
        cluster
            .resourceType(ApplicationObjectStatus.GROUP, ApplicationObjectStatus.KIND)
            .orElseThrow(
                () ->
                    new GlidepathException(
                        "the cluster does not serve Argo CD's Application kind"
                            + " (applications.argoproj.io): no Application objects to feed"));
    stop = cluster.liveCache().listen(type, new Handler(sink, namespace));
  }

  @Override
  public synchronized void close() {
    if (stop != null) {
      stop.run();
      stop = null;
    }
  }

  /** Hands the host each object of the namespace once, or again while the host refuses it. */
  private static final class Handler implements ApplicationObjectInformer.Listener {
    private final Sink sink;
    private final String prefix;
    // the keys of the objects handed over, and of those the host refused
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    Handler(Sink sink, String namespace) {
      this.sink = sink;
      this.prefix = namespace.isEmpty() ? "" : namespace + "/";
    }

    private boolean ours(String key) {
      return key.startsWith(prefix);
    }

    @Override
    public boolean wants(String key) {
      return ours(key) && (!known.contains(key) || refused.contains(key));
    }

    @Override
    public void seen(String key, java.util.function.Supplier<Resource> object) {
      // spec edits: each controller follows its own object; one the host refused is tried again
      // with its new spec
      if (!wants(key)) {
        return;
      }
      known.add(key);
      try {
        Resource read = object.get();
        if (read == null) {
          throw new IllegalStateException("the object's spec was not kept for its event");
        }
        sink.put(ApplicationSpec.read(read));
        refused.remove(key);
      } catch (RuntimeException e) {
        // one object the host's sources refuse must not stop the others
        refused.add(key);
        LOG.warn("Application {} not run until its object changes: {}", key, e.toString());
      }
    }

    @Override
    public void gone(String key) {
      if (!ours(key)) {
        return;
      }
      known.remove(key);
      refused.remove(key);
      sink.remove(key.substring(key.indexOf('/') + 1));
    }
  }

  /**
   * A stand-in for an informer: an object with the name and namespace of the store key {@code key}
   * ({@code namespace/name}, or {@code name}) and {@code resourceVersion}, made when the informer
   * asks instead of kept (a fabric8 object and its metadata take half a kilobyte).
   */
  static GenericKubernetesResource stub(
      String apiVersion, String kind, String key, String resourceVersion) {
    int slash = key.indexOf('/');
    ObjectMeta meta = new ObjectMeta();
    meta.setName(slash < 0 ? key : key.substring(slash + 1));
    meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
    meta.setResourceVersion(resourceVersion);
    GenericKubernetesResource stub = new GenericKubernetesResource();
    stub.setApiVersion(apiVersion);
    stub.setKind(kind);
    stub.setMetadata(meta);
    return stub;
  }
}

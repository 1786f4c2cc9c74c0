package io.glidepath.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.glidepath.core.GlidepathException;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.controller.ApplicationFeed;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ApplicationFeed#applicationObjects}: an informer on Argo CD Application objects whose
 * store keeps a stand-in per object (name, namespace, resourceVersion), so the feed holds no copy
 * of the objects; each app's controller reads its own object through the cluster's shared watch.
 */
public final class ApplicationObjectFeed implements ApplicationFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationObjectFeed.class);
  private final DefaultKubeCluster cluster;
  private final String namespace;
  private final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<GenericKubernetesResource> informer;

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
    if (informer != null) {
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
    KubernetesClient client = cluster.client();
    var resources = client.genericKubernetesResources(SharedLiveCache.definition(type));
    SharedIndexInformer<GenericKubernetesResource> i =
        (namespace.isEmpty() ? resources.inAnyNamespace() : resources.inNamespace(namespace))
            .runnableInformer(0);
    StubStore store = new StubStore(client.getKubernetesSerialization(), refused);
    i.removeNamespaceIndex()
        .itemStore(store)
        .addEventHandler(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(GenericKubernetesResource obj) {
                run(Cache.metaNamespaceKeyFunc(obj), store.full(obj));
              }

              @Override
              public void onUpdate(
                  GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                // spec edits: each controller follows its own object; one the host refused is
                // tried again with its new spec
                String key = Cache.metaNamespaceKeyFunc(newObj);
                byte[] full = store.full(newObj);
                if (full != null && refused.contains(key)) {
                  run(key, full);
                }
              }

              private void run(String key, byte[] object) {
                try {
                  if (object == null) {
                    throw new IllegalStateException("the object's spec was not kept for its event");
                  }
                  sink.put(ApplicationSpec.read(store.packed.resource(object)));
                  refused.remove(key);
                } catch (RuntimeException e) {
                  // one object the host's sources refuse must not stop the others
                  refused.add(key);
                  LOG.warn(
                      "Application {} not run until its object changes: {}", key, e.toString());
                }
              }

              @Override
              public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                store.full(obj);
                refused.remove(Cache.metaNamespaceKeyFunc(obj));
                sink.remove(obj.getMetadata().getName());
              }
            });
    SharedLiveCache.keepRetrying(i, "argoproj.io/Application");
    informer = i;
    i.run();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
  }

  /**
   * Keeps only what the informer needs to key objects and compare versions. The informer hands its
   * handlers what the store holds (a stand-in), so what the handler reads of an object it acts on
   * (a new one, or one the host refused: not the status writes to every running app's object) is
   * kept aside until the handler has taken it ({@link #full}), as the packed JSON of the part the
   * Application is read from: at most the objects whose events are in flight, a few hundred bytes
   * each, however far the handler falls behind.
   */
  private static final class StubStore implements ItemStore<GenericKubernetesResource> {
    // per object its resourceVersion; the stand-in is made when asked for
    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> pending = new ConcurrentHashMap<>();
    private final java.util.Set<String> refused;
    private final io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization;
    final PackedJson packed = new PackedJson();
    private volatile String apiVersion = "";
    private volatile String kind = "";

    StubStore(
        io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization,
        java.util.Set<String> refused) {
      this.serialization = serialization;
      this.refused = refused;
    }

    /** What was kept of the object last put for {@code stub}'s key (null: nothing). */
    byte[] full(GenericKubernetesResource stub) {
      return pending.remove(getKey(stub));
    }

    @Override
    public String getKey(GenericKubernetesResource obj) {
      return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
      if (!versions.containsKey(key) || refused.contains(key) || pending.containsKey(key)) {
        pending.put(
            key,
            packed.pack(
                ApplicationSpec.trimmed(Yaml.mapper().readTree(serialization.asJson(obj)))));
      }
      if (obj.getApiVersion() != null && obj.getKind() != null) {
        apiVersion = obj.getApiVersion();
        kind = obj.getKind();
      }
      return stub(key, versions.put(key, obj.getMetadata().getResourceVersion()));
    }

    @Override
    public GenericKubernetesResource remove(String key) {
      pending.remove(key);
      return stub(key, versions.remove(key));
    }

    @Override
    public Stream<String> keySet() {
      return versions.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return versions.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
      return versions.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      return stub(key, versions.get(key));
    }

    private GenericKubernetesResource stub(String key, String resourceVersion) {
      return resourceVersion == null
          ? null
          : ApplicationObjectFeed.stub(apiVersion, kind, key, resourceVersion);
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

package io.glidepath.kube.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.KubeException;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link KubeCluster} implementation. */
public final class DefaultKubeCluster implements KubeCluster {
  private final KubernetesClient client;
  private final boolean owned;
  private final Vertx vertx; // the owned client's event loops, or null
  private final ExecutorService tasks; // the owned client's task executor, or null
  private final RequestRetry retry;
  private final KubeApi api;
  private final StatusWriter statusWriter = new StatusWriter(this);
  private volatile List<ResourceType> types;
  private SharedLiveCache liveCache; // guarded by this; created on first use
  private StatusConfigMaps statusConfigMaps; // guarded by this; created on first use
  private boolean closed; // guarded by this

  private DefaultKubeCluster(
      KubernetesClient client,
      boolean owned,
      RequestRetry retry,
      Vertx vertx,
      ExecutorService tasks) {
    this.client = client;
    this.vertx = vertx;
    this.tasks = tasks;
    this.owned = owned;
    this.retry = retry;
    Config c = client.getConfiguration();
    long timeout = c.getRequestTimeout() > 0 ? c.getRequestTimeout() : 10_000;
    this.api = new KubeApi(client.getHttpClient(), c.getMasterUrl(), retry, timeout);
  }

  /** See {@link KubeCluster#connect(Config, RequestRetry)}. */
  public static KubeCluster connect(Config config, RequestRetry retry) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(retry, "retry");
    Config noRetries = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
    // watch events and generic lists parsed once, into the trees the informers keep
    KubernetesClientBuilder builder =
        new KubernetesClientBuilder()
            .withConfig(noRetries)
            .withKubernetesSerialization(new WireSerialization());
    Vertx vertx = null;
    ExecutorService tasks = null;
    if (HttpClientUtils.getHttpClientFactory() instanceof Vertx5HttpClientFactory) {
      // fabric8 stops its own Vert.x and task executor the moment the client closes, while the
      // close of its watches, and a watch event being handled, still run on them (a logged
      // RejectedExecutionException); these are stopped by close() one after the other
      vertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
      tasks = Executors.newCachedThreadPool(DefaultKubeCluster::daemon);
      builder.withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).withTaskExecutor(tasks);
    }
    return new DefaultKubeCluster(builder.build(), true, retry, vertx, tasks);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "glidepath-kube-client");
    t.setDaemon(true);
    return t;
  }

  /** See {@link KubeCluster#of(KubernetesClient, RequestRetry)}. */
  public static KubeCluster of(KubernetesClient client, RequestRetry retry) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(retry, "retry");
    int limit = client.getConfiguration().getRequestRetryBackoffLimit();
    if (limit > 0) {
      throw new IllegalArgumentException(
          "client requestRetryBackoffLimit must be 0 (Glidepath retries itself), but was " + limit);
    }
    return new DefaultKubeCluster(client, false, retry, null, null);
  }

  /** The casting bridge for the other implementations in this module. */
  public static DefaultKubeCluster cast(KubeCluster cluster) {
    if (cluster instanceof DefaultKubeCluster d) {
      return d;
    }
    throw new IllegalArgumentException(
        "cluster must come from KubeCluster.connect or KubeCluster.of, but was "
            + cluster.getClass().getName());
  }

  /** The raw API. */
  public KubeApi api() {
    return api;
  }

  /** Writes objects' status where their types keep it. */
  StatusWriter statusWriter() {
    return statusWriter;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public RequestRetry retry() {
    return retry;
  }

  @Override
  public List<ResourceType> resourceTypes() {
    List<ResourceType> t = types;
    if (t == null) {
      t = discover();
      types = t;
    }
    return t;
  }

  @Override
  public Optional<ResourceType> resourceType(String group, String kind) {
    Optional<ResourceType> found = find(resourceTypes(), group, kind);
    if (found.isEmpty()) {
      refreshDiscovery();
      found = find(resourceTypes(), group, kind);
    }
    return found;
  }

  /** The type of {@code key}, or a KubeException naming it when the cluster does not serve it. */
  public ResourceType typeOf(ResourceKey key) {
    return resourceType(key.group(), key.kind())
        .orElseThrow(
            () ->
                new KubeException(
                    key,
                    404,
                    "NotFound",
                    "the cluster does not serve kind "
                        + (key.group().isEmpty() ? "" : key.group() + "/")
                        + key.kind()
                        + " (for "
                        + key
                        + ")"));
  }

  private static Optional<ResourceType> find(List<ResourceType> types, String group, String kind) {
    return types.stream().filter(t -> t.group().equals(group) && t.kind().equals(kind)).findFirst();
  }

  @Override
  public void patchStatus(ResourceKey key, ObjectNode patch) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(patch, "patch");
    KubeApi.Answer a = statusWriter.patch(key, patch, false);
    if (!a.ok()) {
      throw new KubeException(key, a.code(), a.reason(), StatusWriter.notSaved(key, a));
    }
  }

  @Override
  public void refreshDiscovery() {
    types = null;
  }

  private List<ResourceType> discover() {
    List<ResourceType> out = new ArrayList<>();
    addGroupVersion(out, "", "v1", "/api/v1");
    KubeApi.Answer groups = api.send("GET", "/apis", null, null, null);
    if (!groups.ok()) {
      throw KubeApi.failure(groups, "discovery of /apis", null);
    }
    for (JsonNode g : groups.body().path("groups")) {
      String name = g.path("name").asString("");
      String version = g.path("preferredVersion").path("version").asString("");
      if (version.isEmpty() && g.path("versions").size() > 0) {
        version = g.path("versions").get(0).path("version").asString("");
      }
      if (!name.isEmpty() && !version.isEmpty()) {
        addGroupVersion(out, name, version, "/apis/" + name + "/" + version);
      }
    }
    return List.copyOf(out);
  }

  private void addGroupVersion(List<ResourceType> out, String group, String version, String path) {
    KubeApi.Answer a = api.send("GET", path, null, null, null);
    if (!a.ok()) {
      // an unavailable aggregated API must not hide the rest of the cluster
      return;
    }
    // a kind's subresources are listed as "<plural>/<name>" (e.g. deployments/status)
    out.addAll(ResourceType.fromDiscovery(group, version, a.body()));
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    ResourceType type = typeOf(key);
    if (type.namespaced() && key.namespace().isEmpty()) {
      throw new IllegalArgumentException(
          "key must name a namespace: " + type.kind() + " is namespaced, but was " + key);
    }
    KubeApi.Answer a = api.send("GET", type.itemPath(key.namespace(), key.name()), null, null, key);
    if (a.code() == 404) {
      return Optional.empty();
    }
    if (!a.ok()) {
      throw KubeApi.failure(a, "GET " + key, key);
    }
    return Optional.of(Resource.of(a.body()));
  }

  @Override
  public ResourceSet liveState(String app) {
    // Events are never applied from Git and can number in the thousands: not worth a list
    List<ResourceType> listable =
        resourceTypes().stream()
            .filter(ResourceType::listable)
            .filter(t -> !t.kind().equals("Event"))
            .toList();
    return liveState(app, listable);
  }

  @Override
  public ResourceSet liveState(String app, Collection<ResourceType> types) {
    Objects.requireNonNull(app, "app");
    List<Resource> owned = new ArrayList<>();
    for (ResourceType type : types) {
      list(type, "", r -> TrackingId.owns(app, r), owned);
    }
    return ResourceSet.of(owned);
  }

  /**
   * Every top-level object (no owner references) of every listable namespaced type but Events in
   * {@code namespace}, owned by an app or not.
   */
  public ResourceSet namespaceContents(String namespace) {
    List<Resource> out = new ArrayList<>();
    for (ResourceType type : resourceTypes()) {
      if (type.listable() && type.namespaced() && !type.kind().equals("Event")) {
        list(type, namespace, r -> r.body().at("/metadata/ownerReferences").isEmpty(), out);
      }
    }
    return ResourceSet.of(out);
  }

  /**
   * Adds to {@code into} the objects of {@code type} in {@code namespace} (all when empty) that
   * {@code keep} accepts, listed page by page.
   */
  void list(
      ResourceType type,
      String namespace,
      java.util.function.Predicate<Resource> keep,
      List<Resource> into) {
    String cont = "";
    do {
      String path =
          type.collectionPath(namespace)
              + "?limit="
              + PAGE_SIZE
              + (cont.isEmpty()
                  ? ""
                  : "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8));
      KubeApi.Answer a = api.send("GET", path, null, null, null);
      if (!a.ok()) {
        throw KubeApi.failure(a, "list of " + type.apiVersion() + " " + type.kind(), null);
      }
      for (JsonNode item : a.body().path("items")) {
        if (!item.has("apiVersion") || !item.has("kind")) {
          // list items may come without their type: put it back
          item =
              ((tools.jackson.databind.node.ObjectNode) item.deepCopy())
                  .put("apiVersion", type.apiVersion())
                  .put("kind", type.kind());
        }
        Resource r = Resource.of(item);
        if (keep.test(r)) {
          into.add(r);
        }
      }
      cont = a.body().path("metadata").path("continue").asString("");
    } while (!cont.isEmpty());
  }

  /**
   * The informers shared by every started controller and {@link io.glidepath.kube.LiveWatch} on
   * this cluster object (created on first use; stopped by {@link #close()}).
   */
  public synchronized SharedLiveCache liveCache() {
    if (closed) {
      throw new IllegalStateException("the KubeCluster is closed: its informers are stopped");
    }
    if (liveCache == null) {
      liveCache = new SharedLiveCache(this);
      api.onWrite(liveCache.writes());
    }
    return liveCache;
  }

  /**
   * Which status ConfigMaps exist, watched per status namespace for the controllers a manager runs
   * (created on first use; stopped by {@link #close()}, after which it watches nothing).
   */
  synchronized StatusConfigMaps statusConfigMaps() {
    if (statusConfigMaps == null) {
      statusConfigMaps = new StatusConfigMaps(client);
      if (closed) {
        statusConfigMaps.close(); // watches nothing: every question is answered "may exist"
      }
    }
    return statusConfigMaps;
  }

  /**
   * Whether this cluster object's shared cache, if one runs, vouches that a read of {@code key}
   * would find no object ({@link SharedLiveCache#vouchesNoObjectAt}); never starts the cache.
   */
  boolean vouchesNoObjectAt(ResourceKey key) {
    SharedLiveCache c;
    synchronized (this) {
      c = closed ? null : liveCache;
    }
    return c != null && c.vouchesNoObjectAt(key);
  }

  @Override
  public void close() {
    SharedLiveCache c;
    StatusConfigMaps s;
    synchronized (this) {
      closed = true;
      c = liveCache;
      s = statusConfigMaps;
    }
    if (s != null) {
      s.close();
    }
    if (c != null) {
      c.close();
    }
    if (owned) {
      client.close();
    }
    try {
      if (tasks != null) {
        tasks.shutdown();
        tasks.awaitTermination(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      }
      if (vertx != null) {
        vertx.close().await(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      // its threads are daemons: a close still running does not hold the JVM
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long {@link #close()} waits for the client's connections and watches to close. */
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
}

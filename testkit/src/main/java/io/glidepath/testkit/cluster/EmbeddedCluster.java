package io.glidepath.testkit.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.mockwebserver.MockWebServer;
import io.glidepath.testkit.internal.cluster.ApiResource;
import io.glidepath.testkit.internal.cluster.ApiResources;
import io.glidepath.testkit.internal.cluster.ClusterDispatcher;
import io.glidepath.testkit.internal.cluster.Json;
import io.glidepath.testkit.internal.cluster.SimulatedController;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process stand-in for a Kubernetes API server, listening on 127.0.0.1, for tests and demos
 * (no real kube-apiserver can be run on the machines Glidepath is built on).
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().readyDelay(Duration.ofSeconds(2)).start()) {
 *   KubernetesClient client = cluster.client();
 *   Path kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig"));   // for kubectl
 *   cluster.inject(Fault.status(500).on(Verb.APPLY).withRate(0.2));
 *   ...
 *   assertThat(cluster.writes()).isEmpty();
 * }
 * }</pre>
 *
 * <h2>What it approximates</h2>
 *
 * <p>The web server is fabric8's {@code kubernetes-server-mock} 8.0.0; storage, reads, watches and
 * every write are Glidepath's own handler's on top of it:
 *
 * <ul>
 *   <li><b>Server-side apply</b> ({@code PATCH application/apply-patch+yaml}, JSON or YAML body):
 *       creates the object when missing; merges with apply's list semantics for the built-in
 *       associative lists (containers, initContainers, env, volumes, imagePullSecrets by name;
 *       volumeMounts by mountPath; container ports by containerPort+protocol; service ports by
 *       port+protocol; ownerReferences by uid; conditions by type), atomic lists otherwise; records
 *       {@code metadata.managedFields} ({@code FieldsV1}) per field manager; removes fields the
 *       same manager applied before and no longer applies (unless another manager owns them);
 *       answers 409 with {@code FieldManagerConflict} causes when a field whose value would change
 *       is owned by another manager, unless {@code force=true}, which takes the ownership. A {@code
 *       fieldManager} is required.
 *   <li><b>Update ownership</b>: create, update and the other patches record an {@code Update}
 *       entry for the manager ({@code fieldManager}, else the User-Agent's product) owning the
 *       fields they changed, taken from other managers, as the API server does.
 *   <li><b>JSON merge patch</b> per RFC 7386 (lists replace; the stock mock appends); <b>JSON
 *       patch</b> per RFC 6902; <b>strategic merge patch</b> approximated by the apply merge above
 *       plus {@code null} deletion and {@code $patch: delete} on list items (other directives are
 *       ignored).
 *   <li>{@code dryRun=All} on every write: validated and answered, nothing stored, no event.
 *   <li>Optimistic concurrency: a write carrying a stale {@code metadata.resourceVersion} gets 409,
 *       and so does a delete whose {@code DeleteOptions} preconditions ({@code uid}, {@code
 *       resourceVersion}) do not match.
 *   <li>The status subresource, as kube-apiserver: a kind that has one (the built-in kinds with a
 *       status, and a CRD that declares {@code subresources.status}) keeps its stored status on
 *       writes to the object (a create stores none), writes to {@code /status} change only the
 *       status, and {@code metadata.generation} moves when anything but metadata and status
 *       changes. A kind without one (ConfigMap, Secret, RBAC kinds and the like; a CRD that
 *       declares none, among them Argo CD's Application and AppProject and Argo Rollouts'
 *       AnalysisRun, AnalysisTemplate and Experiment) answers 404 on {@code /status}, has no {@code
 *       <plural>/status} in discovery, stores the status sent with the object, and moves its
 *       generation on any change but metadata. {@link Builder#customResource(String, String,
 *       String, String, boolean, boolean)} gives a kind the other variant.
 *   <li>Namespaces: namespaced objects can only be created in an existing Namespace ({@code
 *       default}, {@code kube-system} and {@code kube-public} exist from the start); deleting a
 *       Namespace deletes its objects.
 *   <li>Deletion: finalizers hold an object with a {@code deletionTimestamp}; garbage collection by
 *       {@code ownerReferences} deletes dependents (Background and Foreground alike, synchronously)
 *       or strips the reference (Orphan).
 *   <li>Label selectors ({@code =}, {@code ==}, {@code !=}, {@code in}, {@code notin}, exists,
 *       {@code !}) and {@code metadata.*} field selectors on lists and collection deletes.
 *   <li>Discovery ({@code /version} reporting 1.32, {@code /api}, {@code /apis}, group and
 *       group-version documents) for the built-in kinds Glidepath uses and the CRDs of Argo
 *       Rollouts and CD (Rollout, AnalysisTemplate, ClusterAnalysisTemplate, AnalysisRun,
 *       Experiment, Application, AppProject, ApplicationSet), Istio (VirtualService,
 *       DestinationRule), Gateway API (HTTPRoute, Gateway), SMI (TrafficSplit), Ambassador
 *       (Mapping), AWS App Mesh (VirtualService, VirtualRouter, VirtualNode), APISIX (ApisixRoute)
 *       and Traefik (TraefikService); a CustomResourceDefinition created through the API is served
 *       too. {@code kubectl get}, {@code kubectl apply} (server-side and client-side) and {@code
 *       kubectl delete} work against it (pass {@code --cache-dir} to keep discovery caches apart).
 *   <li>A simulated controller: a Deployment gets a ReplicaSet named {@code
 *       <name>-<pod-template-hash>} (owner reference, revision annotation; older ReplicaSets scaled
 *       to zero once the new one is available, at once for {@code Recreate}); ReplicaSets,
 *       StatefulSets, DaemonSets (one node) and Deployments report ready and available replicas,
 *       {@code observedGeneration} and the Available/Progressing conditions once {@link
 *       Builder#readyDelay(Duration)} has passed on the cluster's clock since the current
 *       generation was first seen; Jobs finish after the same delay as the {@link JobRule} says (by
 *       default they complete). An object annotated {@code testkit.glidepath.io/ready: "false"}
 *       never becomes ready and such a Job fails. It runs every {@link
 *       Builder#controllerPeriod(Duration)} on a daemon thread, or only when {@link #reconcile()}
 *       is called after {@link Builder#manualController()}.
 *   <li>Fault injection per verb and kind ({@link #inject(Fault)}), raw messages on the open
 *       watches ({@link #sendToWatches(String)}) and a request log ({@link #requests()}, {@link
 *       #writes()}).
 * </ul>
 *
 * <h2>What it does not do</h2>
 *
 * <p>No Pods, kubelet, scheduler, Services' endpoints or networking; no admission, defaulting or
 * schema validation (a misspelled field is stored as sent, whatever {@code fieldValidation} asks);
 * no RBAC or authentication (plain HTTP, no credentials); no aggregated discovery; the OpenAPI v3
 * documents hold only the PATCH operations with their group-version-kind and parameters (enough for
 * {@code kubectl} to leave validation to the server), no schemas, and there is no OpenAPI v2;
 * apply's ownership is tracked per leaf field (not for maps as a whole), and {@code
 * x-kubernetes-list-type: set} lists are atomic; watches start from now ({@code resourceVersion} in
 * a watch is ignored) and lists are not paged ({@code limit} is ignored); no {@code 410 Gone};
 * foreground deletion does not leave the owner visible while dependents go; no rolling-update surge
 * arithmetic ({@code maxSurge}/{@code maxUnavailable}); pod-template hashes differ from
 * kube-controller-manager's.
 *
 * <p>Thread-safe. Close it to stop the server and the controller.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private final MockWebServer server;
  private final ClusterDispatcher dispatcher;
  private final SimulatedController controller;
  private final ScheduledExecutorService loop;
  private final List<KubernetesClient> clients = new ArrayList<>();
  // the clients' event loops, the cluster's to stop once the clients have hung up (fabric8 stops a
  // Vert.x of its own at once on close, racing the close of its connections and watches)
  private Vertx clientVertx;
  private ExecutorService clientTasks;

  /** How long each step of {@link #close()} may wait for what is closing to finish. */
  static final long CLOSE_GRACE_MILLIS = 2_000;

  /**
   * MockWebServer logs every request at INFO through java.util.logging, which costs more than the
   * request itself; the request log ({@link #requests()}) is the record. Held here because JUL
   * keeps loggers weakly.
   */
  private static final Logger SERVER_LOG = quiet(MockWebServer.class.getName());

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }

  private EmbeddedCluster(Builder b) {
    ApiResources resources = ApiResources.standard();
    b.customResources.forEach(resources::add);
    this.dispatcher = new ClusterDispatcher(resources, b.clock, b.seed);
    this.controller = new SimulatedController(dispatcher, b.clock, b.readyDelay);
    controller.jobRule(b.jobRule);
    this.server = new MockWebServer();
    server.setDispatcher(dispatcher);
    // MockWebServer keeps every request in a queue for takeRequest(), which nothing here reads:
    // drained after each request, so a long-running cluster (the demo, a long test suite) does not
    // grow with its traffic. The cluster's own request log is requests().
    dispatcher.afterEachRequest(this::forgetServerQueue);
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dispatcher.serverAddress("127.0.0.1:" + server.getPort());
    ApiResource namespace = resources.byKind("v1", "Namespace").orElseThrow();
    for (String ns : List.of("default", "kube-system", "kube-public")) {
      ObjectNode o = Json.object();
      o.put("apiVersion", "v1");
      o.put("kind", "Namespace");
      o.putObject("metadata").put("name", ns);
      o.putObject("status").put("phase", "Active");
      dispatcher.store(namespace, null, o, false);
    }
    if (b.manual) {
      loop = null;
    } else {
      loop =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "embedded-cluster-controller-" + server.getPort());
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(1, b.controllerPeriod.toMillis());
      loop.scheduleWithFixedDelay(this::reconcileQuietly, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether MockWebServer's own request queue holds a request (for tests: it should not). */
  boolean serverQueueHoldsARequest() throws InterruptedException {
    return server.takeRequest(0, TimeUnit.MILLISECONDS) != null;
  }

  private void forgetServerQueue() {
    try {
      while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // drop it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a cluster with the defaults: system clock, ready at once, controller every 20 ms. */
  public static EmbeddedCluster start() {
    return builder().start();
  }

  /** A builder for a cluster with non-default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return server.getPort();
  }

  /**
   * A fabric8 configuration for this cluster (namespace {@code default}; no kubeconfig or
   * environment is read). fabric8's own request retries are left at their defaults: set {@code
   * requestRetryBackoffLimit} to 0 when the code under test retries itself.
   */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withHttp2Disable(true)
        .build();
  }

  /** A new client for this cluster, closed with the cluster. */
  public KubernetesClient client() {
    synchronized (clients) {
      if (clientVertx == null) {
        clientVertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
        clientTasks =
            Executors.newCachedThreadPool(
                r -> {
                  Thread t = new Thread(r, "embedded-cluster-client-" + server.getPort());
                  t.setDaemon(true);
                  return t;
                });
      }
      KubernetesClient c =
          new KubernetesClientBuilder()
              .withConfig(config())
              .withHttpClientFactory(new Vertx5HttpClientFactory(clientVertx))
              .withTaskExecutor(clientTasks)
              .build();
      clients.add(c);
      return c;
    }
  }

  /**
   * Creates, or replaces, through the API the {@code apiextensions.k8s.io/v1}
   * CustomResourceDefinition of a namespaced kind served at one version, with a {@code status}
   * subresource or without one: from then on the cluster serves the kind as that CRD says (objects
   * of the kind are kept), as kube-apiserver does after a CRD changes. For clients whose cached
   * discovery no longer matches the cluster.
   */
  public void defineCustomResource(
      String group, String version, String kind, String plural, boolean statusSubresource) {
    String crd =
        """
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "%4$s.%1$s"},
         "spec": {"group": "%1$s", "scope": "Namespaced",
          "names": {"kind": "%3$s", "plural": "%4$s"},
          "versions": [{"name": "%2$s", "served": true, "storage": true%5$s}]}}
        """
            .formatted(
                group,
                version,
                kind,
                plural,
                statusSubresource ? ", \"subresources\": {\"status\": {}}" : "");
    client().resource(crd).createOr(r -> r.update());
  }

  /** Writes a kubeconfig for {@code kubectl --kubeconfig FILE} and returns {@code file}. */
  public Path writeKubeconfig(Path file) {
    String yaml =
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: embedded\n"
            + "  cluster:\n"
            + "    server: "
            + url()
            + "\n"
            + "users:\n"
            + "- name: embedded\n"
            + "  user: {}\n"
            + "contexts:\n"
            + "- name: embedded\n"
            + "  context:\n"
            + "    cluster: embedded\n"
            + "    user: embedded\n"
            + "    namespace: default\n"
            + "current-context: embedded\n";
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Injects {@code fault} into matching requests from now on. */
  public void inject(Fault fault) {
    dispatcher.inject(Objects.requireNonNull(fault, "fault"));
  }

  /** Removes every injected fault. */
  public void clearFaults() {
    dispatcher.clearFaults();
  }

  /**
   * Sends {@code message} as it is, as one watch event, on every open watch: a malformed event
   * (e.g. {@code "not json"}) makes fabric8 end the watch with an error, which its informers by
   * default take as fatal (they stop for good).
   *
   * @return how many watches were open
   */
  public int sendToWatches(String message) {
    return dispatcher.sendToWatches(Objects.requireNonNull(message, "message"));
  }

  /** Every request answered so far (including failed and dry-run ones), oldest first. */
  public List<RecordedCall> requests() {
    return dispatcher.requests();
  }

  /**
   * The successful, non-dry-run write calls ({@link RecordedCall#successfulWrite()}), including
   * applies that changed nothing.
   */
  public List<RecordedCall> writes() {
    return dispatcher.requests().stream().filter(RecordedCall::successfulWrite).toList();
  }

  /** Empties the request log. */
  public void clearRequests() {
    dispatcher.clearRequests();
  }

  /** Runs the simulated controller once, on the caller's thread. */
  public void reconcile() {
    controller.reconcile();
  }

  /** Changes the delay after which workloads become ready. */
  public void readyDelay(Duration delay) {
    controller.readyDelay(requireNonNegative("delay", delay));
  }

  /** Changes how the simulated controller finishes Jobs (default {@link JobRule#DEFAULT}). */
  public void jobRule(JobRule rule) {
    controller.jobRule(rule);
  }

  private void reconcileQuietly() {
    try {
      controller.reconcile();
    } catch (RuntimeException e) {
      // a failed pass is retried on the next tick; the loop must survive it
    }
  }

  /**
   * Stops the simulated controller, closes the clients made by {@link #client()}, lets the close
   * callbacks of watches that are closing finish, lets the clients' watch events in hand finish and
   * stops their event loops (each wait up to 2 s), then stops the server. In that order nothing is
   * left running on an event loop when it stops: a watch's close callback or a watch event being
   * handled would otherwise hit a stopped executor and log a {@code RejectedExecutionException}.
   * Close your own clients first.
   */
  @Override
  public void close() {
    try {
      if (loop != null) {
        loop.shutdownNow();
        loop.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
      Vertx vertx;
      ExecutorService tasks;
      synchronized (clients) {
        clients.forEach(KubernetesClient::close);
        clients.clear();
        vertx = clientVertx;
        tasks = clientTasks;
        clientVertx = null;
        clientTasks = null;
      }
      // the close callbacks of watches that are closing run on the server's behalf
      dispatcher.awaitWatchCallbacks(CLOSE_GRACE_MILLIS);
      if (tasks != null) {
        // a watch event still being handled asks the client's event loop for the next one
        tasks.shutdown();
        tasks.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
      if (vertx != null) {
        try {
          vertx.close().await(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // the server stops anyway; a client still closing may then log a rejected task
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.shutdown();
    }
  }

  private static Duration requireNonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, but was " + d);
    }
    return d;
  }

  /**
   * Settings of an {@link EmbeddedCluster}. Defaults: {@link Clock#systemUTC()}, {@link
   * #DEFAULT_READY_DELAY}, {@link #DEFAULT_CONTROLLER_PERIOD}, seed 0, the controller on its own
   * thread. Not thread-safe.
   */
  public static final class Builder {
    /** Workloads are ready as soon as the controller sees them. */
    public static final Duration DEFAULT_READY_DELAY = Duration.ZERO;

    /** How often the controller thread runs. */
    public static final Duration DEFAULT_CONTROLLER_PERIOD = Duration.ofMillis(20);

    private Clock clock = Clock.systemUTC();
    private Duration readyDelay = DEFAULT_READY_DELAY;
    private Duration controllerPeriod = DEFAULT_CONTROLLER_PERIOD;
    private boolean manual;
    private long seed;
    private final List<ApiResource> customResources = new ArrayList<>();
    private JobRule jobRule = JobRule.DEFAULT;

    private Builder() {}

    /** How the simulated controller finishes Jobs (default {@link JobRule#DEFAULT}). */
    public Builder jobRule(JobRule rule) {
      this.jobRule = Objects.requireNonNull(rule, "jobRule");
      return this;
    }

    /** The clock for timestamps and readiness, e.g. a {@code ManualClock}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long after the controller first sees a workload's generation it reports it ready. */
    public Builder readyDelay(Duration delay) {
      this.readyDelay = requireNonNegative("readyDelay", delay);
      return this;
    }

    /** How often the controller runs on its own thread; must be positive. */
    public Builder controllerPeriod(Duration period) {
      Objects.requireNonNull(period, "controllerPeriod");
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("controllerPeriod must be positive, but was " + period);
      }
      this.controllerPeriod = period;
      return this;
    }

    /** No controller thread: the controller runs only when the test calls {@link #reconcile()}. */
    public Builder manualController() {
      this.manual = true;
      return this;
    }

    /** The seed of the random source that decides which requests a fault hits. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Serves an extra custom resource type ({@code group}, {@code version}, {@code kind}, {@code
     * plural}) besides the built-in ones, with a {@code status} subresource; one with the same
     * group, version and plural as a built-in type replaces it.
     */
    public Builder customResource(
        String group, String version, String kind, String plural, boolean namespaced) {
      return customResource(group, version, kind, plural, namespaced, true);
    }

    /**
     * As {@link #customResource(String, String, String, String, boolean)}, with a {@code status}
     * subresource or without one ({@code statusSubresource} false: {@code /status} answers 404,
     * discovery lists no {@code <plural>/status}, and writes to the object write its status too).
     * E.g. Argo CD's Application with one, unlike Argo CD's CRD: {@code
     * customResource("argoproj.io", "v1alpha1", "Application", "applications", true, true)}.
     */
    public Builder customResource(
        String group,
        String version,
        String kind,
        String plural,
        boolean namespaced,
        boolean statusSubresource) {
      customResources.add(
          new ApiResource(
              group, version, kind, plural, namespaced, true, List.of(), statusSubresource));
      return this;
    }

    /** Starts the cluster. */
    public EmbeddedCluster start() {
      return new EmbeddedCluster(this);
    }
  }
}

package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.LiveWatch;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Controllers on one KubeCluster share one informer per kind and each sees only its own app. */
class SharedLiveCacheIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> syncs = new ConcurrentHashMap<>();
  private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  /**
   * The seed app renamed to {@code name}, in namespace {@code name}: a ConfigMap {@code
   * <name>-config} and a Deployment {@code name}.
   */
  private ApplicationController controller(String name) throws IOException {
    String yaml;
    try (InputStream in = SharedLiveCacheIT.class.getResourceAsStream("/argocd-app.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Application app =
        Application.parse(
            yaml.replace("  name: trade-service\n", "  name: " + name + "\n")
                .replace("namespace: production", "namespace: " + name),
            name);
    String rendered = TradeServiceManifests.RENDERED.replace("trade-service", name);
    DesiredState desired =
        new DesiredState("rev-1", ResourceSet.of(Yaml.readResources(rendered, name + ".yaml")));
    reconciles.put(name, new AtomicInteger());
    syncs.put(name, new AtomicInteger());
    return ApplicationController.builder(app, cluster, () -> desired)
        .statusNamespace("default")
        .selfHealBackoff(Duration.ofSeconds(1))
        .resyncPeriod(Duration.ofHours(1))
        .projects(ProjectSource.of(Project.permissive("production")))
        .listener(
            new ControllerListener() {
              @Override
              public void reconciled(AppStatus status) {
                reconciles.get(status.app()).incrementAndGet();
                events.add(status.app() + " reconciled: " + status.message());
              }

              @Override
              public void syncStarted(String app, String revision, SyncReason reason) {
                syncs.get(app).incrementAndGet();
                events.add(app + " " + reason);
              }

              @Override
              public void syncFinished(String app, io.glidepath.kube.sync.SyncResult result) {
                events.add(app + " finished " + result.succeeded() + " " + result.message());
              }
            })
        .build();
  }

  private void editReplicas(String app, int replicas) {
    cluster
        .client()
        .apps()
        .deployments()
        .inNamespace(app)
        .withName(app)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-edit")
                .build(),
            "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private int replicas(String app) {
    return cluster
        .get(new ResourceKey("apps", "Deployment", app, app))
        .orElseThrow()
        .body()
        .at("/spec/replicas")
        .asInt();
  }

  private int totalReconciles() {
    return reconciles.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /**
   * Waits until every app's Deployment is rolled out (the simulated controller writes no more
   * status, which would wake its app) and then no controller has reconciled for a second.
   */
  private void quiet() throws InterruptedException {
    for (String app : reconciles.keySet()) {
      eventually(WAIT, () -> rolledOut(app), app + "'s Deployment is rolled out");
    }
    int seen;
    do {
      seen = totalReconciles();
      Thread.sleep(1000);
    } while (totalReconciles() != seen);
  }

  private boolean rolledOut(String app) {
    JsonNode d = cluster.get(new ResourceKey("apps", "Deployment", app, app)).orElseThrow().body();
    return d.at("/status/availableReplicas").asInt(0) == d.at("/spec/replicas").asInt()
        && d.at("/status/observedGeneration").asLong(0) >= d.at("/metadata/generation").asLong();
  }

  private Map<String, Long> watchesByKind() {
    return embedded.requests().stream()
        .filter(c -> c.verb() == Verb.WATCH)
        .collect(Collectors.groupingBy(RecordedCall::kind, TreeMap::new, Collectors.counting()));
  }

  /**
   * The names of the live threads that {@code before} did not hold, but the idle workers of pools
   * shared by everything on the client and the test server: the fabric8 client's task executor
   * ({@code glidepath-kube-client} for a KubeCluster's own client), Vert.x's event loops and the
   * EmbeddedCluster's watch closer keep threads for reuse whatever the informers do. What an
   * informer holds is a watch, and each open watch has a thread of its own in the test server
   * ({@code pool-N-thread-M}); each started controller has its loop thread.
   */
  private static List<String> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .map(Thread::getName)
        .filter(
            n ->
                !n.matches("-?[0-9]+-pool-[0-9]+-thread-[0-9]+")
                    && !n.equals("glidepath-kube-client")
                    && !n.startsWith("vert.x-eventloop-thread-")
                    && !n.equals("embedded-cluster-watch-close"))
        .sorted()
        .toList();
  }

  @Test
  void threeControllersShareOneWatchPerKindAndAnEditWakesOnlyItsOwner() throws Exception {
    // a first watch makes the client's lazily created shared threads before the baseline
    try (LiveWatch warmUp =
        LiveWatch.start(
            cluster,
            "warm-up",
            List.of(cluster.resourceType("", "ConfigMap").orElseThrow()),
            (key, live) -> {})) {
      assertThat(warmUp.synced()).isTrue();
    }
    Set<Thread> baseline = Set.copyOf(Thread.getAllStackTraces().keySet());
    embedded.clearRequests();

    ApplicationController a = controller("app-a");
    ApplicationController b = controller("app-b");
    ApplicationController c = controller("app-c");
    try {
      for (ApplicationController controller : List.of(a, b, c)) {
        controller.start();
      }
      for (ApplicationController controller : List.of(a, b, c)) {
        eventually(
            WAIT,
            () -> controller.status().map(AppStatus::inSync).orElse(false),
            "each app's first sync is done");
      }
      eventually(WAIT, () -> watchesByKind().size() >= 3, "the informers watch");
      quiet();

      // Application: the one informer on Argo CD Applications, where each controller would see
      // its object appear (none exists here: the status is in ConfigMaps)
      assertThat(watchesByKind())
          .as("one watch per kind, not one per app")
          .isEqualTo(Map.of("Application", 1L, "ConfigMap", 1L, "Deployment", 1L));

      // a manual edit of app-a's Deployment: app-a heals it, app-b and app-c do not even look
      int bBefore = reconciles.get("app-b").get();
      int cBefore = reconciles.get("app-c").get();
      int aSyncs = syncs.get("app-a").get();
      int bSyncs = syncs.get("app-b").get();
      editReplicas("app-a", 1);
      eventually(WAIT, () -> replicas("app-a") == 3, "app-a heals its Deployment");
      quiet();
      assertThat(syncs.get("app-a").get()).as(String.join("\n", events)).isEqualTo(aSyncs + 1);
      assertThat(reconciles.get("app-b").get()).as(String.join("\n", events)).isEqualTo(bBefore);
      assertThat(reconciles.get("app-c").get()).as(String.join("\n", events)).isEqualTo(cBefore);
      assertThat(syncs.get("app-b").get()).isEqualTo(bSyncs);
      assertThat(newThreads(baseline)).as("the watches and loops hold threads").isNotEmpty();

      // app-a's tracking id copied onto another object makes it nobody's: app-a stays asleep
      int aBefore = reconciles.get("app-a").get();
      cluster
          .client()
          .configMaps()
          .inNamespace("app-b")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("copied")
                  .addToAnnotations(
                      TrackingId.ANNOTATION,
                      TrackingId.of(
                              "app-a", new ResourceKey("", "ConfigMap", "app-a", "app-a-config"))
                          .value())
                  .endMetadata()
                  .build())
          .create();
      quiet();
      assertThat(reconciles.get("app-a").get()).isEqualTo(aBefore);

      // stopping app-a keeps the informers app-b and app-c use: no new list, no new watch
      embedded.clearRequests();
      a.stop();
      editReplicas("app-b", 2);
      eventually(WAIT, () -> replicas("app-b") == 3, "app-b still heals from the shared informer");
      assertThat(embedded.requests()).noneMatch(r -> r.verb() == Verb.WATCH);
      assertThat(embedded.requests()).noneMatch(r -> r.verb() == Verb.LIST);

      b.stop();
      c.stop();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!newThreads(baseline).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(newThreads(baseline)).as("threads left once every controller stopped").isEmpty();
    } finally {
      a.close();
      b.close();
      c.close();
    }
  }
}

package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.git.watch.PollScheduler;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppProjects;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.GitDesiredStateSource;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager's reconcile that has nothing new to look at (no commit touching the app, no live
 * change, the same spec, settings and project) reuses the last comparison: no live read, no
 * comparison, no write. Drift and commits are still acted on.
 */
class ReconcileReuseIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private LocalGitServer git;
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, GitDesiredStateSource> sources = new ConcurrentHashMap<>();
  private final Map<String, Application> apps = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> syncs = new ConcurrentHashMap<>();
  private final Map<String, Boolean> inSync = new ConcurrentHashMap<>();

  @BeforeEach
  void startGit() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
  }

  @AfterEach
  void close() {
    polls.shutdownNow();
    cluster.close();
    embedded.close();
    if (git != null) {
      git.close();
    }
  }

  private static String configMap(String level) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LEVEL: "
        + level
        + "}\n";
  }

  private void createApplication(String name) {
    createApplication(name, "default");
  }

  private void createApplication(String name, String project) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %1$s, namespace: argocd}
        spec:
          project: %3$s
          source: {repoURL: "%2$s", targetRevision: main, path: apps/%1$s}
          destination: {server: "https://kubernetes.default.svc", namespace: %1$s}
          syncPolicy:
            automated: {prune: true, selfHeal: true}
            syncOptions: [CreateNamespace=true]
        """
            .formatted(name, git.url("configs"), project);
    var client = cluster.client();
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .create();
  }

  private Optional<String> level(String app) {
    return cluster
        .get(new ResourceKey("", "ConfigMap", app, "settings"))
        .map(r -> r.body().at("/data/LEVEL").asString());
  }

  private int syncsOf(String app) {
    return syncs.computeIfAbsent(app, a -> new AtomicInteger()).get();
  }

  @Test
  void aReconcileWithNothingNewReusesTheLastComparisonAndWritesNothing(@TempDir Path dir)
      throws Exception {
    Path content = dir.resolve("content");
    for (String a : List.of("a", "b")) {
      Files.createDirectories(content.resolve("apps/" + a));
      Files.writeString(content.resolve("apps/" + a + "/cm.yaml"), configMap("info"));
    }
    git.seed("configs", content, "first");
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    createApplication("a");
    createApplication("b");

    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      try (GitWatcher watcher =
              GitWatcher.builder(source, "main")
                  .interval(Duration.ofHours(1))
                  .jitter(0)
                  .scheduler(PollScheduler.of(polls))
                  .build();
          ControllerManager manager =
              ControllerManager.builder(cluster)
                  .sources(
                      app -> {
                        apps.put(app.name(), app);
                        return sources.computeIfAbsent(
                            app.name(), n -> GitDesiredStateSource.of(source, app).withoutFetch());
                      })
                  .gitWatcher(app -> Optional.of(watcher))
                  .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
                  .workers(2)
                  .resyncPeriod(Duration.ofHours(1))
                  .listener(
                      new ControllerListener() {
                        @Override
                        public void reconciled(AppStatus status) {
                          inSync.put(status.app(), status.inSync());
                        }

                        @Override
                        public void syncFinished(String app, SyncResult result) {
                          syncs.computeIfAbsent(app, a -> new AtomicInteger()).incrementAndGet();
                        }
                      })
                  .build()) {
        watcher.poll();
        manager.start();
        for (String a : List.of("a", "b")) {
          eventually(
              WAIT,
              () -> level(a).equals(Optional.of("info")) && inSync.getOrDefault(a, false),
              a + " is synced");
        }
        awaitQuiet(manager);
        DefaultApplicationController a = controller(manager, "a");
        DefaultApplicationController b = controller(manager, "b");

        // nothing changed: the reconciles reuse the last comparison and write nothing, and do not
        // read the kept render back into trees (none is held between reconciles: collected here)
        long aCompared = a.comparisons();
        int writes = embedded.writes().size();
        KeptRender aRender = sources.get("a").unchanged(apps.get("a"));
        assertThat(aRender).isNotNull();
        int readBacks = aRender.readBacks();
        System.gc();
        for (int i = 0; i < 3; i++) {
          AppStatus s = a.reconcile();
          assertThat(s.inSync()).as(s.message()).isTrue();
        }
        assertThat(a.comparisons()).isEqualTo(aCompared);
        assertThat(embedded.writes()).hasSize(writes);
        assertThat(aRender.readBacks()).isEqualTo(readBacks);

        // a commit to a: rendered, synced once; its own writes (the resources, the status) coming
        // back through the watches sync nothing more. b is neither rendered nor compared, even
        // when asked to reconcile
        String bRevision = b.status().orElseThrow().revision();
        long bCompared = b.comparisons();
        int aSyncs = syncsOf("a");
        git.commitFiles("configs", Map.of("apps/a/cm.yaml", configMap("debug")), "a");
        watcher.poll();
        eventually(WAIT, () -> level("a").equals(Optional.of("debug")), "a's commit is synced");
        awaitQuiet(manager);
        assertThat(syncsOf("a")).isEqualTo(aSyncs + 1);
        assertThat(sources.get("a").renders()).isEqualTo(2);
        AppStatus bNow = b.reconcile();
        assertThat(bNow.inSync()).isTrue();
        assertThat(bNow.revision()).isEqualTo(bRevision);
        assertThat(sources.get("b").renders()).isEqualTo(1);
        assertThat(b.comparisons()).isEqualTo(bCompared);

        // a live change (the ConfigMap deleted) is compared again, and healed
        long compared = a.comparisons();
        cluster.client().configMaps().inNamespace("a").withName("settings").delete();
        eventually(
            WAIT,
            () -> a.comparisons() > compared && level("a").equals(Optional.of("debug")),
            () ->
                "a's live change is compared and healed: "
                    + level("a")
                    + ", comparisons "
                    + a.comparisons()
                    + " (were "
                    + compared
                    + "), "
                    + a.status());
      }
    }
  }

  private void createAppProject(String destinationNamespace) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: team, namespace: argocd}
        spec:
          sourceRepos: ['*']
          destinations: [{server: "https://kubernetes.default.svc", namespace: %s}]
          clusterResourceWhitelist: [{group: '', kind: Namespace}]
        """
            .formatted(destinationNamespace);
    var client = cluster.client();
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .createOr(r -> r.update());
  }

  @Test
  void anAppWhoseProjectLivesInTheClusterReusesItsComparisonUntilTheProjectChanges(
      @TempDir Path dir) throws Exception {
    Path content = dir.resolve("content");
    Files.createDirectories(content.resolve("apps/c"));
    Files.writeString(content.resolve("apps/c/cm.yaml"), configMap("info"));
    git.seed("configs", content, "first");
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    createAppProject("c");
    createApplication("c", "team");

    try (GitCache cache = GitCache.open(dir.resolve("cache"));
        AppProjects projects = AppProjects.in(cluster, "argocd")) {
      GitSource source = cache.source(git.url("configs"));
      try (GitWatcher watcher =
              GitWatcher.builder(source, "main")
                  .interval(Duration.ofHours(1))
                  .jitter(0)
                  .scheduler(PollScheduler.of(polls))
                  .build();
          ControllerManager manager =
              ControllerManager.builder(cluster)
                  .sources(
                      app ->
                          sources.computeIfAbsent(
                              app.name(),
                              n -> GitDesiredStateSource.of(source, app).withoutFetch()))
                  .gitWatcher(app -> Optional.of(watcher))
                  .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
                  .projects(projects)
                  .workers(2)
                  .resyncPeriod(Duration.ofHours(1))
                  .listener(
                      new ControllerListener() {
                        @Override
                        public void reconciled(AppStatus status) {
                          inSync.put(status.app(), status.inSync());
                        }
                      })
                  .build()) {
        watcher.poll();
        manager.start();
        eventually(
            WAIT,
            () -> level("c").equals(Optional.of("info")) && inSync.getOrDefault("c", false),
            "c is synced");
        awaitQuiet(manager);
        DefaultApplicationController c = controller(manager, "c");

        // the project unchanged: no request for it, the last comparison reused
        long compared = c.comparisons();
        embedded.clearRequests();
        for (int i = 0; i < 3; i++) {
          AppStatus s = c.reconcile();
          assertThat(s.inSync()).as(s.message()).isTrue();
        }
        assertThat(c.comparisons()).isEqualTo(compared);
        assertThat(embedded.requests()).noneMatch(r -> r.kind().equals("AppProject"));

        // the project edited (c's namespace no longer a permitted destination): compared again
        // once the watch has the edit, and refused
        createAppProject("elsewhere");
        eventually(
            WAIT,
            () -> {
              AppStatus s = c.reconcile();
              return !s.inSync() && s.message().contains("project team");
            },
            () -> "c is refused under its edited project: " + c.status());
      }
    }
  }

  private static DefaultApplicationController controller(ControllerManager manager, String app) {
    return (DefaultApplicationController) manager.controller(app).orElseThrow();
  }

  /** Waits until no app waits for a worker and the reconcile count stays put a moment. */
  private static void awaitQuiet(ControllerManager manager) throws InterruptedException {
    long before = -1;
    for (int i = 0; i < 200; i++) {
      ControllerManager.Stats s = manager.stats();
      if (s.queued() == 0 && s.reconciles() == before) {
        return;
      }
      before = s.reconciles();
      Thread.sleep(300);
    }
  }
}

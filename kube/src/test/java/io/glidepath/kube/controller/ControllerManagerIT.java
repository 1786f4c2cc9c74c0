package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.git.watch.PollScheduler;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Verb;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many apps in one {@link ControllerManager}: shared workers, one cache, and a commit that wakes,
 * renders and syncs only the apps it touches.
 */
class ControllerManagerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private LocalGitServer git;
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, GitDesiredStateSource> sources = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();

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

  private static String configMap(String name, String level) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  LOG_LEVEL: "
        + level
        + "\n";
  }

  private Application app(String name, String path, String annotations) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd%s}
        spec:
          project: default
          source: {repoURL: "%s", targetRevision: main, path: %s}
          destination: {server: "https://kubernetes.default.svc", namespace: %s}
          syncPolicy:
            automated: {prune: true}
            syncOptions: [CreateNamespace=true]
        """
            .formatted(name, annotations, git.url("configs"), path, name),
        name + ".yaml");
  }

  private Optional<String> level(String namespace, String name) {
    return cluster
        .get(new ResourceKey("", "ConfigMap", namespace, name))
        .map(r -> r.body().at("/data/LOG_LEVEL").asString());
  }

  private int reconcilesOf(String app) {
    return reconciles.computeIfAbsent(app, a -> new AtomicInteger()).get();
  }

  @Test
  void aCommitWakesRendersAndSyncsOnlyTheAppsItTouches(@TempDir Path dir) throws Exception {
    Path content = dir.resolve("content");
    for (String a : List.of("a", "b", "c")) {
      Files.createDirectories(content.resolve("apps/" + a));
      Files.writeString(content.resolve("apps/" + a + "/cm.yaml"), configMap("settings", "info"));
    }
    Files.createDirectories(content.resolve("shared/extra"));
    Files.writeString(content.resolve("shared/extra/notes.txt"), "one\n");
    git.seed("configs", content, "first");
    List<Application> apps =
        List.of(
            app("a", "apps/a", ""),
            app("b", "apps/b", ""),
            // Argo CD's annotation: this app also follows shared/extra, which it does not render
            app(
                "c",
                "apps/c",
                ", annotations: {argocd.argoproj.io/manifest-generate-paths: \".;/shared/extra\"}"));

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
                      app ->
                          sources.computeIfAbsent(
                              app.name(),
                              n -> GitDesiredStateSource.of(source, app).withoutFetch()))
                  .gitWatcher(app -> Optional.of(watcher))
                  .feed(ApplicationFeed.of(apps))
                  .workers(3)
                  .resyncPeriod(Duration.ofHours(1))
                  .statusNamespace("default")
                  .listener(
                      new ControllerListener() {
                        @Override
                        public void reconciled(AppStatus status) {
                          reconciles
                              .computeIfAbsent(status.app(), a -> new AtomicInteger())
                              .incrementAndGet();
                        }
                      })
                  .build()) {
        watcher.poll();
        manager.start();
        for (String a : List.of("a", "b", "c")) {
          eventually(
              WAIT,
              () -> level(a, "settings").equals(Optional.of("info")),
              () -> a + " is synced (" + manager.controller(a).flatMap(c -> c.status()) + ")");
        }
        assertThat(manager.apps()).containsExactlyInAnyOrder("a", "b", "c");
        // the apps read live state from the shared informers from their first reconcile: each
        // kind is listed by its informer, not once per app
        assertThat(
                embedded.requests().stream()
                    .filter(c -> c.verb() == Verb.LIST)
                    .collect(
                        Collectors.groupingBy(
                            c -> c.uri().replaceFirst("\\?.*", ""), Collectors.counting())))
            .as("LIST requests per resource path")
            .isNotEmpty()
            .allSatisfy((path, lists) -> assertThat(lists).as(path).isEqualTo(1L));
        assertThat(manager.stats().workers()).isEqualTo(3);
        // no thread per app: the workers, the timer, the shared apply threads
        assertThat(
                Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("glidepath-controller-")))
            .isEmpty();
        assertThat(
                Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("glidepath-manager-worker")))
            .hasSize(3);
        String first = manager.controller("b").orElseThrow().status().orElseThrow().revision();
        assertThat(sources.get("a").renders()).isEqualTo(1);
        assertThat(sources.get("b").inputs())
            .contains("apps/b")
            .allMatch(p -> p.startsWith("apps/b"));
        awaitQuiet(manager);
        int bBefore = reconcilesOf("b");
        int cBefore = reconcilesOf("c");

        // one app's file changes: one render, one sync; the others are not even woken
        String second =
            git.commitFiles(
                "configs", Map.of("apps/a/cm.yaml", configMap("settings", "debug")), "a");
        watcher.poll();
        eventually(
            WAIT,
            () -> level("a", "settings").equals(Optional.of("debug")),
            "a's commit is synced");
        awaitQuiet(manager);
        assertThat(sources.get("a").renders()).isEqualTo(2);
        assertThat(sources.get("b").renders()).isEqualTo(1);
        assertThat(sources.get("c").renders()).isEqualTo(1);
        assertThat(reconcilesOf("b")).isEqualTo(bBefore);
        assertThat(reconcilesOf("c")).isEqualTo(cBefore);
        assertThat(manager.controller("a").orElseThrow().status().orElseThrow().revision())
            .isEqualTo(second);
        // an untouched app keeps the revision its inputs last changed at, even when asked
        AppStatus b = manager.controller("b").orElseThrow().reconcile();
        assertThat(b.revision()).isEqualTo(first);
        assertThat(b.inSync()).isTrue();
        assertThat(sources.get("b").renders()).isEqualTo(1);

        // a path only the annotation names: c is rendered again, a and b are not
        git.commitFiles("configs", Map.of("shared/extra/notes.txt", "two\n"), "notes");
        watcher.poll();
        eventually(WAIT, () -> sources.get("c").renders() == 2, "c is rendered again");
        awaitQuiet(manager);
        assertThat(sources.get("a").renders()).isEqualTo(2);
        assertThat(sources.get("b").renders()).isEqualTo(1);
      }
    }
  }

  @Test
  void appsComeAndGoThroughPutAndRemove(@TempDir Path dir) throws Exception {
    Path content = dir.resolve("content");
    Files.createDirectories(content.resolve("apps/a"));
    Files.writeString(content.resolve("apps/a/cm.yaml"), configMap("settings", "info"));
    git.seed("configs", content, "first");
    try (GitCache cache = GitCache.open(dir.resolve("cache"));
        ControllerManager manager =
            ControllerManager.builder(cluster)
                .sources(
                    app ->
                        GitDesiredStateSource.of(cache.source(git.url("configs")), app)
                            .withoutFetch())
                .workers(1)
                .resyncPeriod(Duration.ofHours(1))
                .statusNamespace("default")
                .build()) {
      cache.source(git.url("configs")).fetch();
      manager.start();
      Application a = app("a", "apps/a", "");
      ApplicationController controller = manager.put(a).orElseThrow();
      assertThat(manager.put(a)).containsSame(controller); // the same spec: nothing restarted
      eventually(
          WAIT, () -> level("a", "settings").equals(Optional.of("info")), "a put later is synced");
      assertThat(manager.remove("a")).isTrue();
      assertThat(controller.running()).isFalse();
      assertThat(manager.apps()).isEmpty();
      assertThat(manager.remove("a")).isFalse();
    }
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

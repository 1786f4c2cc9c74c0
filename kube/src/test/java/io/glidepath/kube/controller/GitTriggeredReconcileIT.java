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
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new commit on the tracked branch is synced without waiting for the periodic resync. */
class GitTriggeredReconcileIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final ResourceKey SETTINGS = new ResourceKey("", "ConfigMap", "shop", "settings");

  private LocalGitServer git;
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();

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

  private static String settings(String level) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: "
        + level
        + "\n";
  }

  private Optional<String> liveLevel() {
    return cluster.get(SETTINGS).map(r -> r.body().at("/data/LOG_LEVEL").asString());
  }

  @Test
  void aNewCommitOnTheTrackedBranchIsSyncedBeforeTheNextResync(@TempDir Path dir) throws Exception {
    Path content = Files.createDirectories(dir.resolve("content/apps/shop"));
    Files.writeString(content.resolve("settings.yaml"), settings("info"));
    git.seed("configs", dir.resolve("content"), "first");
    Application app =
        Application.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: shop, namespace: argocd}
            spec:
              project: default
              source: {repoURL: "%s", targetRevision: main, path: apps/shop}
              destination: {server: "https://kubernetes.default.svc", namespace: shop}
              syncPolicy:
                automated: {prune: true}
                syncOptions: [CreateNamespace=true]
            """
                .formatted(git.url("configs")),
            "app.yaml");

    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      try (GitWatcher watcher =
              GitWatcher.builder(source, "main")
                  .interval(Duration.ofSeconds(1))
                  .jitter(0)
                  .scheduler(PollScheduler.of(polls))
                  .build();
          ApplicationController controller =
              ApplicationController.builder(
                      app, cluster, GitDesiredStateSource.of(source, app).withoutFetch())
                  .gitWatcher(watcher)
                  .resyncPeriod(Duration.ofHours(1))
                  .statusNamespace("default")
                  .build()) {
        controller.start();
        eventually(
            WAIT,
            () -> liveLevel().equals(Optional.of("info")),
            () -> "the first commit is synced (" + controller.status() + ")");

        String second =
            git.commitFiles(
                "configs", Map.of("apps/shop/settings.yaml", settings("debug")), "debug");

        eventually(
            WAIT, () -> liveLevel().equals(Optional.of("debug")), "the new commit is synced");
        eventually(
            WAIT,
            () -> controller.status().map(s -> s.revision().equals(second)).orElse(false),
            "the controller reports the new commit");
        assertThat(controller.status().orElseThrow().lastSyncedRevision()).contains(second);
        // a plain directory of YAML, as ManifestRenderer.detect found it
        assertThat(controller.status().orElseThrow().sourceType()).contains(SourceType.DIRECTORY);
      }
    }
  }
}

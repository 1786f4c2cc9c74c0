package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import tools.jackson.databind.JsonNode;

/**
 * {@code kubectl edit application} of {@code targetRevision}: a started controller (resync once an
 * hour, its GitWatcher built on the old branch) renders and syncs the new branch at once, without a
 * restart, and from then on a new commit on the new branch is synced at once too: the controller's
 * Git trigger follows the revision the spec names.
 */
class TargetRevisionEditIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final ResourceKey SETTINGS = new ResourceKey("", "ConfigMap", "shop", "settings");
  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "shop");

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
  void aNewTargetRevisionInTheApplicationObjectIsSyncedWithoutARestart(@TempDir Path dir)
      throws Exception {
    Path content = Files.createDirectories(dir.resolve("content/apps/shop"));
    Files.writeString(content.resolve("settings.yaml"), settings("info"));
    git.seed("configs", dir.resolve("content"), "first");
    String release =
        git.commitFiles(
            "configs", "release", Map.of("apps/shop/settings.yaml", settings("warn")), "release");
    String yaml =
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
            .formatted(git.url("configs"));
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster.client().resource(yaml).inNamespace("argocd").create();
    Application app = Application.parse(yaml, "app.yaml");

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
                  .build()) {
        controller.start();
        eventually(
            WAIT,
            () -> liveLevel().equals(Optional.of("info")),
            () -> "main is synced (" + controller.status() + ")");

        // kubectl edit application shop: targetRevision main -> release
        cluster
            .client()
            .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
            .inNamespace("argocd")
            .withName("shop")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager("kubectl-edit")
                    .build(),
                "{\"spec\":{\"source\":{\"targetRevision\":\"release\"}}}");

        eventually(
            WAIT,
            () -> liveLevel().equals(Optional.of("warn")),
            () -> "the release branch is synced (" + controller.status() + ")");
        eventually(
            WAIT,
            () -> controller.status().map(s -> s.revision().equals(release)).orElse(false),
            () -> "the controller reports the release commit (" + controller.status() + ")");
        JsonNode status = cluster.get(APPLICATION).orElseThrow().body().path("status");
        assertThat(status.at("/operationState/syncResult/revision").asString()).isEqualTo(release);
        assertThat(status.at("/operationState/syncResult/source/targetRevision").asString())
            .isEqualTo("release");

        // a new commit on the new revision: the watcher (built on main) now resolves release
        // too, and the controller syncs it at once, not at the resync an hour away
        String next =
            git.commitFiles(
                "configs", "release", Map.of("apps/shop/settings.yaml", settings("error")), "next");
        eventually(
            WAIT,
            () -> liveLevel().equals(Optional.of("error")),
            () -> "the new commit on release is synced (" + controller.status() + ")");
        eventually(
            WAIT,
            () -> controller.status().map(s -> s.revision().equals(next)).orElse(false),
            () -> "the controller reports the new commit (" + controller.status() + ")");
        assertThat(watcher.revisions()).containsExactly("main", "release");
      }
    }
  }
}

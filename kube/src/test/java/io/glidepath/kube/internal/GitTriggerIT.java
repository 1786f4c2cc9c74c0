package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.git.GitCache;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's Git trigger follows the app's targetRevision on the watcher it was given, and
 * ignores revisions other users of a shared watcher added. Polls are run by hand.
 */
class GitTriggerIT {
  private LocalGitServer git;
  private final AtomicInteger refreshes = new AtomicInteger();

  @BeforeEach
  void startGit() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    git.createBare("configs");
    git.commitFiles("configs", Map.of("a.yaml", "a: 1\n"), "first");
  }

  @AfterEach
  void stopGit() {
    if (git != null) {
      git.close();
    }
  }

  private Application app(String targetRevision) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "%s", targetRevision: %s, path: apps/shop}
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """
            .formatted(git.url("configs"), targetRevision),
        "app.yaml");
  }

  @Test
  void aNewCommitOnTheFollowedRevisionAsksForAReconcileAndOtherAddedRevisionsDoNot(
      @TempDir Path dir) {
    git.commitFiles("configs", "release", Map.of("a.yaml", "a: 2\n"), "release");
    git.commitFiles("configs", "other", Map.of("a.yaml", "a: 3\n"), "other");
    try (GitCache cache = GitCache.open(dir);
        GitWatcher watcher =
            GitWatcher.builder(cache.source(git.url("configs")), "main")
                .scheduler((delay, task) -> () -> {}) // polls only when the test says so
                .build()) {
      ChangeTrigger trigger = GitTrigger.of(watcher);
      trigger.start(refreshes::incrementAndGet);
      trigger.follow(app("main"));
      watcher.poll();
      assertThat(refreshes).as("the first commit of main").hasValue(1);
      assertThat(watcher.revisions()).containsExactly("main");

      trigger.follow(app("release")); // kubectl edit application: targetRevision release
      watcher.watchAlso("other"); // another user of the same watcher
      assertThat(watcher.revisions()).containsExactly("main", "other", "release");
      watcher.poll();
      assertThat(refreshes).as("release seen, other ignored").hasValue(2);

      git.commitFiles("configs", "release", Map.of("a.yaml", "a: 4\n"), "next");
      git.commitFiles("configs", "other", Map.of("a.yaml", "a: 5\n"), "next");
      watcher.poll();
      assertThat(refreshes).as("the new commit on release").hasValue(3);

      git.commitFiles("configs", "other", Map.of("a.yaml", "a: 6\n"), "again");
      watcher.poll();
      assertThat(refreshes).as("a commit on other only").hasValue(3);

      trigger.follow(app("main")); // edited back: release is released
      assertThat(watcher.revisions()).containsExactly("main", "other");
      trigger.follow(app("release"));
      trigger.stop();
      assertThat(watcher.revisions()).as("stop releases it too").containsExactly("main", "other");
    }
  }

  private Application multiSource(String chartRevision, String valuesRevision) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: argocd}
        spec:
          project: default
          sources:
            - repoURL: "%1$s"
              targetRevision: %2$s
              path: charts/shop
              helm: {valueFiles: [$values/shop.yaml]}
            - repoURL: "%1$s"
              targetRevision: %3$s
              ref: values
            - repoURL: "%4$s"
              targetRevision: elsewhere
              path: extras
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """
            .formatted(git.url("configs"), chartRevision, valuesRevision, git.url("extras")),
        "app.yaml");
  }

  @Test
  void followsEverySourceOfAMultiSourceAppInItsRepositoryAndNoOtherRepositorysRevisions(
      @TempDir Path dir) {
    git.commitFiles("configs", "values-prod", Map.of("shop.yaml", "replicas: 2\n"), "values");
    git.commitFiles("configs", "elsewhere", Map.of("a.yaml", "a: 9\n"), "same name, other repo");
    try (GitCache cache = GitCache.open(dir);
        GitWatcher watcher =
            GitWatcher.builder(cache.source(git.url("configs")), "main")
                .scheduler((delay, task) -> () -> {})
                .build()) {
      ChangeTrigger trigger = GitTrigger.of(watcher);
      trigger.start(refreshes::incrementAndGet);
      trigger.follow(multiSource("main", "values-prod"));
      assertThat(watcher.revisions())
          .as("both sources of this repository; the extras source's revision is another repo's")
          .containsExactly("main", "values-prod");
      watcher.poll();
      int first = refreshes.get();

      git.commitFiles("configs", "values-prod", Map.of("shop.yaml", "replicas: 3\n"), "scale");
      watcher.poll();
      assertThat(refreshes).as("a commit to the ref source's revision").hasValue(first + 1);

      git.commitFiles("configs", Map.of("a.yaml", "a: 7\n"), "chart change");
      watcher.poll();
      assertThat(refreshes).as("a commit to the chart source's revision").hasValue(first + 2);

      trigger.follow(multiSource("main", "main")); // both on main now: values-prod released
      assertThat(watcher.revisions()).containsExactly("main");
      trigger.follow(multiSource("v-next", "values-prod"));
      assertThat(watcher.revisions()).containsExactly("main", "v-next", "values-prod");
      trigger.stop();
      assertThat(watcher.revisions()).containsExactly("main");
    }
  }
}

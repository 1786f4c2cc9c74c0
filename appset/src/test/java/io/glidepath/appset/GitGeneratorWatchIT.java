package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.resource.ResourceKey;
import io.glidepath.git.GitCache;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.git.watch.PollScheduler;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.cluster.RegisteredCluster;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git directories generator on the local git server: a new commit that adds a directory generates
 * its Application through the GitWatcher, long before the requeue.
 */
class GitGeneratorWatchIT {
  private LocalGitServer git;
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster control =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10)));
  private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();
  private final List<String> read = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    control
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
  }

  @AfterEach
  void close() {
    polls.shutdownNow();
    control.close();
    embedded.close();
    if (git != null) {
      git.close();
    }
  }

  private boolean exists(String app) {
    return control.get(new ResourceKey("argoproj.io", "Application", "argocd", app)).isPresent();
  }

  @Test
  void aCommitAddingADirectoryGeneratesItsApplicationThroughTheWatcher(@TempDir Path dir)
      throws Exception {
    Path content = Files.createDirectories(dir.resolve("content/apps/payments"));
    Files.writeString(content.resolve("config.yaml"), "a: 1\n");
    git.seed("deploy", dir.resolve("content"), "first");
    String url = git.url("deploy");
    control
        .client()
        .resource(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: apps,"
                + " namespace: argocd}\nspec:\n  generators:\n  - git:\n      repoURL: "
                + url
                + "\n      revision: main\n      directories: [{path: 'apps/*'}]\n"
                + "  template:\n    metadata: {name: '{{path.basename}}'}\n    spec:\n"
                + "      project: default\n      source: {repoURL: '"
                + url
                + "', targetRevision: main, path: '{{path}}'}\n      destination: {server:"
                + " https://kubernetes.default.svc, namespace: '{{path.basename}}'}\n")
        .inNamespace("argocd")
        .create();

    try (GitCache cache = GitCache.open(dir.resolve("cache"));
        GitRepositories repos =
            GitRepositories.builder(cache::source)
                .watch(
                    (source, revision) ->
                        GitWatcher.builder(source, revision)
                            .interval(Duration.ofSeconds(1))
                            .jitter(0)
                            .scheduler(PollScheduler.of(polls))
                            .build())
                .build();
        ApplicationSetController c =
            ApplicationSetController.builder(
                    control,
                    "argocd",
                    "apps",
                    GeneratorContext.of(
                        List.of(RegisteredCluster.inCluster()),
                        (u, r) -> {
                          GeneratorContext.Checkout co = repos.checkout(u, r);
                          read.add(co.revision());
                          return co;
                        }))
                .resyncPeriod(Duration.ofHours(1))
                .build()) {
      repos.onChange(c::refresh);
      ApplicationSetController.Pass first = c.reconcile();
      assertThat(first.created()).containsExactly("payments");
      c.start();
      Instant started = Instant.now().plusSeconds(30);
      while (read.size() < 2 && Instant.now().isBefore(started)) {
        Thread.sleep(50); // the started loop's first pass, still on the first commit
      }
      assertThat(read).hasSize(2);
      assertThat(read.get(1)).isEqualTo(read.get(0));
      String second =
          git.commitFiles("deploy", Map.of("apps/trade-service/config.yaml", "a: 2\n"), "second");
      Instant deadline = Instant.now().plusSeconds(30);
      while (!exists("trade-service") && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(exists("trade-service"))
          .as("the new directory's Application, generated on the watcher's news")
          .isTrue();
      assertThat(exists("payments")).isTrue();
      assertThat(read).contains(second);
    }
  }
}

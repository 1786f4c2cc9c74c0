package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.git.GitCache;
import io.glidepath.git.RepoCheckouts;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.git.watch.PollScheduler;
import io.glidepath.helm.repo.ChartCache;
import io.glidepath.helm.repo.ChartFetcher;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.git.LocalGitServer;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A multi-source Application (a chart of a Helm repository, its values in another Git repository as
 * a ref, and plain manifests of a third) synced by the controller, its status in Argo CD's
 * multi-source shape, and a commit to the values repository synced through its GitWatcher.
 */
class MultiSourceApplicationIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "web");
  private static final ResourceKey WEB = new ResourceKey("", "ConfigMap", "shop", "web");
  private static final ResourceKey EXTRA = new ResourceKey("", "ConfigMap", "shop", "extra");

  @TempDir Path dir;
  private LocalGitServer git;
  private ChartRepositoryServer charts;
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    charts = ChartRepositoryServer.start();
  }

  @AfterEach
  void close() {
    polls.shutdownNow();
    cluster.close();
    embedded.close();
    charts.close();
    if (git != null) {
      git.close();
    }
  }

  private Path chart(String version) throws IOException {
    Path c = dir.resolve("chart-" + version);
    Files.createDirectories(c.resolve("templates"));
    Files.writeString(
        c.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: " + version + "\n");
    Files.writeString(c.resolve("values.yaml"), "greeting: default\n");
    Files.writeString(
        c.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n"
            + "  greeting: {{ .Values.greeting | quote }}\n  chart: \""
            + version
            + "\"\n");
    return c;
  }

  private Optional<String> live(ResourceKey key, String field) {
    return cluster.get(key).map(r -> r.body().at("/data/" + field).asString(""));
  }

  private JsonNode status() {
    return cluster.get(APPLICATION).map(r -> r.body().path("status")).orElseThrow();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString("")));
    return out;
  }

  @Test
  void syncsEverySourceWritesArgoCdsMultiSourceStatusAndFollowsEachGitSource() throws Exception {
    charts.addChart(chart("1.0.0"));
    charts.addChart(chart("1.1.0"));
    Path values = Files.createDirectories(dir.resolve("values/env/prod"));
    Files.writeString(values.resolve("web.yaml"), "greeting: hello from the values repo\n");
    String valuesCommit = git.seed("values", dir.resolve("values"), "values");
    Path extras = Files.createDirectories(dir.resolve("extras/extras"));
    Files.writeString(
        extras.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  from: extras\n");
    String extrasCommit = git.seed("extras", dir.resolve("extras"), "extras");
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          project: default
          sources:
            - repoURL: %s
              chart: web
              targetRevision: ^1
              helm:
                valueFiles: [$values/env/prod/web.yaml]
            - repoURL: %s
              targetRevision: main
              ref: values
            - repoURL: %s
              targetRevision: main
              path: extras
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
          syncPolicy:
            automated: {prune: true}
            syncOptions: [CreateNamespace=true]
        """
            .formatted(charts.url(), git.url("values"), git.url("extras"));
    Application app = Application.parse(yaml, "web.yaml");
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster.client().resource(yaml).inNamespace("argocd").create();

    try (GitCache cache = GitCache.open(dir.resolve("git-cache"))) {
      RepoCheckouts checkouts = RepoCheckouts.of(cache, RepoCredentialStore.EMPTY).withoutFetch();
      ApplicationRenderer renderer =
          ApplicationRenderer.builder()
              .git(checkouts)
              .charts(ChartFetcher.builder(ChartCache.open(dir.resolve("chart-cache"))).build())
              .build();
      ApplicationDesiredStateSource source = ApplicationDesiredStateSource.of(renderer, app);
      try (GitWatcher valuesWatcher = watcher(checkouts, "values");
          GitWatcher extrasWatcher = watcher(checkouts, "extras");
          ApplicationController controller =
              ApplicationController.builder(app, cluster, source)
                  .gitWatcher(valuesWatcher)
                  .gitWatcher(extrasWatcher)
                  .projects(ProjectSource.of(Project.permissive("default")))
                  .resyncPeriod(Duration.ofHours(1))
                  .build()) {
        controller.start();
        eventually(
            WAIT,
            () -> live(WEB, "greeting").equals(Optional.of("hello from the values repo")),
            () -> "the chart is synced with the $values file (" + controller.status() + ")");
        assertThat(live(WEB, "chart")).contains("1.1.0");
        assertThat(live(EXTRA, "from")).contains("extras");
        eventually(
            WAIT,
            () -> status().path("history").size() == 1,
            () -> "a history entry (" + status().toPrettyString() + ")");

        JsonNode status = status();
        assertThat(strings(status.at("/sync/revisions")))
            .containsExactly("1.1.0", valuesCommit, extrasCommit);
        assertThat(status.at("/sync/revision").isMissingNode()).isTrue();
        assertThat(strings(status.path("sourceTypes"))).containsExactly("Helm", "", "Directory");
        assertThat(status.at("/sync/comparedTo/sources").size()).isEqualTo(3);
        assertThat(status.at("/sync/comparedTo/sources/1/ref").asString("")).isEqualTo("values");
        assertThat(strings(status.at("/history/0/revisions")))
            .containsExactly("1.1.0", valuesCommit, extrasCommit);
        assertThat(status.at("/history/0/sources").size()).isEqualTo(3);
        assertThat(strings(status.at("/operationState/syncResult/revisions"))).hasSize(3);
        // nothing changed since: the source's kept render is what a reconcile would get
        assertThat(source.unchanged(app).revision())
            .isEqualTo(String.join(",", "1.1.0", valuesCommit, extrasCommit));

        // a commit to the ref source alone: its watcher asks for a reconcile, the chart re-renders
        String next =
            git.commitFiles(
                "values", Map.of("env/prod/web.yaml", "greeting: hello again\n"), "greeting");
        eventually(
            WAIT,
            () -> live(WEB, "greeting").equals(Optional.of("hello again")),
            "the values commit is synced");
        eventually(
            WAIT,
            () ->
                strings(status().at("/sync/revisions"))
                    .equals(List.of("1.1.0", next, extrasCommit)),
            () -> "the new revisions are in the status (" + status().at("/sync") + ")");
        assertThat(source.unchanged(app).revision())
            .isEqualTo(String.join(",", "1.1.0", next, extrasCommit));
      }
    }
  }

  private GitWatcher watcher(RepoCheckouts checkouts, String repo) {
    return GitWatcher.builder(checkouts.source(git.url(repo)), "main")
        .interval(Duration.ofSeconds(1))
        .jitter(0)
        .scheduler(PollScheduler.of(polls))
        .build();
  }
}

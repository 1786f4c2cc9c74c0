package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.watch.ChangeKind;
import io.glidepath.git.watch.GitChange;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-source Application read from one repository: every source rendered and combined (a {@code
 * $ref} source lending a value file to a Helm source), and a commit to any source's inputs, not
 * only the first's, renders it again.
 */
class GitDesiredStateSourceMultiSourceIT {
  @TempDir Path dir;
  private LocalGitServer git;

  @BeforeEach
  void startGit() throws Exception {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
    Path content = dir.resolve("content");
    Files.createDirectories(content.resolve("apps/web"));
    Files.createDirectories(content.resolve("apps/jobs"));
    Files.createDirectories(content.resolve("charts/shop/templates"));
    Files.createDirectories(content.resolve("env"));
    Files.createDirectories(content.resolve("apps/other"));
    Files.writeString(content.resolve("apps/web/cm.yaml"), configMap("web", "info"));
    Files.writeString(content.resolve("apps/jobs/cm.yaml"), configMap("jobs", "info"));
    Files.writeString(content.resolve("apps/other/cm.yaml"), configMap("other", "info"));
    Files.writeString(
        content.resolve("charts/shop/Chart.yaml"), "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
    Files.writeString(content.resolve("charts/shop/values.yaml"), "tier: dev\n");
    Files.writeString(
        content.resolve("charts/shop/templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n"
            + "  TIER: {{ .Values.tier | quote }}\n");
    Files.writeString(content.resolve("env/prod.yaml"), "tier: prod\n");
    git.seed("configs", content, "first");
  }

  @AfterEach
  void close() {
    if (git != null) {
      git.close();
    }
  }

  private static String configMap(String name, String level) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  LEVEL: "
        + level
        + "\n";
  }

  private Application app(String extraSource) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop}
        spec:
          sources:
            - {repoURL: "%1$s", targetRevision: main, path: apps/web}
            - {repoURL: "%1$s", targetRevision: main, path: apps/jobs}
            - repoURL: "%1$s"
              targetRevision: main
              path: charts/shop
              helm: {valueFiles: [$values/env/prod.yaml]}
            - {repoURL: "%1$s", targetRevision: main, ref: values}
        %2$s
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
        """
            .formatted(git.url("configs"), extraSource),
        "shop.yaml");
  }

  /** Name -> the one data value of each ConfigMap of {@code state}. */
  private static Map<String, String> data(DesiredState state) {
    Map<String, String> out = new TreeMap<>();
    for (Resource r : state.resources()) {
      String value =
          r.body().path("data").propertyStream().findFirst().orElseThrow().getValue().asString();
      out.put(r.key().name(), value);
    }
    return out;
  }

  @Test
  void rendersEverySourceAndTheRefValueFile() {
    Application app = app("");
    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      DesiredState state = GitDesiredStateSource.of(source, app).fetch();

      assertThat(data(state))
          .containsExactly(
              Map.entry("jobs", "info"), Map.entry("shop", "prod"), Map.entry("web", "info"));
      String head = git.head("configs", "main");
      assertThat(state.revision()).isEqualTo(String.join(",", head, head, head, head));
      assertThat(state.sources()).hasSize(4);
      assertThat(state.sources().get(2).sourceType()).contains(SourceType.HELM);
    }
  }

  @Test
  void aCommitToAnySourceOrToTheRefValueFileRendersAgainAndNoOtherDoes() {
    Application app = app("");
    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      source.fetch();
      GitDesiredStateSource desired = GitDesiredStateSource.of(source, app).withoutFetch();
      desired.fetch(app);
      assertThat(desired.inputs())
          .contains("apps/web", "apps/jobs", "charts/shop", "env/prod.yaml");

      // a commit elsewhere in the repository: not affected, not rendered
      GitChange other = commit(source, "apps/other/cm.yaml", configMap("other", "warn"));
      assertThat(desired.affectedBy(other, app)).isFalse();
      desired.fetch(app);
      assertThat(desired.renders()).isEqualTo(1);

      // the second source's path
      GitChange jobs = commit(source, "apps/jobs/cm.yaml", configMap("jobs", "debug"));
      assertThat(desired.affectedBy(jobs, app)).isTrue();
      assertThat(data(desired.fetch(app))).containsEntry("jobs", "debug");
      assertThat(desired.renders()).isEqualTo(2);

      // the value file the ref source lends to the Helm source
      GitChange values = commit(source, "env/prod.yaml", "tier: production\n");
      assertThat(desired.affectedBy(values, app)).isTrue();
      assertThat(data(desired.fetch(app))).containsEntry("shop", "production");
      assertThat(desired.renders()).isEqualTo(3);
    }
  }

  @Test
  void theLaterSourceWinsAResourceTwoSourcesRender() throws Exception {
    git.commitFiles(
        "configs", Map.of("apps/jobs/web.yaml", configMap("web", "from-jobs")), "web in jobs too");
    Application app = app("");
    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      DesiredState state = GitDesiredStateSource.of(cache.source(git.url("configs")), app).fetch();
      // as Argo CD: the last source producing a resource takes precedence (a warning, no refusal)
      assertThat(data(state)).containsEntry("web", "from-jobs").hasSize(3);
    }
  }

  @Test
  void refusesSourcesItCannotRead() {
    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      Application chart =
          app("    - {repoURL: \"https://charts.example.com\", chart: db, targetRevision: 1.0.0}");
      assertThatThrownBy(() -> GitDesiredStateSource.of(source, chart).fetch())
          .isInstanceOf(GlidepathException.class)
          .hasMessageContaining("spec.sources[4] is the chart db")
          .hasMessageContaining("ApplicationDesiredStateSource");
      Application elsewhere =
          app(
              "    - {repoURL: \"https://git.example.com/other.git\", targetRevision: main,"
                  + " path: x}");
      assertThatThrownBy(() -> GitDesiredStateSource.of(source, elsewhere).fetch())
          .isInstanceOf(GlidepathException.class)
          .hasMessageContaining("spec.sources[4].repoURL is https://git.example.com/other.git");
    }
  }

  private GitChange commit(GitSource source, String file, String text) {
    CommitId before = source.resolve("main");
    git.commitFiles("configs", Map.of(file, text), "change " + file);
    source.fetch();
    CommitId after = source.resolve("main");
    return new GitChange(
        "main",
        Optional.of(before),
        after,
        ChangeKind.FAST_FORWARD,
        Optional.of(source.changedPaths(before, after)));
  }
}

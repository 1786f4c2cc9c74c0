package io.glidepath.examples.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.watch.ChangeKind;
import io.glidepath.git.watch.GitChange;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.GitDesiredStateSource;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render records what it read, wherever it lies in the repository: a commit that changes a
 * Kustomize base or a Helm value file outside the app's path renders the app again; one that
 * changes neither keeps the render.
 */
class RenderInputsIT {
  private LocalGitServer git;

  @BeforeEach
  void startGit() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
  }

  @AfterEach
  void stopGit() {
    if (git != null) {
      git.close();
    }
  }

  private Application app(String name, String path, String helm) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "%s", targetRevision: main, path: %s%s}
          destination: {server: "https://kubernetes.default.svc", namespace: %s}
        """
            .formatted(name, git.url("configs"), path, helm, name),
        name + ".yaml");
  }

  private static String configMap(String name, String key, String value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  "
        + key
        + ": "
        + value
        + "\n";
  }

  private static void write(Path root, String file, String text) throws Exception {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static String data(DesiredState state, String key) {
    return state.resources().stream()
        .filter(r -> r.kind().equals("ConfigMap"))
        .map(r -> r.body().at("/data/" + key).asString(""))
        .filter(v -> !v.isEmpty())
        .findFirst()
        .orElse("");
  }

  @Test
  void aSharedBaseOrAValueFileOutsideTheAppsPathRendersTheAppAgain(@TempDir Path dir)
      throws Exception {
    Path content = dir.resolve("content");
    write(content, "shared/base/kustomization.yaml", "resources:\n- cm.yaml\n");
    write(content, "shared/base/cm.yaml", configMap("settings", "LEVEL", "info"));
    write(content, "apps/shop/kustomization.yaml", "resources:\n- ../../shared/base\n");
    write(content, "apps/other/cm.yaml", configMap("other", "LEVEL", "info"));
    write(content, "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    write(
        content,
        "charts/web/templates/cm.yaml",
        configMap("web", "COLOR", "{{ .Values.color | quote }}"));
    write(content, "charts/web/values.yaml", "color: red\n");
    write(content, "envs/prod/values.yaml", "color: blue\n");
    String c1 = git.seed("configs", content, "first");

    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      source.fetch();
      Application shopApp = app("shop", "apps/shop", "");
      Application webApp =
          app("web", "charts/web", ", helm: {valueFiles: [../../envs/prod/values.yaml]}");
      Application otherApp = app("other", "apps/other", "");
      GitDesiredStateSource shop = GitDesiredStateSource.of(source, shopApp).withoutFetch();
      GitDesiredStateSource web = GitDesiredStateSource.of(source, webApp).withoutFetch();
      GitDesiredStateSource other = GitDesiredStateSource.of(source, otherApp).withoutFetch();
      DesiredState shop1 = shop.fetch(shopApp);
      DesiredState web1 = web.fetch(webApp);
      DesiredState other1 = other.fetch(otherApp);
      assertThat(data(shop1, "LEVEL")).isEqualTo("info");
      assertThat(data(web1, "COLOR")).isEqualTo("blue");
      assertThat(shop.inputs()).contains("apps/shop", "shared/base", "shared/base/cm.yaml");
      assertThat(web.inputs()).contains("charts/web", "envs/prod/values.yaml");
      // the plain directory's own files may be recorded too, but nothing outside its path
      assertThat(other.inputs()).contains("apps/other").allMatch(p -> p.startsWith("apps/other"));

      // the shared base changes: only the Kustomize app is rendered again
      String c2 =
          git.commitFiles(
              "configs",
              Map.of("shared/base/cm.yaml", configMap("settings", "LEVEL", "debug")),
              "base");
      source.fetch();
      GitChange change = change(source, c1, c2);
      assertThat(shop.affectedBy(change, shopApp)).isTrue();
      assertThat(web.affectedBy(change, webApp)).isFalse();
      assertThat(other.affectedBy(change, otherApp)).isFalse();
      DesiredState shop2 = shop.fetch(shopApp);
      assertThat(data(shop2, "LEVEL")).isEqualTo("debug");
      assertThat(shop2.revision()).isEqualTo(c2);
      assertThat(web.fetch(webApp)).isEqualTo(web1);
      assertThat(other.fetch(otherApp)).isEqualTo(other1);
      assertThat(other1.revision()).isNotEqualTo(c2); // kept: the commit its inputs changed at

      // the value file outside the chart changes: only the Helm app is rendered again
      String c3 =
          git.commitFiles("configs", Map.of("envs/prod/values.yaml", "color: green\n"), "values");
      source.fetch();
      GitChange values = change(source, c2, c3);
      assertThat(web.affectedBy(values, webApp)).isTrue();
      assertThat(shop.affectedBy(values, shopApp)).isFalse();
      assertThat(data(web.fetch(webApp), "COLOR")).isEqualTo("green");
      assertThat(shop.fetch(shopApp)).isEqualTo(shop2);
      assertThat(shop.renders()).isEqualTo(2);
      assertThat(web.renders()).isEqualTo(2);
      assertThat(other.renders()).isEqualTo(1);
    }
  }

  @Test
  void aMultiSourceAppIsRenderedAgainOnlyForACommitToOneOfItsSources(@TempDir Path dir)
      throws Exception {
    Path content = dir.resolve("content");
    write(content, "apps/one/cm.yaml", configMap("one", "LEVEL", "info"));
    write(content, "apps/two/cm.yaml", configMap("two", "LEVEL", "info"));
    write(content, "unrelated/readme.txt", "first\n");
    String c1 = git.seed("configs", content, "first");

    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      GitSource source = cache.source(git.url("configs"));
      source.fetch();
      String url = git.url("configs");
      Application multi =
          Application.parse(
              """
              apiVersion: argoproj.io/v1alpha1
              kind: Application
              metadata: {name: multi, namespace: argocd}
              spec:
                project: default
                sources:
                - {repoURL: "%s", targetRevision: main, path: apps/one}
                - {repoURL: "%s", targetRevision: main, path: apps/two}
                destination: {server: "https://kubernetes.default.svc", namespace: multi}
              """
                  .formatted(url, url),
              "multi.yaml");
      GitDesiredStateSource states = GitDesiredStateSource.of(source, multi).withoutFetch();
      assertThat(states.fetch(multi).resources().size()).isEqualTo(2); // both sources
      assertThat(states.renders()).isEqualTo(1);

      // a commit touching neither source's files leaves the app alone
      String c2 =
          git.commitFiles("configs", Map.of("unrelated/readme.txt", "second\n"), "unrelated");
      source.fetch();
      assertThat(states.affectedBy(change(source, c1, c2), multi)).isFalse();
      assertThat(states.renders()).isEqualTo(1);

      // a commit to the second source's path renders it again
      String c3 =
          git.commitFiles(
              "configs", Map.of("apps/two/cm.yaml", configMap("two", "LEVEL", "debug")), "two");
      source.fetch();
      assertThat(states.affectedBy(change(source, c2, c3), multi)).isTrue();
      assertThat(states.fetch(multi).sources())
          .extracting(DesiredState.SourceRevision::revision)
          .containsExactly(c3, c3);
      assertThat(states.renders()).isEqualTo(2);
    }
  }

  /** The change a watcher would report for the branch moving to {@code commit}. */
  private static GitChange change(GitSource source, String previous, String commit) {
    CommitId to = CommitId.of(commit);
    CommitId from = CommitId.of(previous);
    return new GitChange(
        "main",
        Optional.of(from),
        to,
        ChangeKind.FAST_FORWARD,
        Optional.of(source.changedPaths(from, to)));
  }
}

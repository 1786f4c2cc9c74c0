package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.git.ChangedPaths;
import io.glidepath.git.CommitId;
import io.glidepath.git.FetchResult;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.git.watch.ChangeKind;
import io.glidepath.git.watch.GitChange;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of a commit for an app it does not touch: a watcher's change is checked against the
 * change's own paths, and the app's render is then known to hold at the new commit, so the next
 * change is checked the same cheap way (no tree diff per app from an ever older commit).
 */
class GitDesiredStateSourceIT {
  private LocalGitServer git;

  @BeforeEach
  void startGit() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
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

  /** App b of the configs repository ({@code apps/b}), deployed to {@code namespace}. */
  private Application appB(String namespace) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: b}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: apps/b}
          destination: {server: "https://kubernetes.default.svc", namespace: %s}
        """
            .formatted(git.url("configs"), namespace),
        "b.yaml");
  }

  @Test
  void commitsThatTouchOtherAppsCostNoTreeDiffForThisOne(@TempDir Path dir) throws Exception {
    Path content = dir.resolve("content");
    Files.createDirectories(content.resolve("apps/a"));
    Files.createDirectories(content.resolve("apps/b"));
    Files.writeString(content.resolve("apps/a/cm.yaml"), configMap("a", "info"));
    Files.writeString(content.resolve("apps/b/cm.yaml"), configMap("b", "info"));
    git.seed("configs", content, "first");
    Application b = appB("b");
    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      CountingSource source = new CountingSource(cache.source(git.url("configs")));
      source.fetch();
      GitDesiredStateSource desired = GitDesiredStateSource.of(source, b).withoutFetch();
      String first = desired.fetch(b).revision();
      CommitId previous = source.resolve("main");

      // three commits to app a, each seen as a watcher reports it (with its changed paths)
      for (String level : new String[] {"debug", "warn", "error"}) {
        git.commitFiles("configs", Map.of("apps/a/cm.yaml", configMap("a", level)), level);
        source.fetch();
        CommitId next = source.resolve("main");
        GitChange change =
            new GitChange(
                "main",
                Optional.of(previous),
                next,
                ChangeKind.FAST_FORWARD,
                Optional.of(source.delegate.changedPaths(previous, next)));
        source.diffs.set(0);

        assertThat(desired.affectedBy(change, b)).as("a commit to a, seen by b").isFalse();
        assertThat(source.diffs).as("tree diffs b needed for " + level).hasValue(0);
        previous = next;
      }

      // b's own reconcile finds its render current at the head: no render, no diff; the source
      // says so without reading the render back (the controller's unchanged-render path)
      assertThat(desired.unchanged(b)).isNotNull();
      assertThat(desired.unchanged(b).revision()).isEqualTo(first);
      assertThat(desired.fetch(b).revision()).isEqualTo(first);
      assertThat(desired.renders()).isEqualTo(1);
      assertThat(source.diffs).hasValue(0);

      // a commit to b does wake it
      git.commitFiles("configs", Map.of("apps/b/cm.yaml", configMap("b", "debug")), "b");
      source.fetch();
      CommitId touching = source.resolve("main");
      GitChange change =
          new GitChange(
              "main",
              Optional.of(previous),
              touching,
              ChangeKind.FAST_FORWARD,
              Optional.of(source.delegate.changedPaths(previous, touching)));
      assertThat(desired.affectedBy(change, b)).isTrue();
      source.diffs.set(0);
      assertThat(desired.unchanged(b)).as("a render is needed").isNull();
      assertThat(desired.renders()).as("unchanged renders nothing").isEqualTo(1);
      assertThat(desired.fetch(b).revision()).isEqualTo(touching.sha());
      assertThat(source.diffs)
          .as("one tree diff for unchanged() and the fetch after it")
          .hasValue(1);
      assertThat(desired.renders()).isEqualTo(2);
      assertThat(desired.unchanged(b).revision()).isEqualTo(touching.sha());
      // another destination namespace is another render
      assertThat(desired.unchanged(appB("b2"))).isNull();
    }
  }

  @Test
  void aTouchedAppIsRenderedFromATreeOfWhatItReadUnlessItNowReadsMore(@TempDir Path dir)
      throws Exception {
    Path content = dir.resolve("content");
    Files.createDirectories(content.resolve("apps/h/templates"));
    Files.writeString(
        content.resolve("apps/h/Chart.yaml"), "apiVersion: v2\nname: h\nversion: 0.1.0\n");
    Files.writeString(content.resolve("apps/h/values.yaml"), "level: info\n");
    Files.writeString(
        content.resolve("apps/h/templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
            + "data: {LEVEL: \"{{ .Values.level }}\"}\n");
    Files.createDirectories(content.resolve("lib/common/templates"));
    Files.writeString(
        content.resolve("lib/common/Chart.yaml"), "apiVersion: v2\nname: common\nversion: 0.1.0\n");
    Files.writeString(
        content.resolve("lib/common/templates/extra.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n");
    Files.createDirectories(content.resolve("apps/other"));
    Files.writeString(content.resolve("apps/other/cm.yaml"), configMap("other", "info"));
    git.seed("configs", content, "first");
    Application h =
        Application.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: h}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: apps/h}
              destination: {server: "https://kubernetes.default.svc", namespace: h}
            """
                .formatted(git.url("configs")),
            "h.yaml");
    try (GitCache cache = GitCache.open(dir.resolve("cache"))) {
      CountingSource source = new CountingSource(cache.source(git.url("configs")));
      source.fetch();
      GitDesiredStateSource desired = GitDesiredStateSource.of(source, h).withoutFetch();
      assertThat(desired.fetch(h).resources().size()).isEqualTo(1);
      assertThat(source.wholeTrees).as("the first render reads the whole tree").hasValue(1);
      assertThat(desired.inputs()).allMatch(p -> p.startsWith("apps/h"));

      // a commit to the chart: rendered again from a tree of the chart alone
      git.commitFiles("configs", Map.of("apps/h/values.yaml", "level: debug\n"), "debug");
      source.fetch();
      DesiredState second = desired.fetch(h);
      assertThat(second.revision()).isEqualTo(source.resolve("main").sha());
      assertThat(
              second.resources().stream()
                  .map(r -> r.body().at("/data/LEVEL").asString(""))
                  .toList())
          .containsExactly("debug");
      assertThat(source.partialTrees).hasValue(1);
      assertThat(source.wholeTrees).hasValue(1);
      assertThat(desired.renders()).isEqualTo(2);
      assertThat(desired.partialRenders()).isEqualTo(1);

      // the chart now depends on a chart outside its directory: the partial render cannot stand,
      // and the whole tree is rendered
      git.commitFiles(
          "configs",
          Map.of(
              "apps/h/Chart.yaml",
              "apiVersion: v2\nname: h\nversion: 0.1.0\ndependencies:\n"
                  + "- {name: common, version: 0.1.0, repository: \"file://../../lib/common\"}\n"),
          "depend");
      source.fetch();
      DesiredState third = desired.fetch(h);
      assertThat(third.resources().stream().map(r -> r.name()).toList())
          .containsExactlyInAnyOrder("settings", "extra");
      assertThat(source.partialTrees).hasValue(2);
      assertThat(source.wholeTrees).hasValue(2);
      assertThat(desired.renders()).isEqualTo(3);
      assertThat(desired.partialRenders()).isEqualTo(1);
      assertThat(desired.inputs()).contains("lib/common");
    }
  }

  /** A GitSource that counts the tree diffs asked of it. */
  private static final class CountingSource implements GitSource {
    final GitSource delegate;
    final AtomicInteger diffs = new AtomicInteger();
    final AtomicInteger wholeTrees = new AtomicInteger();
    final AtomicInteger partialTrees = new AtomicInteger();

    CountingSource(GitSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public GitRemote remote() {
      return delegate.remote();
    }

    @Override
    public FetchResult fetch() {
      return delegate.fetch();
    }

    @Override
    public CommitId resolve(String revision) {
      return delegate.resolve(revision);
    }

    @Override
    public Snapshot snapshot(CommitId commit) {
      wholeTrees.incrementAndGet();
      return delegate.snapshot(commit);
    }

    @Override
    public Snapshot snapshot(CommitId commit, java.util.Collection<String> paths) {
      partialTrees.incrementAndGet();
      return delegate.snapshot(commit, paths);
    }

    @Override
    public ChangedPaths changedPaths(CommitId from, CommitId to) {
      diffs.incrementAndGet();
      return delegate.changedPaths(from, to);
    }

    @Override
    public boolean isAncestor(CommitId ancestor, CommitId descendant) {
      return delegate.isAncestor(ancestor, descendant);
    }
  }
}

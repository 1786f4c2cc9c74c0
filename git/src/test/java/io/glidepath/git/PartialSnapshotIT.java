package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot of some paths of a commit holds those paths only, unless the commit's tree holds a
 * link; a resolved revision follows every fetch.
 */
class PartialSnapshotIT {
  private LocalGitServer server;
  @TempDir Path tmp;

  @BeforeEach
  void start() {
    server = GitTestSupport.startServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPartialSnapshotHoldsOnlyItsPathsAndIsSharedPerPathSet() throws Exception {
    Path content = tmp.resolve("content");
    GitTestSupport.writeTree(
        content,
        Map.of(
            "apps/a/cm.yaml", "a: 1\n",
            "apps/a/sub/more.yaml", "b: 2\n",
            "apps/b/cm.yaml", "c: 3\n",
            "base/common.yaml", "d: 4\n",
            "README.md", "hello\n"));
    server.seed("repo", content, "first");
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(server.url("repo"));
      source.fetch();
      CommitId commit = source.resolve("main");
      try (Snapshot partial = source.snapshot(commit, List.of("apps/a", "base/common.yaml"));
          Snapshot again = source.snapshot(commit, List.of("base/common.yaml", "apps/a/"))) {
        Path root = partial.root();
        assertThat(Files.readString(root.resolve("apps/a/cm.yaml"))).isEqualTo("a: 1\n");
        assertThat(Files.readString(root.resolve("apps/a/sub/more.yaml"))).isEqualTo("b: 2\n");
        assertThat(Files.readString(root.resolve("base/common.yaml"))).isEqualTo("d: 4\n");
        assertThat(root.resolve("apps/b")).doesNotExist();
        assertThat(root.resolve("README.md")).doesNotExist();
        assertThat(partial.commit()).isEqualTo(commit);
        assertThat(again.root()).isEqualTo(root);
        try (Snapshot whole = source.snapshot(commit)) {
          assertThat(whole.root()).isNotEqualTo(root);
          assertThat(whole.root().resolve("apps/b/cm.yaml")).exists();
        }
      }
      // the root among the paths: the whole tree
      try (Snapshot all = source.snapshot(commit, List.of("apps/a", ""))) {
        assertThat(all.root().resolve("README.md")).exists();
      }
    }
  }

  @Test
  void aCommitHoldingALinkIsCheckedOutWhole() throws Exception {
    Path content = tmp.resolve("content");
    GitTestSupport.writeTree(
        content, Map.of("apps/a/cm.yaml", "a: 1\n", "apps/b/real.yaml", "b: 2\n"));
    Files.createSymbolicLink(content.resolve("apps/b/link.yaml"), Path.of("real.yaml"));
    server.seed("linked", content, "first");
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(server.url("linked"));
      source.fetch();
      try (Snapshot s = source.snapshot(source.resolve("main"), List.of("apps/a"))) {
        assertThat(s.root().resolve("apps/b/real.yaml")).exists();
        assertThat(Files.isSymbolicLink(s.root().resolve("apps/b/link.yaml"))).isTrue();
      }
    }
  }

  @Test
  void aResolvedRevisionMovesWithEveryFetchAndOnlyThen() throws Exception {
    Path content = tmp.resolve("content");
    GitTestSupport.writeTree(content, Map.of("a.yaml", "a: 1\n"));
    String first = server.seed("moving", content, "first");
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(server.url("moving"));
      source.fetch();
      assertThat(source.resolve("main").sha()).isEqualTo(first);
      String second = server.commitFiles("moving", Map.of("a.yaml", "a: 2\n"), "second");
      assertThat(source.resolve("main").sha()).as("not fetched yet").isEqualTo(first);
      // another source of the same clone fetches: this one sees the new commit too
      cache.source(server.url("moving")).fetch();
      assertThat(source.resolve("main").sha()).isEqualTo(second);
      assertThat(source.resolve("HEAD").sha()).isEqualTo(second);
    }
  }
}

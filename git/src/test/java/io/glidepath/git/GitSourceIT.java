package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceIT {
  static LocalGitServer server;
  static String first;

  @TempDir Path tmp;
  GitCache cache;

  @BeforeAll
  static void startServer(@TempDir Path content) {
    server = GitTestSupport.startServer();
    first =
        server.seed(
            "gitops",
            GitTestSupport.seedGitopsRepo(
                GitTestSupport.writeTree(content, Map.of("README.md", "hello\n"))),
            "initial");
    server.tag("gitops", "v1.0.0", first, "release 1.0.0");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void openCache() {
    cache = GitCache.builder(tmp.resolve("cache")).maxSnapshots(2).build();
  }

  @AfterEach
  void closeCache() {
    cache.close();
  }

  @Test
  void resolvesBranchesTagsIdsAndHeadAfterFetch() {
    GitSource source = cache.source(server.url("gitops"));
    FetchResult fetched = source.fetch();

    assertThat(fetched.cloned()).isTrue();
    assertThat(fetched.updatedRefs()).containsKeys("refs/heads/main", "refs/tags/v1.0.0", "HEAD");
    CommitId main = source.resolve("main");
    assertThat(main.sha()).isEqualTo(first);
    assertThat(source.resolve("HEAD")).isEqualTo(main);
    assertThat(source.resolve("v1.0.0")).isEqualTo(main);
    assertThat(source.resolve("refs/heads/main")).isEqualTo(main);
    assertThat(source.resolve(first)).isEqualTo(main);
    assertThat(source.resolve(first.substring(0, 8).toUpperCase())).isEqualTo(main);
    assertThat(source.fetch().isUpToDate()).isTrue();
  }

  @Test
  void unknownRevisionIsATypedError() {
    GitSource source = cache.source(server.url("gitops"));
    assertThatThrownBy(() -> source.resolve("main"))
        .isInstanceOf(UnknownRevisionException.class)
        .hasMessageContaining("not fetched yet");
    source.fetch();

    assertThatThrownBy(() -> source.resolve("no-such-branch"))
        .isInstanceOfSatisfying(
            UnknownRevisionException.class,
            e -> {
              assertThat(e.revision()).isEqualTo("no-such-branch");
              assertThat(e.repository()).isEqualTo(server.url("gitops"));
            });
    assertThatThrownBy(() -> source.resolve("0000000000000000000000000000000000000001"))
        .isInstanceOf(UnknownRevisionException.class)
        .hasMessageContaining("not in the fetched history");
    assertThatThrownBy(
            () -> source.snapshot(CommitId.of("00000000000000000000000000000000000000ff")))
        .isInstanceOf(UnknownRevisionException.class);
  }

  @Test
  void snapshotIsAReadOnlyTreeSharedPerCommit() throws IOException {
    GitSource source = cache.source(server.url("gitops"));
    CommitId head = source.fetchAndResolve("main");

    try (Snapshot a = source.snapshot(head);
        Snapshot b = cache.source(server.url("gitops")).snapshot(head)) {
      assertThat(b.root()).isEqualTo(a.root());
      Path values = a.resolve("apps/trade-service/values.yaml");
      assertThat(Files.readString(values)).contains("tag: \"\"");
      assertThat(Files.getPosixFilePermissions(values))
          .doesNotContain(PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(values.getParent()))
          .doesNotContain(PosixFilePermission.OWNER_WRITE);
      assertThatThrownBy(() -> a.resolve("../outside"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> a.resolve("/etc/passwd"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void escapingSymlinksAreReportedAndNeverCreated(@TempDir Path content) throws IOException {
    GitTestSupport.writeTree(content, Map.of("app/values.yaml", "a: 1\n", "a/b/keep.txt", "x\n"));
    Files.createSymbolicLink(content.resolve("app/ok.yaml"), Path.of("values.yaml"));
    Files.createSymbolicLink(content.resolve("app/climb"), Path.of("../../../../etc/passwd"));
    Files.createSymbolicLink(content.resolve("app/absolute"), Path.of("/etc/passwd"));
    // each link stays inside by name; together they climb one level above the root
    Files.createSymbolicLink(content.resolve("a/b/s"), Path.of("../.."));
    Files.createSymbolicLink(content.resolve("a/b/t"), Path.of("s/.."));
    server.seed("links", content, "links");
    GitSource source = cache.source(server.fileUrl("links"));

    try (Snapshot snap = source.snapshot(source.fetchAndResolve("main"))) {
      assertThat(snap.symlinkViolations())
          .extracting(SymlinkViolation::path)
          .containsExactlyInAnyOrder("app/climb", "app/absolute", "a/b/t");
      assertThat(
              Files.exists(
                  snap.root().resolve("app/climb"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .isFalse();
      assertThat(
              Files.exists(snap.root().resolve("a/b/t"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .isFalse();
      assertThat(Files.readString(snap.resolve("app/ok.yaml"))).isEqualTo("a: 1\n");
      assertThat(Files.isSymbolicLink(snap.root().resolve("a/b/s"))).isTrue();
      assertThatThrownBy(() -> snap.resolve("a/b/s/.."))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aCommitWithAnEscapingLinkIsRefusedForRenderingNamingTheLink(@TempDir Path content)
      throws IOException {
    GitTestSupport.writeTree(content, Map.of("chart/Chart.yaml", "name: c\n"));
    Files.createSymbolicLink(content.resolve("chart/values.yaml"), Path.of("/etc/passwd"));
    server.seed("passwd-link", content, "values from the host");
    GitSource source = cache.source(server.fileUrl("passwd-link"));

    try (Snapshot snap = source.snapshot(source.fetchAndResolve("main"))) {
      assertThatThrownBy(() -> snap.requireContainedLinks(source.remote().url()))
          .isInstanceOfSatisfying(
              SymlinkEscapeException.class,
              e ->
                  assertThat(e.violations())
                      .containsExactly(new SymlinkViolation("chart/values.yaml", "/etc/passwd")))
          .hasMessageContaining("chart/values.yaml -> /etc/passwd")
          .hasMessageContaining("it is not rendered");
    }
  }

  @Test
  void leastRecentlyUsedSnapshotsAreDeletedOnlyWhenNoOneHoldsThem() {
    server.createBare("lru");
    String c1 = server.commitFiles("lru", Map.of("f.txt", "1\n"), "one");
    String c2 = server.commitFiles("lru", Map.of("f.txt", "2\n"), "two");
    String c3 = server.commitFiles("lru", Map.of("f.txt", "3\n"), "three");
    GitSource source = cache.source(server.url("lru"));
    source.fetch();

    Snapshot held = source.snapshot(CommitId.of(c1));
    Path r2;
    try (Snapshot s2 = source.snapshot(CommitId.of(c2))) {
      r2 = s2.root();
    }
    try (Snapshot s3 = source.snapshot(CommitId.of(c3))) {
      assertThat(s3.root()).exists();
    }
    assertThat(held.root()).as("held snapshot survives eviction").exists();
    assertThat(r2).as("least recently used free snapshot is evicted").doesNotExist();
    Path r1 = held.root();
    held.close();
    try (Snapshot again = source.snapshot(CommitId.of(c2))) {
      assertThat(again.root()).exists();
    }
    assertThat(r1).doesNotExist();
  }

  @Test
  void changedPathsListsOnlyTheFilesACommitTouched() {
    server.createBare("changes");
    String a =
        server.commitFiles(
            "changes",
            Map.of("apps/one/values.yaml", "x: 1\n", "apps/two/values.yaml", "y: 1\n"),
            "a");
    String b = server.commitFiles("changes", Map.of("apps/two/values.yaml", "y: 2\n"), "b");
    GitSource source = cache.source(server.url("changes"));
    source.fetch();

    ChangedPaths changed = source.changedPaths(CommitId.of(a), CommitId.of(b));

    assertThat(changed.paths()).containsExactly("apps/two/values.yaml");
    assertThat(changed.touches("apps/two")).isTrue();
    assertThat(changed.touches("apps/one")).isFalse();
    assertThat(changed.touches("apps/tw")).isFalse();
    assertThat(changed.touches("")).isTrue();
    assertThat(source.isAncestor(CommitId.of(a), CommitId.of(b))).isTrue();
    assertThat(source.isAncestor(CommitId.of(b), CommitId.of(a))).isFalse();
  }

  @Test
  void remoteDownIsATypedErrorAndTheCacheKeepsItsState() {
    server.createBare("down");
    String c1 = server.commitFiles("down", Map.of("f.txt", "1\n"), "one");
    GitSource source = cache.source(server.url("down"));
    source.fetch();

    server.stopDaemon();
    try {
      assertThatThrownBy(source::fetch)
          .isInstanceOfSatisfying(
              GitTransportException.class,
              e -> {
                assertThat(e.operation()).isEqualTo("fetch");
                assertThat(e.repository()).isEqualTo(server.url("down"));
              });
      assertThat(source.resolve("main").sha()).isEqualTo(c1);
      GitSource neverCloned = cache.source("git://127.0.0.1:" + server.port() + "/other.git");
      assertThatThrownBy(neverCloned::fetch).isInstanceOf(GitTransportException.class);
    } finally {
      server.startDaemon();
    }
  }

  @Test
  void concurrentFetchesOfOneRepositoryShareOneClone() throws Exception {
    server.createBare("shared");
    String c1 = server.commitFiles("shared", Map.of("f.txt", "1\n"), "one");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<CommitId>> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String url = i % 2 == 0 ? server.url("shared") : server.url("shared") + "/";
        tasks.add(() -> cache.source(url).fetchAndResolve("main"));
      }
      for (Future<CommitId> f : pool.invokeAll(tasks)) {
        assertThat(f.get().sha()).isEqualTo(c1);
      }
    } finally {
      pool.shutdownNow();
    }
    try (var repos = Files.list(tmp.resolve("cache/repos"))) {
      assertThat(repos.filter(p -> p.getFileName().toString().startsWith("shared-")).count())
          .isEqualTo(1);
    }
  }

  @Test
  void aShallowCacheFetchesOnlyTheLastCommitsButResolvesAndSnapshotsTheHead() {
    server.createBare("shallow");
    server.commitFiles("shallow", Map.of("f.txt", "1\n"), "one");
    String c2 = server.commitFiles("shallow", Map.of("f.txt", "2\n"), "two");
    try (GitCache shallow = GitCache.builder(tmp.resolve("shallow")).shallowDepth(1).build()) {
      GitSource source = shallow.source(server.url("shallow"));

      CommitId head = source.fetchAndResolve("main");

      assertThat(head.sha()).isEqualTo(c2);
      try (Snapshot snap = source.snapshot(head)) {
        assertThat(snap.resolve("f.txt")).hasContent("2");
      }
      assertThat(tmp.resolve("shallow/repos").toFile().list()).hasSize(1);
    }
  }
}

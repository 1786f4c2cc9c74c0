package io.glidepath.git.writeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitTestSupport;
import io.glidepath.git.GitTransportException;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

class GitWriteBackIT {
  static final String VALUES = "apps/trade-service/values.yaml";
  static final String SHA = "9f3c2ab7d41e5f60718293a4b5c6d7e8f9012345";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  static LocalGitServer server;
  static Path seedContent;

  @TempDir Path tmp;
  final List<GitCache> caches = new ArrayList<>();
  String repo;

  @BeforeAll
  static void startServer(@TempDir Path content) {
    server = GitTestSupport.startServer();
    seedContent = GitTestSupport.seedGitopsRepo(content);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeCaches() {
    caches.forEach(GitCache::close);
  }

  void seed(TestInfo info) {
    repo = info.getTestMethod().orElseThrow().getName();
    server.seed(repo, seedContent, "initial");
  }

  /** A writer as a separate CI machine would be: its own cache, its own clone. */
  GitWriteBack.Builder writer(String url) {
    GitCache cache = GitCache.open(tmp.resolve("cache-" + caches.size()));
    caches.add(cache);
    return GitWriteBack.builder(cache.source(GitRemote.of(url)))
        .author("CI Bot", "ci-bot@example.com")
        .messageTemplate("chore: update trade-service image to {value}")
        .backoff(Duration.ofMillis(5), Duration.ofMillis(50), 0.5)
        .clock(CLOCK);
  }

  @Test
  void theSeedsCiStepCommitsAOneLineChangeOverGitDaemon(TestInfo info) {
    seed(info);
    String before = server.head(repo, "main");

    WriteBackResult result = writer(server.url(repo)).build().set(VALUES, "image.tag", SHA);

    assertThat(result).isInstanceOf(WriteBackResult.Committed.class);
    assertThat(result.head().sha()).isEqualTo(server.head(repo, "main"));
    assertThat(((WriteBackResult.Committed) result).parent().sha()).isEqualTo(before);
    Path bare = server.repoDir(repo);
    assertThat(server.git(bare, "show", "--numstat", "--format=", "main"))
        .isEqualTo("1\t1\t" + VALUES + "\n");
    assertThat(server.git(bare, "log", "-1", "--format=%an <%ae>|%s|%at", "main").strip())
        .isEqualTo(
            "CI Bot <ci-bot@example.com>|chore: update trade-service image to "
                + SHA
                + "|"
                + CLOCK.instant().getEpochSecond());
    assertThat(server.show(repo, "main", VALUES))
        .contains("  tag: \"" + SHA + "\"            # filled in by CI");
  }

  @Test
  void settingAValueThatIsAlreadySetCommitsNothing(TestInfo info) {
    seed(info);
    GitWriteBack writeBack = writer(server.url(repo)).build();
    CommitId first = writeBack.set(VALUES, "image.tag", SHA).head();

    WriteBackResult again = writer(server.url(repo)).build().set(VALUES, "image.tag", SHA);

    assertThat(again).isEqualTo(new WriteBackResult.Unchanged(first));
    assertThat(server.head(repo, "main")).isEqualTo(first.sha());
  }

  @Test
  void aWriterThatLosesARaceReappliesItsEditOnTheNewHeadAndBothLand(TestInfo info) {
    seed(info);
    GitWriteBack rival = writer(server.url(repo)).build();
    AtomicInteger rejections = new AtomicInteger();
    GitWriteBack writer =
        writer(server.url(repo))
            .listener(
                new WriteBackListener() {
                  @Override
                  public void beforePush(int attempt, CommitId parent, CommitId commit) {
                    if (attempt == 1) {
                      // another CI job pushes between our fetch and our push
                      rival.set(VALUES, "replicaCount", "4");
                    }
                  }

                  @Override
                  public void onRejected(int attempt, String reason) {
                    rejections.incrementAndGet();
                  }
                })
            .build();

    WriteBackResult.Committed result =
        (WriteBackResult.Committed) writer.set(VALUES, "image.tag", SHA);

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(rejections).hasValue(1);
    String values = server.show(repo, "main", VALUES);
    assertThat(values).contains("replicaCount: 4\n").contains("tag: \"" + SHA + "\"");
    assertThat(server.git(server.repoDir(repo), "rev-list", "--count", "main").strip())
        .isEqualTo("3");
    assertThat(server.git(server.repoDir(repo), "show", "--numstat", "--format=", "main"))
        .isEqualTo("1\t1\t" + VALUES + "\n");
  }

  @Test
  void concurrentWritersAllLandAndNoUpdateIsLost(TestInfo info) throws Exception {
    seed(info);
    String[] keys = {"image.tag", "image.pullPolicy", "service.port", "replicaCount"};
    String[] values = {SHA, "Always", "9090", "7"};
    List<GitWriteBack> writers = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      writers.add(writer(server.url(repo)).maxAttempts(20).build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(keys.length);
    try {
      List<Callable<WriteBackResult>> jobs = new ArrayList<>();
      for (int i = 0; i < keys.length; i++) {
        int n = i;
        jobs.add(() -> writers.get(n).set(VALUES, keys[n], values[n]));
      }
      for (Future<WriteBackResult> f : pool.invokeAll(jobs)) {
        assertThat(f.get()).isInstanceOf(WriteBackResult.Committed.class);
      }
    } finally {
      pool.shutdownNow();
    }
    String result = server.show(repo, "main", VALUES);
    assertThat(result)
        .contains("  tag: \"" + SHA + "\"")
        .contains("  pullPolicy: Always\n")
        .contains("  port: 9090\n")
        .contains("replicaCount: 7\n");
    assertThat(server.git(server.repoDir(repo), "rev-list", "--count", "main").strip())
        .isEqualTo(String.valueOf(1 + keys.length));
  }

  @Test
  void givesUpAfterMaxAttemptsWithoutEverForcePushing(TestInfo info) {
    seed(info);
    GitWriteBack rival = writer(server.url(repo)).build();
    AtomicInteger rivalCommits = new AtomicInteger();
    GitWriteBack writer =
        writer(server.url(repo))
            .maxAttempts(3)
            .listener(
                new WriteBackListener() {
                  @Override
                  public void beforePush(int attempt, CommitId parent, CommitId commit) {
                    rival.set(VALUES, "replicaCount", String.valueOf(10 + attempt));
                    rivalCommits.incrementAndGet();
                  }
                })
            .build();

    assertThatThrownBy(() -> writer.set(VALUES, "image.tag", SHA))
        .isInstanceOfSatisfying(
            PushRejectedException.class,
            e -> {
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.branch()).isEqualTo("main");
            });
    String values = server.show(repo, "main", VALUES);
    assertThat(values).contains("replicaCount: 13\n").contains("tag: \"\"");
    assertThat(server.git(server.repoDir(repo), "rev-list", "--count", "main").strip())
        .isEqualTo(String.valueOf(1 + rivalCommits.get()));
  }

  @Test
  void refusesAnInvalidValuesFileAndPushesNothing(TestInfo info) {
    seed(info);
    String broken =
        server.commitFiles(repo, Map.of(VALUES, "image:\n  tag: [unclosed\n"), "break it");

    assertThatThrownBy(() -> writer(server.url(repo)).build().set(VALUES, "image.tag", SHA))
        .isInstanceOfSatisfying(
            YamlEditException.class,
            e -> {
              assertThat(e.source()).isEqualTo(VALUES);
              assertThat(e.getMessage()).contains("not valid YAML");
            });
    assertThat(server.head(repo, "main")).isEqualTo(broken);
  }

  @Test
  void credentialsNeverAppearInErrorsOrStrings() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String secret = "ghp_S3cr3tT0kenValue";
    String url =
        "https://x-access-token:" + secret + "@127.0.0.1:" + closedPort + "/org/gitops.git";
    GitWriteBack writeBack = writer(url).maxAttempts(2).build();

    assertThatThrownBy(() -> writeBack.set(VALUES, "image.tag", SHA))
        .isInstanceOfSatisfying(
            GitTransportException.class,
            e -> {
              StringWriter trace = new StringWriter();
              e.printStackTrace(new PrintWriter(trace));
              assertThat(trace.toString()).doesNotContain(secret).contains("127.0.0.1");
              assertThat(e.repository())
                  .isEqualTo("https://127.0.0.1:" + closedPort + "/org/gitops.git");
            });
    assertThat(writeBack.toString()).doesNotContain(secret);
    assertThat(GitRemote.of(url).toString()).doesNotContain(secret).contains("https-token");
  }
}

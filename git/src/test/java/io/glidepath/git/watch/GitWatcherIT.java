package io.glidepath.git.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitException;
import io.glidepath.git.GitTestSupport;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

class GitWatcherIT {
  static LocalGitServer server;

  @TempDir Path tmp;
  GitCache cache;
  ManualClock clock;
  ManualPollScheduler scheduler;
  final List<GitChange> changes = new ArrayList<>();
  final List<String> errors = new ArrayList<>();
  final List<Duration> recoveries = new ArrayList<>();
  String repo;
  String first;

  @BeforeAll
  static void startServer() {
    server = GitTestSupport.startServer();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void setUp(TestInfo info) {
    cache = GitCache.open(tmp.resolve("cache"));
    clock = ManualClock.at(Instant.parse("2026-11-25T12:00:00Z"));
    scheduler = new ManualPollScheduler(clock);
    repo = info.getTestMethod().orElseThrow().getName();
    server.createBare(repo);
    first =
        server.commitFiles(
            repo, Map.of("apps/a/values.yaml", "a: 1\n", "apps/b/values.yaml", "b: 1\n"), "one");
  }

  @AfterEach
  void tearDown() {
    cache.close();
  }

  GitWatcher.Builder watcher() {
    return GitWatcher.builder(cache.source(server.url(repo)), "main")
        .interval(Duration.ofMinutes(3))
        .jitter(0)
        .errorBackoff(Duration.ofSeconds(5), Duration.ofSeconds(40))
        .scheduler(scheduler)
        .clock(clock)
        .listener(
            new GitListener() {
              @Override
              public void onChange(GitChange change) {
                changes.add(change);
              }

              @Override
              public void onError(GitException error, int consecutiveFailures, Duration retryIn) {
                errors.add(
                    consecutiveFailures + ":" + retryIn + ":" + error.getClass().getSimpleName());
              }

              @Override
              public void onRecovered(Duration downFor) {
                recoveries.add(downFor);
              }
            });
  }

  @Test
  void reportsTheFirstCommitThenEachNewCommitWithItsChangedPaths() {
    try (GitWatcher watcher = watcher().build()) {
      watcher.start();
      scheduler.runNext();
      assertThat(changes)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.kind()).isEqualTo(ChangeKind.INITIAL);
                assertThat(c.current().sha()).isEqualTo(first);
              });
      assertThat(scheduler.lastDelay()).isEqualTo(Duration.ofMinutes(3));

      scheduler.runNext();
      assertThat(changes).hasSize(1);

      String second = server.commitFiles(repo, Map.of("apps/b/values.yaml", "b: 2\n"), "two");
      scheduler.runNext();

      assertThat(changes).hasSize(2);
      GitChange c = changes.get(1);
      assertThat(c.kind()).isEqualTo(ChangeKind.FAST_FORWARD);
      assertThat(c.previous()).contains(CommitId.of(first));
      assertThat(c.current().sha()).isEqualTo(second);
      assertThat(c.changedPaths().orElseThrow().touches("apps/b")).isTrue();
      assertThat(c.changedPaths().orElseThrow().touches("apps/a")).isFalse();
      assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-25T12:06:00Z"));
    }
  }

  @Test
  void anAddedRevisionIsReportedByTheSamePollsUnderItsOwnNameUntilUnwatched() {
    String release =
        server.commitFiles(repo, "release", Map.of("apps/a/values.yaml", "a: 9\n"), "release");
    try (GitWatcher watcher = watcher().build()) {
      watcher.start();
      scheduler.runNext();
      assertThat(changes).extracting(GitChange::revision).containsExactly("main");

      watcher.watchAlso("release");
      watcher.watchAlso("release"); // a second user of the same watcher

      assertThat(watcher.revisions()).containsExactly("main", "release");
      assertThat(scheduler.pending()).as("asked for a poll at once").isEqualTo(1);
      scheduler.runNext();
      assertThat(changes).hasSize(2);
      assertThat(changes.get(1).revision()).isEqualTo("release");
      assertThat(changes.get(1).kind()).isEqualTo(ChangeKind.INITIAL);
      assertThat(changes.get(1).current().sha()).isEqualTo(release);

      String next =
          server.commitFiles(repo, "release", Map.of("apps/a/values.yaml", "a: 10\n"), "next");
      scheduler.runNext();
      assertThat(changes).hasSize(3);
      assertThat(changes.get(2).revision()).isEqualTo("release");
      assertThat(changes.get(2).kind()).isEqualTo(ChangeKind.FAST_FORWARD);
      assertThat(changes.get(2).current().sha()).isEqualTo(next);
      assertThat(watcher.lastGoodCommit()).contains(CommitId.of(first));

      watcher.unwatch("release");
      assertThat(watcher.revisions()).as("one user left").containsExactly("main", "release");
      watcher.unwatch("release");
      assertThat(watcher.revisions()).containsExactly("main");
      server.commitFiles(repo, "release", Map.of("apps/a/values.yaml", "a: 11\n"), "after");
      scheduler.runNext();
      assertThat(changes).hasSize(3);
    }
  }

  @Test
  void anAddedRevisionThatDoesNotResolveIsSkippedWithoutFailingThePoll() {
    try (GitWatcher watcher = watcher().build()) {
      watcher.start();
      watcher.watchAlso("not-pushed-yet");
      PollOutcome outcome = watcher.poll();

      assertThat(outcome.error()).isEmpty();
      assertThat(watcher.consecutiveFailures()).isZero();
      assertThat(changes).extracting(GitChange::revision).containsExactly("main");
    }
  }

  @Test
  void refreshPollsAtOnceInsteadOfWaitingForTheInterval() {
    try (GitWatcher watcher = watcher().build()) {
      watcher.start();
      scheduler.runNext();
      String second = server.commitFiles(repo, Map.of("apps/a/values.yaml", "a: 2\n"), "two");

      watcher.refresh();

      assertThat(scheduler.pending()).isEqualTo(1);
      scheduler.runNext();
      assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
      assertThat(watcher.lastGoodCommit()).contains(CommitId.of(second));
    }
  }

  @Test
  void jitterSpreadsPollsOverUpToTheGivenFractionOfTheInterval() {
    try (GitWatcher watcher = watcher().jitter(0.2).random(new SplittableRandom(7)).build()) {
      watcher.start();
      for (int i = 0; i < 10; i++) {
        scheduler.runNext();
      }
    }
    List<Duration> polls = scheduler.delays.subList(1, scheduler.delays.size());
    assertThat(polls)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMinutes(3), Duration.ofSeconds(216)));
    assertThat(polls.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void remoteDownBacksOffExponentiallyAndKeepsTheLastGoodCommit() {
    try (GitWatcher watcher = watcher().build()) {
      watcher.start();
      scheduler.runNext();
      server.stopDaemon();
      try {
        for (int i = 0; i < 5; i++) {
          assertThat(scheduler.runNext()).as("a retry is scheduled").isTrue();
        }
        assertThat(errors)
            .containsExactly(
                "1:PT5S:GitTransportException",
                "2:PT10S:GitTransportException",
                "3:PT20S:GitTransportException",
                "4:PT40S:GitTransportException",
                "5:PT40S:GitTransportException");
        assertThat(watcher.lastGoodCommit()).contains(CommitId.of(first));
        assertThat(watcher.consecutiveFailures()).isEqualTo(5);
      } finally {
        server.startDaemon();
      }
      String second = server.commitFiles(repo, Map.of("apps/a/values.yaml", "a: 3\n"), "three");
      PollOutcome recovered = watcher.poll();

      assertThat(recovered.error()).isEmpty();
      assertThat(recovered.nextPollIn()).contains(Duration.ofMinutes(3));
      assertThat(watcher.lastGoodCommit()).contains(CommitId.of(second));
      assertThat(recoveries).containsExactly(Duration.ofSeconds(5 + 10 + 20 + 40));
      assertThat(changes)
          .extracting(GitChange::kind)
          .containsExactly(ChangeKind.INITIAL, ChangeKind.FAST_FORWARD);
    }
  }

  @Test
  void aRewrittenHistoryIsReportedAsAForcePush() {
    String second = server.commitFiles(repo, Map.of("apps/a/values.yaml", "a: 2\n"), "two");
    try (GitWatcher watcher = watcher().build()) {
      watcher.poll();
      assertThat(watcher.lastGoodCommit()).contains(CommitId.of(second));

      server.resetBranch(repo, "main", first);
      String rewritten =
          server.commitFiles(repo, Map.of("apps/b/values.yaml", "b: 9\n"), "rewritten");
      PollOutcome outcome = watcher.poll();

      GitChange c = outcome.change().orElseThrow();
      assertThat(c.kind()).isEqualTo(ChangeKind.FORCE_PUSH);
      assertThat(c.previous()).contains(CommitId.of(second));
      assertThat(c.current().sha()).isEqualTo(rewritten);
      assertThat(c.changedPaths().orElseThrow().paths())
          .containsExactly("apps/a/values.yaml", "apps/b/values.yaml");
      assertThat(outcome.nextPollIn()).as("not started: no scheduling").isEmpty();
    }
  }

  @Test
  void aDeletedBranchIsAnErrorThatKeepsTheLastGoodCommit() {
    try (GitWatcher watcher =
        GitWatcher.builder(cache.source(server.url(repo)), "feature")
            .scheduler(scheduler)
            .clock(clock)
            .build()) {
      server.commitFiles(repo, "feature", Map.of("f.txt", "1\n"), "feature");
      watcher.poll();
      CommitId good = watcher.lastGoodCommit().orElseThrow();
      server.git(server.repoDir(repo), "update-ref", "-d", "refs/heads/feature");

      PollOutcome outcome = watcher.poll();

      assertThat(outcome.error())
          .containsInstanceOf(io.glidepath.git.UnknownRevisionException.class);
      assertThat(watcher.lastGoodCommit()).contains(good);
    }
  }
}

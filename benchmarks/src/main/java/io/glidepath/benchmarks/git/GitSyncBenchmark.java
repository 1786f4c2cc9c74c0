package io.glidepath.benchmarks.git;

import io.glidepath.git.CommitId;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.Snapshot;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the controller does after a CI write-back lands: on a 1,000-commit repository served by
 * {@code git daemon}, fetch the one-line commit, resolve {@code main} and get the new commit's
 * snapshot, with a warm cache (the previous commit already fetched and snapshotted). Goal: under
 * 300 ms.
 *
 * <p>Each invocation is preceded (outside the measurement) by a one-line commit pushed to the
 * repository with the git tool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(1)
public class GitSyncBenchmark {
  private LocalGitServer server;
  private Path work;
  private GitCache cache;
  private GitSource source;
  private int counter;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    work = Files.createTempDirectory("glidepath-git-bench");
    JGitUserConfig.keepUnder(work);
    server = LocalGitServer.start();
    server.createBare("gitops");
    server.commitFiles(
        "gitops",
        Map.of(
            "apps/trade-service/values.yaml",
            "image:\n  repository: registry.example.com/org/trade-service\n  tag: \"\"\n"),
        "initial");
    server.commitMany("gitops", 999, "history.txt");
    cache = GitCache.open(work.resolve("cache"));
    source = cache.source(server.url("gitops"));
    try (Snapshot warm = source.snapshot(source.fetchAndResolve("main"))) {
      warm.root();
    }
  }

  @Setup(Level.Invocation)
  public void oneLineCommit() {
    counter++;
    server.commitFiles(
        "gitops",
        Map.of(
            "apps/trade-service/values.yaml",
            "image:\n  repository: registry.example.com/org/trade-service\n  tag: \"sha"
                + counter
                + "\"\n"),
        "chore: update trade-service image to sha" + counter);
  }

  @Benchmark
  public CommitId fetchResolveSnapshot() {
    source.fetch();
    CommitId head = source.resolve("main");
    try (Snapshot snap = source.snapshot(head)) {
      return snap.commit();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
    server.close();
  }
}

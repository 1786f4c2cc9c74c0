package io.glidepath.benchmarks.appset;

import io.glidepath.appset.ApplicationSet;
import io.glidepath.appset.ApplicationSetGenerator;
import io.glidepath.appset.GeneratorContext;
import io.glidepath.appset.GitRepositories;
import io.glidepath.benchmarks.git.JGitUserConfig;
import io.glidepath.git.GitCache;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * Issue 22: generating 1,000 Applications from a git-directories generator over a 1,000-directory
 * repository with {@code goTemplate}, warm. {@link #gitDirectories} is what the
 * ApplicationSetController does each pass: fetch the repository from {@code git daemon} (nothing
 * new), resolve {@code main}, read the directories of the (cached) snapshot and render 1,000
 * Applications with Go templates. {@link #directoriesOnDisk} is the generation alone (the same tree
 * read from a plain directory), for the share of Git. Goal: under 1 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AppSetGenerateBenchmark {
  static final int APPS = 1000;

  private Path work;
  private LocalGitServer server;
  private GitCache cache;
  private GitRepositories repos;
  private ApplicationSetGenerator fromGit;
  private ApplicationSetGenerator fromDisk;
  private ApplicationSet set;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    work = Files.createTempDirectory("glidepath-appset-bench");
    JGitUserConfig.keepUnder(work);
    Path tree = AppSetFixtures.directories(work.resolve("tree"), APPS);
    server = LocalGitServer.start();
    server.seed("services", tree, "1,000 services");
    String url = server.url("services");
    cache = GitCache.open(work.resolve("cache"));
    repos = GitRepositories.builder(cache::source).build();
    set = AppSetFixtures.set(url);
    fromGit = ApplicationSetGenerator.of(GeneratorContext.of(List.of(), repos));
    fromDisk =
        ApplicationSetGenerator.of(
            GeneratorContext.of(List.of(), GeneratorContext.Repositories.directory(tree)));
    int n = fromGit.generate(set).applications().size();
    if (n != APPS) {
      throw new IllegalStateException("generated " + n + " Applications, expected " + APPS);
    }
  }

  @Benchmark
  public int gitDirectories() {
    return fromGit.generate(set).applications().size();
  }

  @Benchmark
  public int directoriesOnDisk() {
    return fromDisk.generate(set).applications().size();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    repos.close();
    cache.close();
    server.close();
  }
}

package io.glidepath.benchmarks.helm;

import io.glidepath.helm.repo.ChartVersion;
import io.glidepath.helm.repo.VersionConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Choosing the chart version for {@code targetRevision: ^1} among the 5,000 versions of a
 * repository index (majors 0 to 4, minors 0 to 49, patches 0 to 19, some pre-releases): the
 * constraint parsed and every version tested, as the fetcher does once the index is read.
 *
 * <p>Goal (issue 19): under 20 ms. Run: {@code benchmarks/run.sh VersionConstraint}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VersionConstraintBenchmark {
  private List<ChartVersion> index;

  @Setup(Level.Trial)
  public void index() {
    index = new ArrayList<>();
    for (int major = 0; major < 5; major++) {
      for (int minor = 0; minor < 50; minor++) {
        for (int patch = 0; patch < 20; patch++) {
          String v = major + "." + minor + "." + patch + (patch == 19 ? "-rc.1" : "");
          index.add(ChartVersion.parse(v));
        }
      }
    }
    if (index.size() != 5_000) {
      throw new IllegalStateException("the index has " + index.size() + " versions");
    }
  }

  @Benchmark
  public Optional<ChartVersion> resolveCaret1() {
    return VersionConstraint.parse("^1").highest(index);
  }
}

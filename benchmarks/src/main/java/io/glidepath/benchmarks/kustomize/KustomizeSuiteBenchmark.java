package io.glidepath.benchmarks.kustomize;

import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.kustomize.KustomizeRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every case of the Kustomize conformance suite ({@code kustomize/src/test/resources/kustomize},
 * the ones kubectl renders) rendered by Glidepath in one warm JVM, against {@code kubectl
 * kustomize} run once per case, as CI and a developer loop would. Run from the repository root:
 * {@code benchmarks/run.sh KustomizeSuite}; {@code -Dglidepath.kustomize.cases=DIR} points
 * elsewhere.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KustomizeSuiteBenchmark {
  private record Case(RenderRequest request, List<String> kubectl) {}

  private final List<Case> cases = new ArrayList<>();

  @Setup
  public void findCases() throws IOException {
    Path root =
        Path.of(
            System.getProperty(
                "glidepath.kustomize.cases", "kustomize/src/test/resources/kustomize"));
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.sorted().toList()) {
        if (Files.exists(dir.resolve("error")) || Files.exists(dir.resolve("DEVIATION.md"))) {
          continue;
        }
        String app =
            Files.exists(dir.resolve("build"))
                ? Files.readString(dir.resolve("build"), StandardCharsets.UTF_8).strip()
                : "";
        String flags =
            Files.exists(dir.resolve("flags"))
                ? Files.readString(dir.resolve("flags"), StandardCharsets.UTF_8).strip()
                : "";
        RenderRequest request =
            RenderRequest.builder(dir.resolve("repo").toAbsolutePath(), app)
                .kustomize(
                    KustomizeOptions.NONE.withBuild(KustomizeOptions.BuildOptions.parse(flags)))
                .build();
        List<String> cmd =
            new ArrayList<>(List.of("kubectl", "kustomize", request.appDir().toString()));
        if (!flags.isEmpty()) {
          cmd.addAll(List.of(flags.split("\\s+")));
        }
        cases.add(new Case(request, cmd));
      }
    }
    if (cases.size() < 200) {
      throw new IllegalStateException(
          "expected the conformance suite under " + root + ", found " + cases.size() + " cases");
    }
  }

  @Benchmark
  public int glidepath() {
    int n = 0;
    for (Case c : cases) {
      n += KustomizeRenderer.lenient().render(c.request()).resources().size();
    }
    return n;
  }

  @Benchmark
  public long kubectlKustomizePerCase() throws IOException, InterruptedException {
    long bytes = 0;
    for (Case c : cases) {
      Process p =
          new ProcessBuilder(c.kubectl()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (InputStream in = p.getInputStream()) {
        bytes += in.readAllBytes().length;
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", c.kubectl()) + " failed");
      }
    }
    return bytes;
  }
}

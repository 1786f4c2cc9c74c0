package io.glidepath.benchmarks.kustomize;

import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.kustomize.KustomizeRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A 200-resource Kustomize overlay (100 Deployments and 100 Services in a base; the overlay adds a
 * namePrefix, commonLabels, an image override and a strategic merge patch) rendered by Glidepath
 * in-process and warm, and by {@code kubectl kustomize} as a whole process, in the same run.
 *
 * <p>Goal (issues 3 and 16): Glidepath at least 40x faster. Run: {@code benchmarks/run.sh
 * Kustomize}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KustomizeBenchmark {
  private Path repo;
  private RenderRequest request;

  @Setup(Level.Trial)
  public void writeOverlay() throws IOException {
    repo = Files.createTempDirectory("glidepath-kustomize-bench");
    Path base = Files.createDirectories(repo.resolve("base"));
    StringBuilder resources = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      resources.append(
          String.format(
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: app-%1$03d
                labels: {app: app-%1$03d}
              spec:
                replicas: 2
                selector:
                  matchLabels: {app: app-%1$03d}
                template:
                  metadata:
                    labels: {app: app-%1$03d}
                  spec:
                    containers:
                    - name: app
                      image: registry.example.com/org/app:1.0.0
                      ports: [{containerPort: 8080}]
                      env:
                      - {name: INDEX, value: "%1$d"}
                      resources:
                        requests: {cpu: 100m, memory: 128Mi}
              ---
              apiVersion: v1
              kind: Service
              metadata:
                name: app-%1$03d
              spec:
                selector: {app: app-%1$03d}
                ports: [{port: 80, targetPort: 8080}]
              ---
              """,
              i));
    }
    Files.writeString(base.resolve("resources.yaml"), resources);
    Files.writeString(base.resolve("kustomization.yaml"), "resources:\n- resources.yaml\n");
    Path overlay = Files.createDirectories(repo.resolve("overlay"));
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        """
        resources:
        - ../base
        namePrefix: prod-
        commonLabels:
          environment: production
          team: trading
        images:
        - name: registry.example.com/org/app
          newTag: 2.0.0
        patches:
        - path: patch.yaml
        """);
    Files.writeString(
        overlay.resolve("patch.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app-000
        spec:
          replicas: 10
          template:
            spec:
              containers:
              - name: app
                resources:
                  limits: {cpu: "1", memory: 1Gi}
        """);
    request = RenderRequest.builder(repo, "overlay").build();
    int size = KustomizeRenderer.of().render(request).resources().size();
    if (size != 200) {
      throw new IllegalStateException("expected 200 resources, rendered " + size);
    }
  }

  @TearDown(Level.Trial)
  public void deleteOverlay() throws IOException {
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public RenderResult glidepath() {
    return KustomizeRenderer.of().render(request);
  }

  @Benchmark
  public int kubectlKustomize() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", repo.resolve("overlay").toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    int bytes;
    try (InputStream in = p.getInputStream()) {
      bytes = in.readAllBytes().length;
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("kubectl kustomize failed with exit code " + p.exitValue());
    }
    return bytes;
  }
}

package io.glidepath.benchmarks.helm;

import io.glidepath.core.render.ChartRequest;
import io.glidepath.core.render.FetchedChart;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.helm.HelmRenderer;
import io.glidepath.helm.repo.ChartCache;
import io.glidepath.helm.repo.ChartFetcher;
import io.glidepath.testkit.helm.ChartRepositoryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * The same chart (20 templates, a Deployment, Service and ConfigMap per component) rendered from a
 * checkout and from the chart cache: an exact version already cached, so the fetch is the cache's
 * lookup and integrity check (the archive hashed against its recorded digest) and no network.
 *
 * <p>Goal (issue 19): rendering from the cache adds at most 10% ({@code ratio>=0.909}: checkout
 * time / cache time). Run: {@code benchmarks/run.sh ChartCache}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChartCacheBenchmark {
  private Path dir;
  private ChartRepositoryServer server;
  private ChartFetcher fetcher;
  private RenderRequest fromCheckout;
  private ChartRequest cached;

  @Setup(Level.Trial)
  public void chart() throws IOException {
    dir = Files.createTempDirectory("glidepath-chart-bench");
    Path chart = Files.createDirectories(dir.resolve("repo/charts/shop/templates"));
    Files.writeString(
        dir.resolve("repo/charts/shop/Chart.yaml"), "apiVersion: v2\nname: shop\nversion: 1.4.2\n");
    StringBuilder values =
        new StringBuilder("image: registry.example.com/org/shop:1.0.0\ncomponents:\n");
    for (int i = 0; i < 20; i++) {
      values.append("  c").append(i).append(": {replicas: ").append(1 + i % 3).append("}\n");
      Files.writeString(
          chart.resolve("component-" + i + ".yaml"),
          """
          {{- $c := index .Values.components "c%1$d" }}
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: {{ .Release.Name }}-c%1$d
            labels: {app: c%1$d}
          spec:
            replicas: {{ $c.replicas }}
            selector: {matchLabels: {app: c%1$d}}
            template:
              metadata: {labels: {app: c%1$d}}
              spec:
                containers:
                  - name: app
                    image: {{ .Values.image | quote }}
                    ports: [{containerPort: 8080}]
          ---
          apiVersion: v1
          kind: Service
          metadata:
            name: {{ .Release.Name }}-c%1$d
          spec:
            selector: {app: c%1$d}
            ports: [{port: 80, targetPort: 8080}]
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: {{ .Release.Name }}-c%1$d
          data:
            index: "%1$d"
          """
              .formatted(i));
    }
    Files.writeString(dir.resolve("repo/charts/shop/values.yaml"), values);
    fromCheckout =
        RenderRequest.builder(dir.resolve("repo"), "charts/shop").releaseName("shop").build();
    server = ChartRepositoryServer.start();
    server.addChart(dir.resolve("repo/charts/shop"));
    fetcher = ChartFetcher.builder(ChartCache.open(dir.resolve("cache"))).build();
    cached = new ChartRequest(server.url(), "shop", "1.4.2", false);
    fetcher.fetch(cached); // downloaded once: every measured fetch is a cache hit
  }

  @TearDown(Level.Trial)
  public void stop() {
    server.close();
  }

  @Benchmark
  public RenderResult renderFromCheckout() {
    return HelmRenderer.create().render(fromCheckout);
  }

  @Benchmark
  public RenderResult renderFromCache() {
    FetchedChart c = fetcher.fetch(cached);
    return HelmRenderer.create()
        .render(RenderRequest.builder(c.dir(), "").releaseName("shop").build());
  }
}

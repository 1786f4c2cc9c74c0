package io.glidepath.benchmarks.kube;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.ApplyReport;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * First sync of N resources (ConfigMaps, Services and Deployments in equal parts) into a fresh
 * {@link EmbeddedCluster}: Glidepath's {@link Applier} with its defaults (every kind checked
 * against discovery first, as Argo CD's client-side dry run, then server-side apply) against {@code
 * kubectl apply --server-side -f DIR} of the same manifests against the same kind of server. The
 * kubectl variant needs kubectl on the PATH.
 *
 * <p>{@link #transportFloor} is the reference that bounds the first: as many trivial round trips
 * ({@code GET /version}) as the Applier's sync makes ({@code N + 3}: the applies, a paged list per
 * kind), at the Applier's default parallelism, through the same fabric8 HTTP client to the same
 * server. A sync cannot be faster than its round trips alone.
 *
 * <p>Each invocation is one sync into a fresh cluster; 40 warm-up invocations bring the JVM to its
 * steady state (an embedding platform's long-running process) before 20 are measured. {@link
 * KubeSyncColdStart} measures the first sync of a fresh JVM instead.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'KubeSyncBenchmark'}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 40)
@Measurement(iterations = 20)
@Fork(1)
public class KubeSyncBenchmark {
  @Param({"1000"})
  int resources;

  private List<Resource> plan;
  private Path manifests;
  private EmbeddedCluster cluster;
  private KubeCluster kube;
  private TrivialHttpServer trivialServer;

  @Setup(Level.Trial)
  public void writeManifests() throws IOException {
    plan = manifests(resources);
    manifests = Files.createTempDirectory("glidepath-bench-");
    for (int i = 0; i < plan.size(); i++) {
      Files.writeString(
          manifests.resolve(String.format("r%05d.yaml", i)), Yaml.write(plan.get(i).body()));
    }
  }

  @Setup(Level.Invocation)
  public void startCluster() {
    cluster = EmbeddedCluster.builder().manualController().start();
    kube = KubeCluster.connect(cluster.config(), RequestRetry.DEFAULT);
    kube.resourceTypes();
  }

  @TearDown(Level.Invocation)
  public void stopCluster() {
    kube.close();
    cluster.close();
  }

  @TearDown(Level.Trial)
  public void deleteManifests() throws IOException {
    try (Stream<Path> files = Files.walk(manifests)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public ApplyReport glidepathServerSideApply() {
    ApplyReport report = Applier.of(kube, ApplyOptions.ofDefaults()).apply("bench", plan);
    if (!report.succeeded()) {
      throw new IllegalStateException("sync failed: " + report.failures());
    }
    return report;
  }

  /**
   * Informational: the same sync with a server dry run of the whole plan first ({@link
   * ApplyOptions.Builder#dryRunFirst(boolean) dryRunFirst(true)}), i.e. twice the requests. Not the
   * default: Argo CD's pre-sync dry run is client-side (gitops-engine runs it with {@code
   * --dry-run=client} whatever the sync options), which Glidepath's applier does by checking every
   * kind against discovery before the first write.
   */
  @Benchmark
  public ApplyReport glidepathWithServerDryRun() {
    ApplyReport report =
        Applier.of(kube, ApplyOptions.builder().dryRunFirst(true).build()).apply("bench", plan);
    if (!report.succeeded()) {
      throw new IllegalStateException("sync failed: " + report.failures());
    }
    return report;
  }

  @Benchmark
  public int transportFloor() throws Exception {
    HttpClient http = kube.client().getHttpClient();
    return roundTrips(
        () ->
            http.sendAsync(
                    http.newHttpRequestBuilder().uri(cluster.url() + "/version").build(),
                    String.class)
                .get()
                .code());
  }

  /** The peer: {@code kubectl apply --server-side -f DIR} of the same manifests, as a process. */
  @Benchmark
  public int kubectlServerSideApply() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "kubectl",
                "--server",
                cluster.url(),
                "--cache-dir",
                manifests.resolve(".kube-cache").toString(),
                "apply",
                "--server-side",
                "-f",
                manifests.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(false)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kubectl failed (" + exit + "): " + err);
    }
    return exit;
  }

  /**
   * {@link #transportFloor} through the JDK's own {@code java.net.http.HttpClient} (HTTP/1.1, one
   * synchronous send per worker) instead of fabric8's client: how much of the floor is the client
   * stack. Informational: the Applier does not use this transport.
   */
  @Benchmark
  public int transportFloorJdkClient() throws Exception {
    return jdkClientRoundTrips(cluster.url());
  }

  /**
   * {@link #transportFloorJdkClient} against a trivial HTTP server instead of the EmbeddedCluster:
   * Netty's HTTP/1.1 codec on one event loop answering every request with a fixed {@code /version}
   * document. How much of the floor is left with the leanest client and a server that does nothing.
   * Informational.
   */
  @Benchmark
  public int transportFloorTrivialServer() throws Exception {
    return jdkClientRoundTrips("http://127.0.0.1:" + trivialServer.port());
  }

  /** {@link #roundTrips} of {@code GET base/version} through the JDK's HTTP/1.1 client. */
  private int jdkClientRoundTrips(String base) throws Exception {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run)
            .build();
    java.net.http.HttpRequest version =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/version")).build();
    return roundTrips(
        () -> http.send(version, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Setup(Level.Trial)
  public void startTrivialServer() throws InterruptedException {
    trivialServer = TrivialHttpServer.start();
  }

  @TearDown(Level.Trial)
  public void stopTrivialServer() throws InterruptedException {
    trivialServer.close();
  }

  /**
   * As many {@code call}s as the Applier's default sync makes requests ({@code N + 3}), at its
   * default parallelism; each must answer 200.
   */
  private int roundTrips(Callable<Integer> call) throws Exception {
    int requests = resources + 3;
    ExecutorService pool = Executors.newFixedThreadPool(ApplyOptions.DEFAULT_PARALLELISM);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        answers.add(pool.submit(call));
      }
      int ok = 0;
      for (Future<Integer> a : answers) {
        ok += a.get() == 200 ? 1 : 0;
      }
      if (ok != requests) {
        throw new IllegalStateException((requests - ok) + " round trips failed");
      }
      return ok;
    } finally {
      pool.shutdownNow();
    }
  }

  /** N resources in the default namespace: a third each ConfigMaps, Services, Deployments. */
  static List<Resource> manifests(int n) {
    List<Resource> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String yaml =
          switch (i % 3) {
            case 0 ->
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cm-%d, namespace: default}
                data: {index: "%d", level: info}
                """
                    .formatted(i, i);
            case 1 ->
                """
                apiVersion: v1
                kind: Service
                metadata: {name: svc-%d, namespace: default}
                spec:
                  selector: {app: app-%d}
                  ports: [{port: 80, targetPort: 8080}]
                """
                    .formatted(i, i);
            default ->
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app-%d, namespace: default}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: app-%d}}
                  template:
                    metadata: {labels: {app: app-%d}}
                    spec:
                      containers:
                      - name: app
                        image: registry.example.com/app:%d
                        ports: [{containerPort: 8080}]
                """
                    .formatted(i, i, i, i);
          };
      out.add(Yaml.readResources(yaml, "r" + i + ".yaml").get(0));
    }
    return out;
  }
}

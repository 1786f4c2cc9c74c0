package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.PrometheusProvider;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.Seed;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.prometheus.PrometheusServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's rollout and templates, unchanged, on the EmbeddedCluster with a real Prometheus
 * (testkit) holding backfilled trade-service traffic: 35 healthy minutes, then 35 minutes with 8%
 * errors, then 35 minutes with 3% errors. Each test drives the rollout in virtual time over one
 * window; the Prometheus provider queries at the virtual time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedPrometheusIT {
  private static final Duration STEP = Duration.ofSeconds(15);
  private static final int SEGMENT_MINUTES = 35;
  private static final double[] LE = {0.1, 0.25, 0.5, 1, 1.5, 2.5, Double.POSITIVE_INFINITY};
  private static final double[] FAST = {80, 95, 99.5, 100, 100, 100, 100};

  private PrometheusServer prometheus;
  private Instant start;

  @BeforeAll
  void startPrometheus() {
    ExternalTool.require(ExternalTool.PROMETHEUS);
    start = PrometheusServer.blockAlignedStart(Clock.systemUTC());
    PrometheusServer.Builder b = PrometheusServer.newBuilder();
    double[][] rates = {{99.8, 0.2}, {92, 8}, {97, 3}};
    int points = SEGMENT_MINUTES * 4;
    for (int seg = 0; seg < rates.length; seg++) {
      Instant from = start.plus(Duration.ofMinutes((long) SEGMENT_MINUTES * seg));
      double seconds = SEGMENT_MINUTES * 60.0 * seg;
      double okBefore = 0;
      double errBefore = 0;
      for (int k = 0; k < seg; k++) {
        okBefore += rates[k][0] * SEGMENT_MINUTES * 60.0;
        errBefore += rates[k][1] * SEGMENT_MINUTES * 60.0;
      }
      Map<String, String> ok = Map.of("service", "trade-service", "status", "200");
      Map<String, String> err = Map.of("service", "trade-service", "status", "500");
      b.counter("http_requests_total", ok, from, STEP, points, okBefore, rates[seg][0]);
      b.counter("http_requests_total", err, from, STEP, points, errBefore, rates[seg][1]);
      for (int i = 0; i < LE.length; i++) {
        String le = Double.isInfinite(LE[i]) ? "+Inf" : trim(LE[i]);
        b.counter(
            "http_request_duration_seconds_bucket",
            Map.of("service", "trade-service", "le", le),
            from,
            STEP,
            points,
            FAST[i] * seconds,
            FAST[i]);
      }
    }
    prometheus = b.start();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @AfterAll
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  /** One run: a fresh cluster, the seed's v1 then v2, virtual time from {@code from}. */
  private final class Run implements AutoCloseable {
    final EmbeddedCluster cluster = EmbeddedCluster.builder().manualController().start();
    final VirtualScheduler scheduler;
    final RolloutDriver driver;
    final BlockingQueue<String> hooks = new LinkedBlockingQueue<>();
    final HttpServer webhook;
    final Rollout rollout;

    Run(Instant from) throws IOException {
      scheduler = VirtualScheduler.at(from);
      var client = cluster.client();
      new FixtureWriter(client).seedObjects();
      webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      webhook.createContext(
          "/hook",
          e -> {
            hooks.add(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            e.sendResponseHeaders(204, -1);
            e.close();
          });
      webhook.start();
      driver =
          RolloutDriver.builder(RolloutCluster.kubernetes(client))
              .routers(p -> TrafficRouter.forPlan(client, p))
              .providers(
                  MetricProviders.of(
                      PrometheusProvider.newBuilder().address(prometheus.uri()).build()))
              .scheduler(scheduler)
              .listener(
                  WebhookNotifier.of(
                      URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook")))
              .build();
      CanaryPlan v1 = Seed.plan();
      driver.start(v1);
      drive(Duration.ofSeconds(2));
      ObjectNode template = v1.podTemplate();
      ((ObjectNode) template.path("spec").path("containers").get(0))
          .put("image", "registry.example.com/org/trade-service:v2");
      rollout = driver.start(v1.newBuilder().podTemplate(template).build());
    }

    boolean driveUntil(java.util.function.BooleanSupplier done, Duration max) {
      for (long s = 0; s < max.toSeconds(); s++) {
        if (done.getAsBoolean()) {
          return true;
        }
        cluster.reconcile();
        scheduler.advance(Duration.ofSeconds(1));
      }
      return done.getAsBoolean();
    }

    void drive(Duration d) {
      driveUntil(() -> false, d);
    }

    @Override
    public void close() {
      driver.close();
      webhook.stop(0);
      cluster.close();
    }
  }

  /** Creates the seed's namespace, Services, VirtualService and Rollout object. */
  private record FixtureWriter(io.fabric8.kubernetes.client.KubernetesClient client) {
    void seedObjects() {
      String objects =
          """
          apiVersion: v1
          kind: Namespace
          metadata: {name: production}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: trade-service-canary, namespace: production}
          spec: {selector: {app: trade-service}, ports: [{port: 80}]}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: trade-service-stable, namespace: production}
          spec: {selector: {app: trade-service}, ports: [{port: 80}]}
          ---
          apiVersion: networking.istio.io/v1beta1
          kind: VirtualService
          metadata: {name: trade-service-vs, namespace: production}
          spec:
            hosts: [trade-service]
            http:
              - name: primary
                route:
                  - destination: {host: trade-service-stable}
                    weight: 100
                  - destination: {host: trade-service-canary}
                    weight: 0
          """;
      for (var doc : io.glidepath.core.yaml.Yaml.readDocuments(objects, "objects.yaml")) {
        io.glidepath.rollout.internal.Kube.create(client, (ObjectNode) doc.content());
      }
      io.glidepath.rollout.internal.Kube.create(
          client,
          (ObjectNode)
              io.glidepath.core.yaml.Yaml.readTree(
                  Seed.rolloutYaml().split("\n---")[0], "rollout.yaml"));
    }
  }

  private Instant window(int segment) {
    return start.plus(Duration.ofMinutes((long) SEGMENT_MINUTES * segment + 2));
  }

  @Test
  void healthyCanaryIsPromotedTo100Percent() throws IOException {
    try (Run run = new Run(window(0))) {
      assertThat(run.driveUntil(() -> run.rollout.status().isPromoted(), Duration.ofMinutes(25)))
          .as(run.rollout.status().message())
          .isTrue();
    }
  }

  @Test
  void eightPercentErrorsRollBackAndTheDeveloperIsNotified()
      throws IOException, InterruptedException {
    try (Run run = new Run(window(1))) {
      assertThat(run.driveUntil(() -> run.rollout.status().aborted(), Duration.ofMinutes(25)))
          .isTrue();
      assertThat(run.rollout.status().message()).contains("success-rate").contains("Failed");
      String hook = run.hooks.poll(10, TimeUnit.SECONDS);
      assertThat(hook).contains("\"event\":\"ABORTED\"").contains("rolled back");
    }
  }

  @Test
  void threePercentErrorsPauseAsInconclusiveThenAbortRollsBack() throws IOException {
    try (Run run = new Run(window(2))) {
      assertThat(
              run.driveUntil(
                  () -> run.rollout.status().phase() == RolloutPhase.PAUSED,
                  Duration.ofMinutes(25)))
          .isTrue();
      assertThat(run.rollout.status().pauseReason()).contains(RolloutStatus.PAUSE_INCONCLUSIVE);
      run.rollout.abort();
      assertThat(run.rollout.status().phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(run.rollout.status().weight()).isZero();
    }
  }
}

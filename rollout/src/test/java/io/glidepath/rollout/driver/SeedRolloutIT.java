package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.Seed;
import io.glidepath.rollout.internal.PodTemplateHash;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The seed's rollout end to end on the EmbeddedCluster, with synthetic Prometheus answers. */
class SeedRolloutIT {
  private static final String NS = "production";
  private static final String VS =
      """
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

  private ClusterFixture f;
  private HttpServer webhook;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final List<RolloutEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    f = new ClusterFixture();
    f.namespace(NS);
    f.service(NS, "trade-service-canary", "trade-service");
    f.service(NS, "trade-service-stable", "trade-service");
    f.create(VS);
    f.create(Seed.rolloutYaml().split("\n---")[0]);
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/hook",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    webhook.start();
  }

  @AfterEach
  void tearDown() {
    webhook.stop(0);
    f.close();
  }

  private RolloutDriver driver(String scenario) {
    return driver(scenario, RolloutListener.NONE);
  }

  private RolloutDriver driver(String scenario, RolloutListener extra) {
    return RolloutDriver.builder(RolloutCluster.kubernetes(f.client))
        .listener(extra)
        .routers(p -> TrafficRouter.forPlan(f.client, p))
        .providers(
            MetricProviders.of(Scenario.named(scenario).provider("prometheus", f.scheduler.now())))
        .scheduler(f.scheduler)
        .listener(RolloutListener.of(events::add))
        .listener(
            WebhookNotifier.builder(
                    URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"))
                .build())
        .identity("driver-1")
        .build();
  }

  private static CanaryPlan withImage(CanaryPlan plan, String image) {
    ObjectNode template = plan.podTemplate();
    ((ObjectNode) template.path("spec").path("containers").get(0)).put("image", image);
    return plan.newBuilder().podTemplate(template).build();
  }

  private Rollout deployV1ThenV2(RolloutDriver driver) {
    CanaryPlan v1 = Seed.plan();
    Rollout first = driver.start(v1);
    f.drive(Duration.ofSeconds(2));
    assertThat(first.status().isPromoted()).isTrue();
    assertThat(f.replicas(NS, "trade-service-" + first.revision())).isEqualTo(10);
    events.clear();
    return driver.start(withImage(v1, "registry.example.com/org/trade-service:v2"));
  }

  private JsonNode vs() {
    return f.get("networking.istio.io/v1beta1", "VirtualService", NS, "trade-service-vs")
        .orElseThrow();
  }

  @Test
  void healthyCanaryIsPromotedStepByStepTo100Percent() {
    try (RolloutDriver driver = driver("healthy")) {
      Rollout rollout = deployV1ThenV2(driver);
      String v1 = PodTemplateHash.of(Seed.plan().podTemplate());
      String v2 = rollout.revision();
      f.drive(Duration.ofMinutes(3));
      assertThat(ClusterFixture.weightOf(vs(), "trade-service-canary")).isEqualTo(30);
      assertThat(ClusterFixture.weightOf(vs(), "trade-service-stable")).isEqualTo(70);
      assertThat(f.replicas(NS, "trade-service-" + v2)).isEqualTo(3);
      assertThat(f.selectorHash(NS, "trade-service-canary")).isEqualTo(v2);
      assertThat(f.selectorHash(NS, "trade-service-stable")).isEqualTo(v1);

      assertThat(f.driveUntil(() -> rollout.status().isPromoted(), Duration.ofMinutes(20)))
          .isTrue();
      assertThat(events)
          .filteredOn(e -> e.type() == RolloutEvent.Type.WEIGHT_CHANGED)
          .extracting(RolloutEvent::weight)
          .containsExactly(10, 30, 50, 100, 0);
      assertThat(f.selectorHash(NS, "trade-service-stable")).isEqualTo(v2);
      assertThat(ClusterFixture.weightOf(vs(), "trade-service-stable")).isEqualTo(100);
      JsonNode status =
          f.get("argoproj.io/v1alpha1", "Rollout", NS, "trade-service")
              .orElseThrow()
              .path("status");
      assertThat(status.path("phase").asString()).isEqualTo("Healthy");
      assertThat(status.path("stableRS").asString()).isEqualTo(v2);
      // the old ReplicaSet goes after scaleDownDelaySeconds (30 s)
      assertThat(f.replicas(NS, "trade-service-" + v1)).isEqualTo(10);
      f.drive(Duration.ofSeconds(31));
      assertThat(f.replicas(NS, "trade-service-" + v1)).isZero();
      assertThat(f.replicas(NS, "trade-service-" + v2)).isEqualTo(10);
    }
  }

  @Test
  void eightPercentErrorsRollBackAndNotifyTheDeveloper() throws InterruptedException {
    long[] verdictAt = {0};
    long[] zeroAt = {0};
    RolloutListener timer =
        RolloutListener.of(
            e -> {
              if (e.type() == RolloutEvent.Type.ANALYSIS_COMPLETED
                  && e.message().contains("Failed")) {
                verdictAt[0] = System.nanoTime();
              }
              if (e.type() == RolloutEvent.Type.WEIGHT_CHANGED
                  && e.weight() == 0
                  && verdictAt[0] > 0) {
                zeroAt[0] = System.nanoTime();
              }
            });
    try (RolloutDriver driver = driver("errors-8pct", timer)) {
      Rollout rollout = deployV1ThenV2(driver);
      assertThat(
              f.driveUntil(
                  () -> events.stream().anyMatch(e -> e.type() == RolloutEvent.Type.ABORTED),
                  Duration.ofMinutes(20)))
          .isTrue();
      long latencyMicros = (zeroAt[0] - verdictAt[0]) / 1000;
      System.out.println("verdict -> canary weight 0 written: " + latencyMicros + " us");
      assertThat(zeroAt[0]).isGreaterThan(verdictAt[0]);
      // the target is 100 ms; the bound here leaves room for a loaded CI machine
      assertThat(latencyMicros).isLessThan(1_000_000);
      RolloutStatus s = rollout.status();
      assertThat(s.phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(s.message()).contains("success-rate").contains("0.92");
      assertThat(ClusterFixture.weightOf(vs(), "trade-service-canary")).isZero();
      assertThat(ClusterFixture.weightOf(vs(), "trade-service-stable")).isEqualTo(100);
      String canaryRs = "trade-service-" + rollout.revision();
      assertThat(f.replicas(NS, canaryRs)).isEqualTo(5);
      f.drive(Duration.ofSeconds(31));
      assertThat(f.replicas(NS, canaryRs)).isZero();
      String body = received.poll(10, TimeUnit.SECONDS);
      assertThat(body).isNotNull();
      JsonNode json = Yaml.mapper().readTree(body);
      assertThat(json.path("event").asString()).isEqualTo("ABORTED");
      assertThat(json.path("text").asString()).contains("rolled back").contains("success-rate");
    }
  }

  @Test
  void threePercentErrorsPauseAsInconclusiveUntilAborted() {
    try (RolloutDriver driver = driver("errors-3pct")) {
      Rollout rollout = deployV1ThenV2(driver);
      f.drive(Duration.ofMinutes(5));
      RolloutStatus s = rollout.status();
      assertThat(s.phase()).isEqualTo(RolloutPhase.PAUSED);
      assertThat(s.pauseReason()).contains(RolloutStatus.PAUSE_INCONCLUSIVE);
      // the background analysis's first measurement came before the canary was available
      assertThat(s.weight()).isZero();
      assertThat(s.message()).contains("Inconclusive").contains("0.97");
      rollout.abort();
      assertThat(rollout.status().phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(ClusterFixture.weightOf(vs(), "trade-service-canary")).isZero();
    }
  }

  @Test
  void aKilledDriverResumesWhereItWasAfterTheLeaseExpires() {
    RolloutDriver first = driver("healthy");
    Rollout rollout = deployV1ThenV2(first);
    f.drive(Duration.ofSeconds(150));
    RolloutStatus before = rollout.status();
    assertThat(before.stepIndex()).isEqualTo(3);
    first.close(); // killed: nothing more from it
    RolloutDriver second =
        f.driver("healthy").listener(RolloutListener.of(events::add)).identity("driver-2").build();
    Rollout resumed =
        second.start(withImage(Seed.plan(), "registry.example.com/org/trade-service:v2"));
    // the first driver's lease (15 s) still holds: the second one does nothing yet
    assertThat(resumed.status()).isEqualTo(before);
    f.drive(Duration.ofSeconds(20));
    // the pause of step 3 counts from its persisted start (2:01), not from the restart
    assertThat(resumed.status().stepIndex()).isEqualTo(3);
    assertThat(f.driveUntil(() -> resumed.status().stepIndex() > 3, Duration.ofMinutes(6)))
        .isTrue();
    assertThat(resumed.status().stepStartedAt())
        .isEqualTo(before.stepStartedAt().plus(Duration.ofMinutes(5)));
    f.drive(Duration.ofSeconds(5));
    assertThat(resumed.status().stepIndex()).isEqualTo(5);
    assertThat(ClusterFixture.weightOf(vs(), "trade-service-canary")).isEqualTo(50);
    assertThat(f.driveUntil(() -> resumed.status().isPromoted(), Duration.ofMinutes(20))).isTrue();
    second.close();
  }
}

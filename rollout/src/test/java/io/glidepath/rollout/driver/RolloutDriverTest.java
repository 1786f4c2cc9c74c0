package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.RecordingTrafficRouter;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class RolloutDriverTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        metrics:
          - name: success-rate
            interval: 30s
            count: 3
            successCondition: result[0] >= 0.99
            failureCondition: result[0] < 0.95
            provider: {prometheus: {address: "http://p:9090", query: "up"}}
      """;

  private final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  private final InMemoryFixture cluster = new InMemoryFixture();
  private final RecordingTrafficRouter router = new RecordingTrafficRouter();
  private final List<RolloutEvent> events = new ArrayList<>();

  /** An in-memory cluster whose canary becomes available only when the test says so. */
  static final class InMemoryFixture implements RolloutCluster {
    final RolloutCluster delegate = RolloutCluster.inMemory();
    final AtomicBoolean available = new AtomicBoolean(true);

    @Override
    public Optional<RolloutStatus> loadStatus(String namespace, String name) {
      return delegate.loadStatus(namespace, name);
    }

    @Override
    public void saveStatus(String namespace, String name, RolloutStatus status) {
      delegate.saveStatus(namespace, name, status);
    }

    @Override
    public void ensureReplicaSet(String ns, ReplicaSetSpec spec) {
      delegate.ensureReplicaSet(ns, spec);
    }

    @Override
    public Optional<ObjectNode> replicaSetTemplate(String ns, String replicaSet) {
      return delegate.replicaSetTemplate(ns, replicaSet);
    }

    @Override
    public void ensureService(String ns, String name, Map<String, String> sel, ObjectNode t) {
      delegate.ensureService(ns, name, sel, t);
    }

    @Override
    public void pruneReplicaSets(String ns, String rollout, java.util.Set<String> inUse, int keep) {
      delegate.pruneReplicaSets(ns, rollout, inUse, keep);
    }

    @Override
    public void deleteService(String ns, String name) {
      delegate.deleteService(ns, name);
    }

    @Override
    public int replicas(String namespace, String name, String hash) {
      return delegate.replicas(namespace, name, hash);
    }

    @Override
    public int availableReplicas(String namespace, String name, String hash) {
      return available.get() ? delegate.availableReplicas(namespace, name, hash) : 0;
    }

    @Override
    public void pinService(String namespace, String service, String hash) {
      delegate.pinService(namespace, service, hash);
    }

    @Override
    public boolean tryAcquireLease(
        String namespace, String name, String holder, Instant now, Duration duration) {
      return delegate.tryAcquireLease(namespace, name, holder, now, duration);
    }

    int replicas(String name, String hash) {
      return delegate.availableReplicas("default", name, hash);
    }
  }

  private RolloutDriver driver(String identity, String scenario, TrafficRouter r) {
    return RolloutDriver.builder(cluster)
        .routers(p -> r)
        .providers(MetricProviders.of(Scenario.named(scenario).provider("prometheus", T0)))
        .scheduler(scheduler)
        .listener(RolloutListener.of(events::add))
        .identity(identity)
        .build();
  }

  private static ObjectNode template(String image) {
    ObjectNode t = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    t.putObject("metadata").putObject("labels").put("app", "web");
    t.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", image);
    return t;
  }

  private static CanaryPlan.Builder plan(String image) {
    return CanaryPlan.builder("web").replicas(4).podTemplate(template(image));
  }

  private Rollout deploy(RolloutDriver driver, CanaryPlan v2) {
    driver.start(plan("web:1").build());
    return driver.start(v2);
  }

  @Test
  void anIndefinitePauseWaitsForPromote() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      Rollout r = deploy(driver, plan("web:2").setWeight(25).pause().setWeight(75).build());
      scheduler.advance(Duration.ofHours(1));
      assertThat(r.status().phase()).isEqualTo(RolloutPhase.PAUSED);
      assertThat(r.status().pauseReason()).contains(RolloutStatus.PAUSE_STEP);
      assertThat(router.weight()).isEqualTo(25);
      r.promote();
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(r.status().isPromoted()).isTrue();
      // no setWeight 100 step: the canary becomes stable and the canary weight returns to 0
      assertThat(router.weights()).containsExactly(0, 25, 75, 0);
    }
  }

  @Test
  void weightsChangeOnlyAfterTheCanaryIsAvailable() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      cluster.available.set(false);
      Rollout r = deploy(driver, plan("web:2").setWeight(50).pause().build());
      scheduler.advance(Duration.ofMinutes(10));
      assertThat(router.weight()).isZero();
      assertThat(r.status().stepIndex()).isZero();
      assertThat(cluster.delegate.availableReplicas("default", "web", r.revision())).isEqualTo(2);
      cluster.available.set(true);
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(router.weight()).isEqualTo(50);
    }
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      Rollout r =
          deploy(
              driver, plan("web:2").setWeight(10).pause(Duration.ofHours(5)).setWeight(50).build());
      scheduler.advance(Duration.ofMinutes(1));
      r.promoteFull();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(router.weights()).doesNotContain(50);
    }
  }

  @Test
  void abortRollsBackAndRetryStartsAgainFromStepZero() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      Rollout r = deploy(driver, plan("web:2").setWeight(50).pause().build());
      scheduler.advance(Duration.ofSeconds(1));
      r.abort();
      RolloutStatus s = r.status();
      assertThat(s.phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(s.message()).isEqualTo("aborted by user");
      assertThat(router.weight()).isZero();
      assertThat(cluster.replicas("web", r.revision())).isEqualTo(2);
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(cluster.replicas("web", r.revision())).isZero();
      assertThatThrownBy(r::promote)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("use retry()");
      r.retry();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(r.status().stepIndex()).isEqualTo(1);
      assertThat(router.weight()).isEqualTo(50);
    }
  }

  @Test
  void pauseHoldsTheRolloutUntilResume() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      Rollout r =
          deploy(
              driver,
              plan("web:2").setWeight(10).pause(Duration.ofMinutes(1)).setWeight(60).build());
      r.pause();
      scheduler.advance(Duration.ofMinutes(5));
      assertThat(r.status().phase()).isEqualTo(RolloutPhase.PAUSED);
      assertThat(router.weight()).isEqualTo(10);
      r.resume();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().isPromoted()).isTrue();
    }
  }

  @Test
  void setCanaryScaleOverridesTheReplicaCount() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      Rollout r =
          deploy(
              driver,
              plan("web:2")
                  .setCanaryScale(CanaryStep.SetCanaryScale.replicas(3))
                  .setWeight(10)
                  .pause()
                  .build());
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(cluster.replicas("web", r.revision())).isEqualTo(3);
      assertThat(router.weight()).isEqualTo(10);
    }
  }

  @Test
  void replicaRatioScalesTheStableDownAsTheCanaryGrows() {
    try (RolloutDriver driver = driver("d", "healthy", TrafficRouter.replicaRatio())) {
      CanaryPlan v1 = plan("web:1").build();
      driver.start(v1);
      String stable = driver.get("default", "web").orElseThrow().revision();
      Rollout r = driver.start(plan("web:2").setWeight(25).pause().setWeight(50).pause().build());
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(cluster.replicas("web", r.revision())).isEqualTo(1);
      assertThat(cluster.replicas("web", stable)).isEqualTo(3);
      r.promote();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(cluster.replicas("web", r.revision())).isEqualTo(2);
      assertThat(cluster.replicas("web", stable)).isEqualTo(2);
    }
  }

  @Test
  void theRouterIsPointedAtTheRevisionsOnlyWhenTheyChange() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      driver.start(plan("web:1").build());
      String v1 = driver.get("default", "web").orElseThrow().revision();
      Rollout r = driver.start(plan("web:2").setWeight(50).pause().build());
      scheduler.advance(Duration.ofMinutes(1));
      r.promote();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(r.status().isPromoted()).isTrue();
      String v2 = r.revision();
      assertThat(router.pins()).containsExactly(v1 + "/" + v1, v2 + "/" + v1, v2 + "/" + v2);
    }
  }

  @Test
  void headerRoutesLiveOnlyWhileTheCanaryDoes() {
    try (RolloutDriver driver = driver("d", "healthy", router)) {
      CanaryPlan v2 =
          plan("web:2")
              .trafficRouting(new io.glidepath.rollout.TrafficRouting.Istio("vs", List.of()))
              .canaryService("web-canary")
              .stableService("web-stable")
              .setWeight(10)
              .step(
                  new CanaryStep.SetHeaderRoute(
                      "beta", List.of(new CanaryStep.HeaderMatch("x-beta", "exact", "1"))))
              .pause()
              .build();
      Rollout r = deploy(driver, v2);
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(router.routes())
          .containsExactly(
              "header beta [HeaderMatch[headerName=x-beta," + " matchType=exact, value=1]]");
      r.promote();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(router.routes()).last().isEqualTo("header beta []");
    }
  }

  @Test
  void onlyTheLeaseHolderActs() {
    RecordingTrafficRouter other = new RecordingTrafficRouter();
    try (RolloutDriver first = driver("first", "healthy", router);
        RolloutDriver second = driver("second", "healthy", other)) {
      CanaryPlan v2 =
          plan("web:2").setWeight(20).pause(Duration.ofMinutes(1)).setWeight(40).build();
      deploy(first, v2);
      second.start(v2);
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(router.weights()).contains(20);
      assertThat(other.weights()).isEmpty();
    }
  }

  @Test
  void twoDriversFinishAnAnalysisLongerThanTheLease() {
    AnalysisTemplate t = AnalysisTemplate.parse(TEMPLATE, "t.yaml");
    CanaryPlan v2 =
        plan("web:2")
            .template(t)
            .setWeight(20)
            .analysis(AnalysisRef.of("success-rate"))
            .setWeight(100)
            .build();
    try (RolloutDriver first = driver("first", "healthy", router);
        RolloutDriver second = driver("second", "healthy", router)) {
      Rollout r = deploy(first, v2);
      second.start(v2);
      // the analysis takes a minute, four times the lease: the holder must keep renewing it
      scheduler.advance(Duration.ofMinutes(3));
      assertThat(r.status().isPromoted()).as(r.status().toString()).isTrue();
      assertThat(events).filteredOn(e -> e.type() == RolloutEvent.Type.ANALYSIS_STARTED).hasSize(1);
    }
  }

  @Test
  void aFailedStepAnalysisRollsBackWithTheMetricsReason() {
    AnalysisTemplate t = AnalysisTemplate.parse(TEMPLATE, "t.yaml");
    try (RolloutDriver driver = driver("d", "errors-8pct", router)) {
      Rollout r =
          deploy(
              driver,
              plan("web:2")
                  .template(t)
                  .setWeight(20)
                  .pause(Duration.ofMinutes(5))
                  .analysis(AnalysisRef.of("success-rate"))
                  .setWeight(100)
                  .build());
      scheduler.advance(Duration.ofMinutes(10));
      RolloutStatus s = r.status();
      assertThat(s.phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(s.stepIndex()).isEqualTo(2);
      assertThat(s.message()).contains("success-rate").contains("0.92");
      assertThat(router.weights()).containsExactly(0, 20, 0);
      assertThat(events).extracting(RolloutEvent::type).contains(RolloutEvent.Type.ABORTED);
    }
  }
}

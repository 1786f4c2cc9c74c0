package io.glidepath.rollout.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.PodMetadata;
import io.glidepath.rollout.RolloutSpec;
import io.glidepath.rollout.internal.driver.InMemoryRolloutCluster;
import io.glidepath.rollout.load.ArgoDocument;
import io.glidepath.rollout.load.ArgoRollouts;
import io.glidepath.rollout.traffic.RecordingTrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rollout-level and strategy fields of Argo Rollouts, read from YAML and run by the driver on an
 * in-memory cluster in virtual time: each test shows what the field does.
 */
class RolloutSpecDriverTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  final InMemoryRolloutCluster memory = (InMemoryRolloutCluster) RolloutCluster.inMemory();
  final AtomicBoolean available = new AtomicBoolean(true);
  final RecordingTrafficRouter router = new RecordingTrafficRouter();
  final List<RolloutEvent> events = new ArrayList<>();
  final List<ObjectNode> queries = new ArrayList<>();

  /** Running pods by revision, evictions in order, and evicted pods not yet replaced (ready). */
  final Map<String, List<RolloutPod>> pods = new java.util.concurrent.ConcurrentHashMap<>();

  final List<String> evicted = java.util.Collections.synchronizedList(new ArrayList<>());
  final Map<String, Integer> replacing = new java.util.concurrent.ConcurrentHashMap<>();

  /** The in-memory cluster, whose new ReplicaSets become available only when the test says so. */
  final RolloutCluster cluster =
      new RolloutCluster() {
        @Override
        public Optional<RolloutStatus> loadStatus(String ns, String name) {
          return memory.loadStatus(ns, name);
        }

        @Override
        public void saveStatus(String ns, String name, RolloutStatus status) {
          memory.saveStatus(ns, name, status);
        }

        @Override
        public void ensureReplicaSet(String ns, ReplicaSetSpec spec) {
          memory.ensureReplicaSet(ns, spec);
        }

        @Override
        public Optional<ObjectNode> replicaSetTemplate(String ns, String rs) {
          return memory.replicaSetTemplate(ns, rs);
        }

        @Override
        public void ensureService(String ns, String n, Map<String, String> s, ObjectNode t) {
          memory.ensureService(ns, n, s, t);
        }

        @Override
        public void pruneReplicaSets(
            String ns, String rollout, java.util.Set<String> inUse, int keep) {
          memory.pruneReplicaSets(ns, rollout, inUse, keep);
        }

        @Override
        public void deleteService(String ns, String n) {
          memory.deleteService(ns, n);
        }

        @Override
        public Optional<String> secretValue(String ns, String name, String key) {
          return memory.secretValue(ns, name, key);
        }

        @Override
        public int replicas(String ns, String name, String hash) {
          return memory.replicas(ns, name, hash);
        }

        @Override
        public int availableReplicas(String ns, String name, String hash) {
          return available.get() || hash.equals(stable)
              ? memory.availableReplicas(ns, name, hash) - replacing.getOrDefault(hash, 0)
              : 0;
        }

        @Override
        public List<RolloutPod> pods(String ns, String name, String hash) {
          return List.copyOf(pods.getOrDefault(hash, List.of()));
        }

        /** The ReplicaSet replaces an evicted pod at once; it is unavailable until ready(). */
        @Override
        public boolean evictPod(String ns, String pod) {
          evicted.add(pod);
          pods.replaceAll(
              (hash, list) -> {
                if (list.stream().noneMatch(p -> p.name().equals(pod))) {
                  return list;
                }
                replacing.merge(hash, 1, Integer::sum);
                List<RolloutPod> next = new ArrayList<>(list);
                next.removeIf(p -> p.name().equals(pod));
                next.add(new RolloutPod(pod + "-new", scheduler.now(), false));
                return next;
              });
          return true;
        }

        @Override
        public void pinService(String ns, String service, String hash) {
          memory.pinService(ns, service, hash);
        }

        @Override
        public boolean tryAcquireLease(
            String ns, String name, String holder, Instant now, Duration d) {
          return memory.tryAcquireLease(ns, name, holder, now, d);
        }
      };

  String stable = "";

  /** A provider that answers 1 and remembers each query it was asked. */
  final MetricProvider capture =
      new MetricProvider() {
        @Override
        public String type() {
          return "prometheus";
        }

        @Override
        public MetricValue measure(MeasurementRequest r) {
          synchronized (queries) {
            queries.add(r.metric().provider().config());
          }
          return MetricValue.scalar(1);
        }
      };

  RolloutDriver driver() {
    return RolloutDriver.builder(cluster)
        .routers(p -> router)
        .providers(MetricProviders.of(capture))
        .scheduler(scheduler)
        .listener(RolloutListener.of(events::add))
        .build();
  }

  static String rollout(String image, String spec, String strategy) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: web
          labels: {region: eu-west-1}
        spec:
          replicas: 4
        %s
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "%s"}]}
          strategy:
        %s
        """
        .formatted(indent(spec, 2), image, indent(strategy, 4));
  }

  static String indent(String text, int n) {
    String pad = " ".repeat(n);
    return text.isBlank() ? "" : pad + text.strip().replace("\n", "\n" + pad);
  }

  static RolloutSpec load(String yaml) {
    return ArgoRollouts.builder()
        .providers(
            MetricProviders.of(
                new io.glidepath.analysis.provider.MetricProvider() {
                  @Override
                  public String type() {
                    return "prometheus";
                  }

                  @Override
                  public MetricValue measure(MeasurementRequest r) {
                    return MetricValue.scalar(1);
                  }
                }))
        .build()
        .parseAll(yaml, "rollout.yaml")
        .stream()
        .filter(d -> d instanceof ArgoDocument.Rollout)
        .map(d -> ((ArgoDocument.Rollout) d).spec())
        .findFirst()
        .orElseThrow();
  }

  Rollout deploy(RolloutDriver driver, String v1, String v2) {
    Rollout first = driver.start(load(v1));
    scheduler.advance(Duration.ofSeconds(1));
    stable = first.revision();
    return driver.start(load(v2));
  }

  ReplicaSetSpec rs(Rollout r, String revision) {
    return memory.replicaSetSpecs().get("default/web-" + revision);
  }

  static final String CANARY = "canary:\n  steps:\n    - setWeight: 25\n    - pause: {}\n";

  @Test
  void progressDeadlineAbortAbortsAStuckCanary() {
    String spec = "progressDeadlineSeconds: 60\nprogressDeadlineAbort: true";
    try (RolloutDriver driver = driver()) {
      available.set(false);
      Rollout r = deploy(driver, rollout("web:1", spec, CANARY), rollout("web:2", spec, CANARY));
      scheduler.advance(Duration.ofSeconds(59));
      assertThat(r.status().aborted()).isFalse();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().aborted()).isTrue();
      assertThat(r.status().message())
          .startsWith("ProgressDeadlineExceeded: ReplicaSet web-" + r.revision())
          .contains("progressDeadlineSeconds (60s)");
      assertThat(events)
          .extracting(RolloutEvent::type)
          .containsSubsequence(
              RolloutEvent.Type.PROGRESS_DEADLINE_EXCEEDED, RolloutEvent.Type.ABORTED);
    }
  }

  @Test
  void withoutProgressDeadlineAbortTheDeadlineIsReportedAndTheCanaryStillProgresses() {
    String spec = "progressDeadlineSeconds: 60";
    try (RolloutDriver driver = driver()) {
      available.set(false);
      Rollout r = deploy(driver, rollout("web:1", spec, CANARY), rollout("web:2", spec, CANARY));
      scheduler.advance(Duration.ofSeconds(61));
      assertThat(r.status().aborted()).isFalse();
      assertThat(r.status().message()).startsWith("ProgressDeadlineExceeded");
      assertThat(events)
          .filteredOn(e -> e.type() == RolloutEvent.Type.PROGRESS_DEADLINE_EXCEEDED)
          .hasSize(1);
      available.set(true);
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().stepIndex()).isEqualTo(1);
      assertThat(router.weight()).isEqualTo(25);
    }
  }

  @Test
  void theDefaultDeadlineIsTenMinutes() {
    try (RolloutDriver driver = driver()) {
      available.set(false);
      Rollout r = deploy(driver, rollout("web:1", "", CANARY), rollout("web:2", "", CANARY));
      scheduler.advance(Duration.ofSeconds(599));
      assertThat(r.status().message()).isEmpty();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().message()).contains("progressDeadlineSeconds (600s)");
    }
  }

  @Test
  void canaryAndStableMetadataLabelThePodsOfEachRole() {
    String strategy =
        """
        canary:
          canaryMetadata: {labels: {role: canary}, annotations: {note: new}}
          stableMetadata: {labels: {role: stable}}
          steps:
            - setWeight: 25
            - pause: {}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(rs(r, r.revision()).ephemeral())
          .isEqualTo(new PodMetadata(Map.of("role", "canary"), Map.of("note", "new")));
      assertThat(rs(r, stable).ephemeral()).isEqualTo(PodMetadata.labels(Map.of("role", "stable")));
      r.promote();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(rs(r, r.revision()).ephemeral())
          .isEqualTo(PodMetadata.labels(Map.of("role", "stable")));
      // the previous stable keeps its pods and labels until scaleDownDelaySeconds (30 s) passes
      scheduler.advance(Duration.ofSeconds(31));
      assertThat(rs(r, stable).replicas()).isZero();
      assertThat(rs(r, stable).ephemeral()).isEqualTo(PodMetadata.NONE);
    }
  }

  @Test
  void fieldRefAndPodTemplateHashArgumentsReachTheMetric() {
    String strategy =
        """
        canary:
          steps:
            - setWeight: 25
            - analysis:
                templates: [{templateName: rate}]
                args:
                  - {name: region, valueFrom: {fieldRef: {fieldPath: "metadata.labels['region']"}}}
                  - {name: stable, valueFrom: {podTemplateHashValue: Stable}}
                  - {name: latest, valueFrom: {podTemplateHashValue: Latest}}
                  - {name: name, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        """;
    String template =
        """
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: rate}
        spec:
          args: [{name: region}, {name: stable}, {name: latest}, {name: name}]
          metrics:
            - name: rate
              provider:
                prometheus:
                  address: http://p:9090
                  query: 'up{region="{{args.region}}",s="{{args.stable}}",l="{{args.latest}}",n="{{args.name}}"}'
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", strategy) + template,
              rollout("web:2", "", strategy) + template);
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(queries)
          .extracting(q -> q.path("query").asString())
          .contains(
              "up{region=\"eu-west-1\",s=\"" + stable + "\",l=\"" + r.revision() + "\",n=\"web\"}");
    }
  }

  static final String TOKEN_TEMPLATE =
      """
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: rate}
      spec:
        args:
          - {name: token, valueFrom: {secretKeyRef: {name: prom, key: token}}}
          - {name: samples}
        metrics:
          - name: rate
            count: "{{args.samples}}"
            interval: 10s
            provider:
              prometheus:
                address: http://p:9090
                query: 'up{t="{{args.token}}"}'
      """;

  static final String TOKEN_STRATEGY =
      """
      canary:
        steps:
          - setWeight: 25
          - analysis:
              templates: [{templateName: rate}]
              args: [{name: samples, value: "3"}]
      """;

  @Test
  void aTemplateArgumentFromASecretAndAnArgumentCountReachTheRun() {
    memory.putSecret("default", "prom", "token", "s3cr3t");
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", TOKEN_STRATEGY) + TOKEN_TEMPLATE,
              rollout("web:2", "", TOKEN_STRATEGY) + TOKEN_TEMPLATE);
      scheduler.advance(Duration.ofSeconds(60));
      assertThat(r.status().isPromoted()).isTrue();
      // count "{{args.samples}}" = 3 measurements, each with the secret's value
      assertThat(queries)
          .extracting(q -> q.path("query").asString())
          .containsExactly("up{t=\"s3cr3t\"}", "up{t=\"s3cr3t\"}", "up{t=\"s3cr3t\"}");
    }
  }

  @Test
  void aTemplateArgumentFromAFieldOfTheRolloutAndAStepsDryRunRule() {
    String template =
        """
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: rate}
        spec:
          args: [{name: region, valueFrom: {fieldRef: {fieldPath: "metadata.labels['region']"}}}]
          metrics:
            - name: rate
              successCondition: result == 0
              provider: {prometheus: {address: "http://p", query: 'up{r="{{args.region}}"}'}}
        """;
    String strategy =
        """
        canary:
          steps:
            - setWeight: 25
            - analysis:
                templates: [{templateName: rate}]
                dryRun: [{metricName: rate}]
                measurementRetention: [{metricName: rate, limit: 1}]
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", strategy) + template,
              rollout("web:2", "", strategy) + template);
      scheduler.advance(Duration.ofSeconds(5));
      // the metric fails (1 != 0) but runs dry: the rollout goes on
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(queries)
          .extracting(q -> q.path("query").asString())
          .contains("up{r=\"eu-west-1\"}");
    }
  }

  @Test
  void anAnalysisWhoseArgumentCannotBeResolvedIsErrorAndAbortsTheRollout() {
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", TOKEN_STRATEGY) + TOKEN_TEMPLATE,
              rollout("web:2", "", TOKEN_STRATEGY) + TOKEN_TEMPLATE);
      scheduler.advance(Duration.ofSeconds(5));
      // no Secret prom: as Argo, the run is Error ("Analysis spec invalid") and the rollout aborts
      assertThat(r.status().aborted()).isTrue();
      assertThat(r.status().message())
          .contains("Error")
          .contains("Analysis spec invalid")
          .contains("args.token was not resolved");
      assertThat(queries).isEmpty();
    }
  }

  @Test
  void minReadySecondsIsTheReplicaSetsMinReadySeconds() {
    try (RolloutDriver driver = driver()) {
      Rollout r = driver.start(load(rollout("web:1", "minReadySeconds: 30", CANARY)));
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(rs(r, r.revision()).minReadySeconds()).isEqualTo(30);
    }
  }

  @Test
  void pausedKeepsTheFirstDeploymentAtZeroAndANewRevisionAtStepZeroUntilResumed() {
    try (RolloutDriver driver = driver()) {
      Rollout first = driver.start(load(rollout("web:1", "paused: true", CANARY)));
      scheduler.advance(Duration.ofMinutes(5));
      assertThat(memory.replicaSets()).doesNotContainKey("default/web-" + first.revision());
      assertThat(first.status().pauseReason()).contains(RolloutStatus.PAUSE_SPEC);
      first.resume();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(first.status().isPromoted()).isTrue();
      assertThat(memory.replicaSets()).containsEntry("default/web-" + first.revision(), 4);
      stable = first.revision();
      Rollout second = driver.start(load(rollout("web:2", "paused: true", CANARY)));
      scheduler.advance(Duration.ofMinutes(5));
      assertThat(second.status().stepIndex()).isZero();
      assertThat(router.weights()).doesNotContain(25);
      second.resume();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(router.weight()).isEqualTo(25);
    }
  }

  @Test
  void aRevisionWithinTheRollbackWindowIsPromotedWithoutSteps() {
    String spec = "rollbackWindow: {revisions: 2}";
    try (RolloutDriver driver = driver()) {
      Rollout v2 = deploy(driver, rollout("web:1", spec, CANARY), rollout("web:2", spec, CANARY));
      scheduler.advance(Duration.ofSeconds(2));
      v2.promote();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(v2.status().isPromoted()).isTrue();
      int before = router.weights().size();
      Rollout back = driver.start(load(rollout("web:1", spec, CANARY)));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(back.status().isPromoted()).isTrue();
      assertThat(router.weights().subList(before, router.weights().size())).doesNotContain(25);
      assertThat(events)
          .extracting(RolloutEvent::message)
          .contains(
              "revision "
                  + back.revision()
                  + " was stable before (rollbackWindow): promoted at once");
      // outside the window (no rollbackWindow), going back runs the steps
      Rollout v3 = driver.start(load(rollout("web:3", "", CANARY)));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(v3.status().isPromoted()).isFalse();
    }
  }

  @Test
  void antiAffinityKeepsTheCanaryOffTheStablesNodesUntilItIsStable() {
    String strategy =
        "canary:\n  antiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 40}}\n"
            + "  steps:\n    - setWeight: 25\n    - pause: {}\n";
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      ObjectNode canary = rs(r, r.revision()).podTemplate().orElseThrow();
      var term =
          canary
              .path("spec")
              .path("affinity")
              .path("podAntiAffinity")
              .path("preferredDuringSchedulingIgnoredDuringExecution")
              .path(0);
      assertThat(term.path("weight").asInt()).isEqualTo(40);
      assertThat(term.path("podAffinityTerm").path("topologyKey").asString())
          .isEqualTo("kubernetes.io/hostname");
      assertThat(
              term.path("podAffinityTerm")
                  .path("labelSelector")
                  .path("matchExpressions")
                  .path(0)
                  .path("values")
                  .path(0)
                  .asString())
          .isEqualTo(stable);
      r.promote();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(rs(r, r.revision()).podTemplate().orElseThrow().path("spec").has("affinity"))
          .isFalse();
    }
  }

  static final String ROUTED =
      """
      canary:
        canaryService: web-canary
        stableService: web-stable
        trafficRouting: {smi: {}}
      %s
        steps:
          - setWeight: 50
          - pause: {}
      """;

  @Test
  void dynamicStableScaleGivesTheCanarysShareOfReplicasUpFromTheStable() {
    try (RolloutDriver driver = driver()) {
      String strategy = ROUTED.formatted("  dynamicStableScale: true");
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
      assertThat(memory.replicas("default", "web", stable)).isEqualTo(2);
    }
  }

  @Test
  void restartAtEvictsThePodsOlderThanItMaxUnavailableAtATimeThenRecordsRestartedAt() {
    // Argo's spec.restartAt: nothing before the time; then the pods created before it are evicted,
    // oldest first, at most maxUnavailable (2) while the ReplicaSet is not fully available
    Instant restartAt = T0.plusSeconds(30);
    String spec = "restartAt: \"" + restartAt + "\"";
    String strategy = "canary:\n  maxSurge: 0\n  maxUnavailable: 2\n";
    try (RolloutDriver driver = driver()) {
      Rollout r = driver.start(load(rollout("web:1", spec, strategy)));
      scheduler.advance(Duration.ofSeconds(1));
      List<RolloutPod> running = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        running.add(new RolloutPod("web-" + i, T0.minusSeconds(100 - i), false));
      }
      pods.put(r.revision(), running);
      scheduler.advance(Duration.ofSeconds(20));
      assertThat(evicted).isEmpty();

      scheduler.advance(Duration.ofSeconds(10));
      assertThat(evicted).containsExactly("web-0", "web-1");
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(evicted).hasSize(2); // the replacements are not available yet

      replacing.clear();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(evicted).containsExactly("web-0", "web-1", "web-2", "web-3");
      assertThat(r.status().restartedAt()).isEmpty();

      replacing.clear();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().restartedAt()).contains(restartAt);
      assertThat(RolloutStatus.fromJson(r.status().toJson()).restartedAt()).contains(restartAt);
      scheduler.advance(Duration.ofMinutes(5));
      assertThat(evicted).hasSize(4);
    }
  }

  @Test
  void restartAtRestartsTheStableReplicaSetBeforeTheCanaryOneAtATimeForBlueGreen() {
    // blue-green without maxUnavailable: one pod at a time; the stable (active) ReplicaSet first
    Instant restartAt = T0.plusSeconds(5);
    String spec = "restartAt: \"" + restartAt + "\"";
    String strategy = "blueGreen:\n  activeService: web-active\n  autoPromotionEnabled: false\n";
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(driver, rollout("web:1", spec, strategy), rollout("web:2", spec, strategy));
      pods.put(stable, List.of(new RolloutPod("old-a", T0.minusSeconds(60), false)));
      pods.put(
          r.revision(),
          List.of(
              new RolloutPod("new-a", T0.minusSeconds(1), false),
              new RolloutPod("new-b", T0.plusSeconds(60), false)));
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(evicted).containsExactly("old-a");
      replacing.clear();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(evicted).containsExactly("old-a", "new-a");
      replacing.clear();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().restartedAt()).contains(restartAt);
    }
  }

  @Test
  void dynamicStableScaleKeepsTheStablesRoundedUpShareAsArgoDoes() {
    // 10 replicas at 15%: Argo keeps ceil(10 * 85 / 100) = 9 stable replicas, not 10 - 2
    try (RolloutDriver driver = driver()) {
      String strategy =
          """
          canary:
            canaryService: web-canary
            stableService: web-stable
            trafficRouting: {smi: {}}
            dynamicStableScale: true
            steps:
              - setWeight: 15
              - pause: {}
          """;
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", strategy).replace("replicas: 4", "replicas: 10"),
              rollout("web:2", "", strategy).replace("replicas: 4", "replicas: 10"));
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(router.weight()).isEqualTo(15);
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
      assertThat(memory.replicas("default", "web", stable)).isEqualTo(9);
    }
  }

  @Test
  void maxTrafficWeightMakesEveryWeightAShareOfItsTotal() {
    // Argo's trafficRouting.maxTrafficWeight: setWeight 200 of 1000 is 20% of the traffic and
    // ceil(10 * 200 / 1000) = 2 canary replicas; setCanaryScale's weight is out of it too
    String strategy =
        """
        canary:
          canaryService: web-canary
          stableService: web-stable
          trafficRouting: {maxTrafficWeight: 1000, smi: {}}
          dynamicStableScale: true
          steps:
            - setWeight: 200
            - pause: {}
            - setCanaryScale: {weight: 450}
            - pause: {}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", strategy).replace("replicas: 4", "replicas: 10"),
              rollout("web:2", "", strategy).replace("replicas: 4", "replicas: 10"));
      assertThat(((CanaryPlan) load(rollout("web:2", "", strategy))).maxTrafficWeight())
          .isEqualTo(1000);
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(router.weight()).isEqualTo(200);
      assertThat(router.totalWeight()).isEqualTo(1000);
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
      assertThat(memory.replicas("default", "web", stable)).isEqualTo(8);
      r.promote();
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(5);
      assertThat(router.weight()).isEqualTo(200);
      r.promote();
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(10);
    }
  }

  @Test
  void maxTrafficWeightBoundsTheWeightsAndNeedsARouterWhoseWeightsItCanTotal() {
    String yaml =
        rollout(
            "web:1",
            "",
            """
            canary:
              canaryService: web-canary
              stableService: web-stable
              trafficRouting:
                maxTrafficWeight: 1000
                ambassador: {mappings: [web]}
              steps:
                - setWeight: 1200
                - experiment:
                    templates: [{name: e, specRef: canary, weight: 900}]
            """);
    List<io.glidepath.rollout.load.Refusal> refusals =
        ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml").get(0).refusals();
    assertThat(refusals)
        .extracting(
            io.glidepath.rollout.load.Refusal::path, io.glidepath.rollout.load.Refusal::reason)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "spec.strategy.canary.steps[0].setWeight",
                "must be within 0..1000 (trafficRouting.maxTrafficWeight), but was 1200"),
            org.assertj.core.groups.Tuple.tuple(
                "spec.strategy.canary.steps[1].experiment.templates",
                "weights 900 and the canary's 1200 add up to more than 1000 (maxTrafficWeight)"));
    assertThat(refusals)
        .filteredOn(r -> r.path().equals("spec.strategy.canary.trafficRouting.maxTrafficWeight"))
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).startsWith("must be 100 with Ambassador"));
  }

  @Test
  void withoutDynamicStableScaleTheStableKeepsAllItsReplicas() {
    try (RolloutDriver driver = driver()) {
      String strategy = ROUTED.formatted("");
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
      assertThat(memory.replicas("default", "web", stable)).isEqualTo(4);
    }
  }

  @Test
  void anAbortedCanaryKeepsItsPodsForAbortScaleDownDelaySeconds() {
    try (RolloutDriver driver = driver()) {
      String strategy = ROUTED.formatted("  abortScaleDownDelaySeconds: 10");
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(3));
      r.abort();
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(router.weight()).isZero();
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
      scheduler.advance(Duration.ofSeconds(6));
      assertThat(memory.replicas("default", "web", r.revision())).isZero();
    }
  }

  @Test
  void anAbortedCanaryWithAbortScaleDownDelayZeroKeepsItsPods() {
    try (RolloutDriver driver = driver()) {
      String strategy = ROUTED.formatted("  abortScaleDownDelaySeconds: 0");
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(3));
      r.abort();
      scheduler.advance(Duration.ofMinutes(10));
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
    }
  }

  @Test
  void theBackgroundAnalysisStartsAtItsStartingStep() {
    String strategy =
        """
        canary:
          analysis: {templates: [{templateName: bg}], startingStep: 2}
          steps:
            - setWeight: 25
            - pause: {duration: 30s}
            - setWeight: 50
            - pause: {}
        """;
    String template =
        """
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: bg}
        spec:
          metrics:
            - name: bg
              interval: 10s
              provider: {prometheus: {address: "http://p", query: background}}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", strategy) + template,
              rollout("web:2", "", strategy) + template);
      scheduler.advance(Duration.ofSeconds(25));
      assertThat(r.status().stepIndex()).isEqualTo(1);
      assertThat(queries).isEmpty();
      scheduler.advance(Duration.ofSeconds(20));
      assertThat(r.status().stepIndex()).isEqualTo(3);
      assertThat(queries).extracting(q -> q.path("query").asString()).contains("background");
    }
  }

  @Test
  void blueGreenAntiAffinityAndScaleDownDelayRevisionLimitZero() {
    String strategy =
        blueGreen(
            "antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}\n"
                + "scaleDownDelaySeconds: 300\nscaleDownDelayRevisionLimit: 0");
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(
              rs(r, r.revision())
                  .podTemplate()
                  .orElseThrow()
                  .at(
                      "/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey")
                  .asString())
          .isEqualTo("kubernetes.io/hostname");
      r.promote();
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(memory.replicas("default", "web", stable)).isZero();
    }
  }

  @Test
  void minPodsPerReplicaSetRaisesASmallCanary() {
    String strategy =
        """
        canary:
          canaryService: web-canary
          stableService: web-stable
          minPodsPerReplicaSet: 2
          trafficRouting: {smi: {}}
          steps:
            - setWeight: 10
            - pause: {}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      // 10% of 4 replicas is 1 pod; minPodsPerReplicaSet makes it 2
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(2);
    }
  }

  @Test
  void scaleDownDelayRevisionLimitZeroScalesThePreviousStableDownAtOnce() {
    String strategy =
        """
        canary:
          canaryService: web-canary
          stableService: web-stable
          scaleDownDelaySeconds: 300
          scaleDownDelayRevisionLimit: 0
          trafficRouting: {smi: {}}
          steps:
            - setWeight: 50
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(memory.replicas("default", "web", stable)).isZero();
    }
  }

  static final String DELAYED =
      """
      canary:
        canaryService: web-canary
        stableService: web-stable
        scaleDownDelaySeconds: 300
        trafficRouting: {smi: {}}
        steps:
          - setWeight: 50
          - pause: {}
      """;

  @Test
  void aStableStillWaitingOutItsDelayWhenTheNextRevisionStartsIsScaledDownAtItsDeadline() {
    try (RolloutDriver driver = driver()) {
      Rollout v2 = deploy(driver, rollout("web:1", "", DELAYED), rollout("web:2", "", DELAYED));
      scheduler.advance(Duration.ofSeconds(2));
      v2.promote();
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(v2.status().isPromoted()).isTrue();
      String v1 = stable;
      assertThat(memory.replicas("default", "web", v1)).isEqualTo(4);
      // web:3 starts while web:1 waits out its 300 s; no limit: web:1 keeps its deadline
      Rollout v3 = driver.start(load(rollout("web:3", "", DELAYED)));
      scheduler.advance(Duration.ofSeconds(100));
      assertThat(memory.replicas("default", "web", v1)).isEqualTo(4);
      assertThat(memory.replicas("default", "web", v2.revision())).isEqualTo(4);
      assertThat(memory.replicas("default", "web", v3.revision())).isEqualTo(2);
      scheduler.advance(Duration.ofSeconds(200));
      assertThat(memory.replicas("default", "web", v1)).isZero();
      assertThat(memory.replicas("default", "web", v2.revision())).isEqualTo(4);
    }
  }

  @Test
  void scaleDownDelayRevisionLimitOneScalesTheOlderWaitingStableDownAtTheNextPromotion() {
    String strategy =
        DELAYED.replace(
            "scaleDownDelaySeconds: 300",
            "scaleDownDelaySeconds: 300\n  scaleDownDelayRevisionLimit: 1");
    try (RolloutDriver driver = driver()) {
      Rollout v2 = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      v2.promote();
      scheduler.advance(Duration.ofSeconds(5));
      String v1 = stable;
      Rollout v3 = driver.start(load(rollout("web:3", "", strategy)));
      scheduler.advance(Duration.ofSeconds(2));
      // one old ReplicaSet may wait: web:1 (web:2 is the stable)
      assertThat(memory.replicas("default", "web", v1)).isEqualTo(4);
      v3.promote();
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(v3.status().isPromoted()).isTrue();
      // now web:2 waits out its delay and web:1 is one too many
      assertThat(memory.replicas("default", "web", v1)).isZero();
      assertThat(memory.replicas("default", "web", v2.revision())).isEqualTo(4);
      scheduler.advance(Duration.ofSeconds(300));
      assertThat(memory.replicas("default", "web", v2.revision())).isZero();
      assertThat(memory.replicas("default", "web", v3.revision())).isEqualTo(4);
    }
  }

  @Test
  void blueGreenScaleDownDelayRevisionLimitTwoKeepsTwoOldActiveReplicaSetsUntilTheirDeadlines() {
    String strategy = blueGreen("scaleDownDelaySeconds: 300\nscaleDownDelayRevisionLimit: 2");
    try (RolloutDriver driver = driver()) {
      List<String> revisions = new ArrayList<>();
      Rollout first = driver.start(load(rollout("web:1", "", strategy)));
      scheduler.advance(Duration.ofSeconds(1));
      revisions.add(first.revision());
      for (int v = 2; v <= 4; v++) {
        Rollout r = driver.start(load(rollout("web:" + v, "", strategy)));
        scheduler.advance(Duration.ofSeconds(2));
        r.promote();
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(r.status().isPromoted()).isTrue();
        revisions.add(r.revision());
      }
      // web:4 active; web:3 and web:2 wait out their delay; web:1 is beyond the limit of 2
      assertThat(memory.replicas("default", "web", revisions.get(0))).isZero();
      assertThat(memory.replicas("default", "web", revisions.get(1))).isEqualTo(4);
      assertThat(memory.replicas("default", "web", revisions.get(2))).isEqualTo(4);
      scheduler.advance(Duration.ofSeconds(300));
      assertThat(memory.replicas("default", "web", revisions.get(1))).isZero();
      assertThat(memory.replicas("default", "web", revisions.get(2))).isZero();
      assertThat(memory.replicas("default", "web", revisions.get(3))).isEqualTo(4);
    }
  }

  @Test
  void revisionHistoryLimitDeletesOlderReplicaSetsOnceScaledDown() {
    String canary = "canary:\n  steps:\n    - setWeight: 50\n";
    try (RolloutDriver driver = driver()) {
      List<String> revisions = new ArrayList<>();
      for (int v = 1; v <= 4; v++) {
        Rollout r = driver.start(load(rollout("web:" + v, "revisionHistoryLimit: 1", canary)));
        scheduler.advance(Duration.ofSeconds(40));
        assertThat(r.status().isPromoted()).isTrue();
        revisions.add(r.revision());
      }
      // the stable revision and one old one (revisionHistoryLimit: 1) remain
      assertThat(memory.replicaSets())
          .containsOnlyKeys("default/web-" + revisions.get(3), "default/web-" + revisions.get(2));
      assertThat(memory.replicaSets()).containsEntry("default/web-" + revisions.get(2), 0);
    }
  }

  @Test
  void pingPongServicesSwapRolesAtEachPromotion() {
    String strategy =
        """
        canary:
          pingPong: {pingService: web-ping, pongService: web-pong}
          trafficRouting: {istio: {virtualService: {name: web-vs}}}
          steps:
            - setWeight: 30
            - pause: {}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout v2 = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      // first the ping Service is stable and the pong Service takes the canary
      assertThat(memory.services())
          .containsEntry("default/web-ping", stable)
          .containsEntry("default/web-pong", v2.revision());
      v2.promote();
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(v2.status().isPromoted()).isTrue();
      assertThat(v2.status().pong()).isTrue();
      Rollout v3 = driver.start(load(rollout("web:3", "", strategy)));
      scheduler.advance(Duration.ofSeconds(2));
      // after the promotion pong is stable and ping takes the next canary
      assertThat(memory.services())
          .containsEntry("default/web-pong", v2.revision())
          .containsEntry("default/web-ping", v3.revision());
    }
  }

  static final String RATE =
      """
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: rate}
      spec:
        args: [{name: stable-hash}]
        metrics:
          - name: rate
            interval: 10s
            count: 2
            successCondition: result == 1
            provider: {prometheus: {address: "http://p", query: "up{s=\\"{{args.stable-hash}}\\"}"}}
      """;

  static String experimentStep(String extra) {
    return """
        canary:
          steps:
            - setWeight: 25
            - experiment:
                templates:
                  - {name: baseline, specRef: stable}
                  - {name: canary, specRef: canary, replicas: 2}
        %s
            - setWeight: 50
        """
        .formatted(extra.strip().indent(8).stripTrailing());
  }

  @Test
  void anExperimentStepRunsTheStableAndCanaryTemplatesWithItsAnalysisThenGoesOn() {
    String strategy =
        experimentStep(
            "duration: 1m\nanalyses:\n  - name: a\n    templateName: rate\n"
                + "    args: [{name: stable-hash, valueFrom: {podTemplateHashValue: Stable}}]");
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver, rollout("web:1", "", strategy) + RATE, rollout("web:2", "", strategy) + RATE);
      scheduler.advance(Duration.ofSeconds(2));
      String experiment = "default/web-" + r.revision() + "-1-";
      assertThat(memory.replicaSets())
          .containsEntry(experiment + "baseline", 1)
          .containsEntry(experiment + "canary", 2);
      assertThat(
              memory
                  .replicaSetSpecs()
                  .get(experiment + "baseline")
                  .podTemplate()
                  .orElseThrow()
                  .at("/spec/containers/0/image")
                  .asString())
          .isEqualTo("web:1");
      assertThat(r.status().stepIndex()).isEqualTo(1);
      scheduler.advance(Duration.ofSeconds(60));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(queries)
          .extracting(q -> q.path("query").asString())
          .contains("up{s=\"" + stable + "\"}");
      scheduler.advance(Duration.ofSeconds(31));
      assertThat(memory.replicaSets()).containsEntry(experiment + "canary", 0);
    }
  }

  @Test
  void anExperimentStepTemplatesMetadataAndServiceReachTheCluster() {
    String strategy =
        """
        canary:
          steps:
            - setWeight: 25
            - experiment:
                duration: 1m
                templates:
                  - name: canary
                    specRef: canary
                    metadata: {labels: {track: experiment}}
                    selector: {matchLabels: {app: web, track: experiment}}
                    service: {name: exp-svc}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      String rs = "default/web-" + r.revision() + "-1-canary";
      assertThat(memory.replicaSetSpecs().get(rs).ephemeral().labels())
          .containsEntry("track", "experiment");
      assertThat(memory.replicaSetSpecs().get(rs).selector())
          .containsEntry("app", "web")
          .containsEntry("track", "experiment");
      assertThat(memory.experimentServices()).containsKey("default/exp-svc");
    }
  }

  @Test
  void weightedExperimentTemplatesGetTrafficWhileTheExperimentRuns() {
    String strategy =
        """
        canary:
          canaryService: web-canary
          stableService: web-stable
          trafficRouting: {smi: {}}
          steps:
            - setWeight: 20
            - experiment:
                duration: 1m
                templates:
                  - {name: canary, specRef: canary, weight: 10}
                  - {name: baseline, specRef: stable, weight: 5}
            - setWeight: 50
            - pause: {}
        """;
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(3));
      String experiment = "web-" + r.revision() + "-1-";
      assertThat(router.weight()).isEqualTo(20);
      assertThat(router.additional())
          .extracting(
              io.glidepath.rollout.traffic.WeightDestination::serviceName,
              io.glidepath.rollout.traffic.WeightDestination::weight)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(experiment + "canary", 10),
              org.assertj.core.groups.Tuple.tuple(experiment + "baseline", 5));
      // a weighted template gets a Service even without `service`, as in Argo Rollouts
      assertThat(memory.experimentServices())
          .containsKeys("default/" + experiment + "canary", "default/" + experiment + "baseline");
      scheduler.advance(Duration.ofSeconds(61));
      assertThat(r.status().stepIndex()).isEqualTo(3);
      assertThat(router.additional()).isEmpty();
      assertThat(router.weight()).isEqualTo(50);
    }
  }

  @Test
  void experimentWeightsNeedARouterThatTakesThem() {
    String strategy =
        """
        canary:
          canaryService: web-canary
          stableService: web-stable
          trafficRouting: {nginx: {stableIngress: web}}
          steps:
            - setWeight: 90
            - experiment:
                templates: [{name: canary, specRef: canary, weight: 20}]
        """;
    List<io.glidepath.rollout.load.Refusal> refusals =
        ArgoRollouts.ofDefaults()
            .checkText(rollout("web:1", "", strategy), "web.yaml")
            .get(0)
            .refusals();
    assertThat(refusals)
        .extracting(io.glidepath.rollout.load.Refusal::reason)
        .anyMatch(m -> m.contains("needs Istio (without destinationRule), SMI or ALB"))
        .anyMatch(m -> m.contains("weights 20 and the canary's 90 add up to more than 100"));
  }

  @Test
  void aFailingExperimentAbortsTheRollout() {
    String strategy =
        experimentStep(
            "duration: 1m\nanalyses:\n  - name: a\n    templateName: rate\n"
                + "    args: [{name: stable-hash, value: x}]");
    MetricProvider zero =
        new MetricProvider() {
          @Override
          public String type() {
            return "prometheus";
          }

          @Override
          public MetricValue measure(MeasurementRequest req) {
            return MetricValue.scalar(0);
          }
        };
    try (RolloutDriver driver =
        RolloutDriver.builder(cluster)
            .routers(p -> router)
            .providers(MetricProviders.of(zero))
            .scheduler(scheduler)
            .build()) {
      Rollout r =
          deploy(
              driver, rollout("web:1", "", strategy) + RATE, rollout("web:2", "", strategy) + RATE);
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(r.status().aborted()).isTrue();
      assertThat(r.status().message()).startsWith("step 1 experiment Failed: analysis a Failed");
      // the experiment's ReplicaSets go after its scaleDownDelaySeconds (30 s), as in Argo
      scheduler.advance(Duration.ofSeconds(31));
      assertThat(memory.replicaSets())
          .containsEntry("default/web-" + r.revision() + "-1-canary", 0);
    }
  }

  @Test
  void anExperimentWithoutDurationOrRequiredAnalysesWaitsForPromote() {
    try (RolloutDriver driver = driver()) {
      Rollout r =
          deploy(
              driver,
              rollout("web:1", "", experimentStep("")),
              rollout("web:2", "", experimentStep("")));
      scheduler.advance(Duration.ofHours(1));
      assertThat(r.status().stepIndex()).isEqualTo(1);
      r.promote();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(r.status().stepIndex()).isGreaterThanOrEqualTo(2);
      assertThat(memory.replicaSets())
          .containsEntry("default/web-" + r.revision() + "-1-canary", 0);
    }
  }

  static String blueGreen(String extra) {
    return "blueGreen:\n  activeService: web\n  previewService: web-preview\n"
        + "  autoPromotionEnabled: false\n"
        + indent(extra, 2)
        + "\n";
  }

  @Test
  void blueGreenPreviewAndActiveMetadataAndAbortScaleDownDelayZero() {
    String strategy =
        blueGreen(
            "previewMetadata: {labels: {role: preview}}\nactiveMetadata: {labels: {role: active}}\n"
                + "abortScaleDownDelaySeconds: 0");
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(rs(r, r.revision()).ephemeral().labels()).containsEntry("role", "preview");
      assertThat(rs(r, stable).ephemeral().labels()).containsEntry("role", "active");
      r.abort();
      scheduler.advance(Duration.ofMinutes(10));
      // abortScaleDownDelaySeconds: 0 leaves the preview running after an abort
      assertThat(memory.replicas("default", "web", r.revision())).isEqualTo(4);
    }
  }

  @Test
  void blueGreenPreviewBecomesActiveAtTheSwitch() {
    String strategy =
        blueGreen(
            "previewMetadata: {labels: {role: preview}}\nactiveMetadata: {labels: {role: active}}");
    try (RolloutDriver driver = driver()) {
      Rollout r = deploy(driver, rollout("web:1", "", strategy), rollout("web:2", "", strategy));
      scheduler.advance(Duration.ofSeconds(2));
      r.promote();
      scheduler.advance(Duration.ofSeconds(3));
      assertThat(r.status().isPromoted()).isTrue();
      assertThat(rs(r, r.revision()).ephemeral().labels()).containsEntry("role", "active");
      scheduler.advance(Duration.ofSeconds(31));
      assertThat(rs(r, stable).ephemeral()).isEqualTo(PodMetadata.NONE);
    }
  }

  @Test
  void blueGreenProgressDeadlineAbortsAPreviewThatNeverBecomesAvailable() {
    String spec = "progressDeadlineSeconds: 30\nprogressDeadlineAbort: true";
    try (RolloutDriver driver = driver()) {
      available.set(false);
      Rollout r =
          deploy(
              driver, rollout("web:1", spec, blueGreen("")), rollout("web:2", spec, blueGreen("")));
      scheduler.advance(Duration.ofSeconds(31));
      assertThat(r.status().aborted()).isTrue();
      assertThat(r.status().message()).startsWith("ProgressDeadlineExceeded");
    }
  }

  @Test
  void aPlanWhoseMetricNoProviderOfTheDriverServesIsRefusedAtStart() {
    CanaryPlan plan =
        (CanaryPlan)
            load(
                rollout(
                        "web:1",
                        "",
                        "canary:\n  steps:\n    - analysis: {templates: [{templateName: t}]}\n")
                    + """
                    ---
                    apiVersion: argoproj.io/v1alpha1
                    kind: AnalysisTemplate
                    metadata: {name: t}
                    spec:
                      metrics:
                        - name: up
                          provider: {prometheus: {address: "http://p", query: up}}
                    """);
    try (RolloutDriver driver = RolloutDriver.builder(cluster).scheduler(scheduler).build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> driver.start(plan))
          .isInstanceOf(io.glidepath.analysis.TemplateException.class)
          .hasMessageContaining("spec.metrics[0].provider.prometheus")
          .hasMessageContaining("no metric provider is registered for type 'prometheus'");
      assertThat(memory.replicaSets()).isEmpty();
    }
  }

  @Test
  void blueGreenPlansCanBeStartedThroughRolloutSpec() {
    RolloutSpec spec = load(rollout("web:1", "", blueGreen("")));
    assertThat(spec).isInstanceOf(BlueGreenPlan.class);
    try (RolloutDriver driver = driver()) {
      Rollout r = driver.start(spec);
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(r.status().isPromoted()).isTrue();
    }
  }
}

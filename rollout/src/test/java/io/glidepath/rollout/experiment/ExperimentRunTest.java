package io.glidepath.rollout.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.MetricValue;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MeasurementRequest;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.internal.driver.InMemoryRolloutCluster;
import io.glidepath.rollout.load.ArgoDocument;
import io.glidepath.rollout.load.ArgoRollouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentRunTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  final InMemoryRolloutCluster cluster = (InMemoryRolloutCluster) RolloutCluster.inMemory();
  final List<String> queries = new ArrayList<>();

  /** Answers the number in the query's {@code value} field, records the query. */
  final MetricProvider provider =
      new MetricProvider() {
        @Override
        public String type() {
          return "prometheus";
        }

        @Override
        public MetricValue measure(MeasurementRequest r) {
          String q = r.metric().provider().config().path("query").asString();
          synchronized (queries) {
            queries.add(q);
          }
          return MetricValue.scalar(
              Double.parseDouble(q.replaceAll("^.*value=([0-9.]+).*$", "$1")));
        }
      };

  static final String TEMPLATE =
      """
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: check}
      spec:
        args: [{name: value}, {name: hash, value: none}]
        metrics:
          - name: check
            interval: 10s
            count: 3
            successCondition: result == 1
            provider: {prometheus: {address: "http://p", query: "x value={{args.value}} hash={{args.hash}}"}}
      """;

  ExperimentSpec load(String spec) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Experiment
        metadata: {name: exp}
        spec:
        %s
        """
                .formatted(spec.strip().indent(2))
            + TEMPLATE;
    return ArgoRollouts.builder()
        .providers(MetricProviders.of(provider))
        .build()
        .parseAll(yaml, "exp.yaml")
        .stream()
        .filter(d -> d instanceof ArgoDocument.Experiment)
        .map(d -> ((ArgoDocument.Experiment) d).experiment())
        .findFirst()
        .orElseThrow();
  }

  static final String TEMPLATES =
      """
      templates:
        - name: baseline
          replicas: 2
          service: {}
          template:
            metadata: {labels: {app: web, track: baseline}}
            spec: {containers: [{name: web, image: "web:1", ports: [{containerPort: 8080}]}]}
        - name: canary
          template:
            metadata: {labels: {app: web, track: canary}}
            spec: {containers: [{name: web, image: "web:2"}]}
      """;

  ExperimentRun start(ExperimentSpec spec) {
    return ExperimentRun.start(spec, cluster, MetricProviders.of(provider), scheduler, r -> {});
  }

  @Test
  void runsItsReplicaSetsForTheDurationThenScalesThemDown() {
    ExperimentRun run =
        start(
            load(
                TEMPLATES
                    + "duration: 1m\nanalyses: [{name: a, templateName: check, args: [{name: value, value: '1'}]}]"));
    assertThat(cluster.replicaSets())
        .containsEntry("default/exp-baseline", 2)
        .containsEntry("default/exp-canary", 1);
    assertThat(cluster.experimentServices()).containsKey("default/exp-baseline");
    scheduler.advance(Duration.ofSeconds(59));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.RUNNING);
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.result().message()).isEqualTo("duration PT1M passed");
    assertThat(cluster.replicaSets()).containsEntry("default/exp-canary", 1);
    scheduler.advance(Duration.ofSeconds(31));
    assertThat(cluster.replicaSets())
        .containsEntry("default/exp-baseline", 0)
        .containsEntry("default/exp-canary", 0);
    assertThat(cluster.experimentServices()).isEmpty();
  }

  @Test
  void aFailedAnalysisFailsTheExperimentAtOnce() {
    ExperimentRun run =
        start(
            load(
                TEMPLATES
                    + "duration: 1h\nanalyses: [{name: a, templateName: check, args: [{name: value, value: '0'}]}]"));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(run.result().message()).startsWith("analysis a Failed");
  }

  @Test
  void withoutADurationItEndsWhenTheRequiredAnalysesComplete() {
    ExperimentRun run =
        start(
            load(
                TEMPLATES
                    + "analyses: [{name: a, templateName: check, requiredForCompletion: true,"
                    + " args: [{name: value, value: '1'}]}]"));
    scheduler.advance(Duration.ofSeconds(15));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.RUNNING);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.result().message()).isEqualTo("required analyses completed");
  }

  @Test
  void templatePlaceholdersInArgumentsNameTheExperimentsReplicaSets() {
    ExperimentRun run =
        start(
            load(
                TEMPLATES
                    + "duration: 30s\nanalyses: [{name: a, templateName: check, args: [{name: value,"
                    + " value: '1'}, {name: hash, value: '{{templates.canary.podTemplateHash}}-{{templates.baseline.replicaset.name}}'}]}]"));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(queries)
        .first()
        .isEqualTo("x value=1 hash=" + run.podTemplateHash("canary") + "-exp-baseline");
  }

  @Test
  void aReplicaSetThatNeverBecomesAvailableFailsItAtTheDeadline() {
    RolloutCluster stuck =
        new io.glidepath.rollout.driver.RolloutCluster() {
          final RolloutCluster d = cluster;

          @Override
          public java.util.Optional<io.glidepath.rollout.driver.RolloutStatus> loadStatus(
              String ns, String name) {
            return d.loadStatus(ns, name);
          }

          @Override
          public void saveStatus(
              String ns, String name, io.glidepath.rollout.driver.RolloutStatus s) {
            d.saveStatus(ns, name, s);
          }

          @Override
          public void ensureReplicaSet(String ns, io.glidepath.rollout.driver.ReplicaSetSpec spec) {
            d.ensureReplicaSet(ns, spec);
          }

          @Override
          public java.util.Optional<tools.jackson.databind.node.ObjectNode> replicaSetTemplate(
              String ns, String rs) {
            return d.replicaSetTemplate(ns, rs);
          }

          @Override
          public void ensureService(
              String ns,
              String n,
              java.util.Map<String, String> s,
              tools.jackson.databind.node.ObjectNode t) {
            d.ensureService(ns, n, s, t);
          }

          @Override
          public void deleteService(String ns, String n) {
            d.deleteService(ns, n);
          }

          @Override
          public void pruneReplicaSets(String ns, String r, java.util.Set<String> in, int keep) {
            d.pruneReplicaSets(ns, r, in, keep);
          }

          @Override
          public int replicas(String ns, String name, String hash) {
            return d.replicas(ns, name, hash);
          }

          @Override
          public int availableReplicas(String ns, String name, String hash) {
            return 0;
          }

          @Override
          public void pinService(String ns, String service, String hash) {
            d.pinService(ns, service, hash);
          }

          @Override
          public boolean tryAcquireLease(
              String ns, String name, String holder, Instant now, Duration dur) {
            return true;
          }
        };
    ExperimentRun run =
        ExperimentRun.start(
            load(TEMPLATES + "duration: 1m\nprogressDeadlineSeconds: 20"),
            stuck,
            MetricProviders.of(provider),
            scheduler,
            r -> {});
    scheduler.advance(Duration.ofSeconds(21));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(run.result().message())
        .isEqualTo(
            "ReplicaSet exp-baseline did not become available within progressDeadlineSeconds (20s)");
  }

  @Test
  void terminateTrueEndsAtOnceAndCreatesNothing() {
    ExperimentRun run = start(load(TEMPLATES + "terminate: true"));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(cluster.replicaSets()).isEmpty();
  }

  @Test
  void dryRunRulesOfTheExperimentApplyToItsAnalyses() {
    ExperimentRun run =
        start(
            load(
                TEMPLATES
                    + "duration: 1m\ndryRun: [{metricName: che.*}]\n"
                    + "analyses: [{name: a, templateName: check, args: [{name: value, value: '0'}]}]"));
    scheduler.advance(Duration.ofMinutes(2));
    // the failing metric runs dry: the experiment is not failed by it
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void minReadySecondsReachesTheReplicaSetsAndScaleDownDelaySecondsTheirEnd() {
    ExperimentRun run =
        start(
            load(
                TEMPLATES.replace("replicas: 2", "replicas: 2\n    minReadySeconds: 7")
                    + "duration: 1m\nscaleDownDelaySeconds: 5"));
    assertThat(cluster.replicaSetSpecs().get("default/exp-baseline").minReadySeconds())
        .isEqualTo(7);
    scheduler.advance(Duration.ofSeconds(61));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(cluster.replicaSets()).containsEntry("default/exp-baseline", 2);
    scheduler.advance(Duration.ofSeconds(6));
    assertThat(cluster.replicaSets()).containsEntry("default/exp-baseline", 0);
  }
}

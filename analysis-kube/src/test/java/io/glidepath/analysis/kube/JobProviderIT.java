package io.glidepath.analysis.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.glidepath.analysis.AnalysisListener;
import io.glidepath.analysis.AnalysisPhase;
import io.glidepath.analysis.AnalysisResult;
import io.glidepath.analysis.AnalysisRun;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Measurement;
import io.glidepath.analysis.RunIdentity;
import io.glidepath.analysis.TemplateException;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.ProviderContext;
import io.glidepath.testkit.cluster.JobRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Argo's job provider on the EmbeddedCluster: Job shape, outcomes, termination, collection. */
class JobProviderIT {
  private VirtualCluster f;
  private MetricProviders providers;

  @BeforeEach
  void start() {
    f =
        new VirtualCluster(
            Duration.ofSeconds(20),
            job ->
                job.images().stream().anyMatch(i -> i.endsWith("/smoke:broken"))
                    ? JobRule.Outcome.FAIL
                    : JobRule.runForeverWhenImage(i -> i.endsWith("/smoke:hangs")).outcome(job));
    f.client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("production").endMetadata().build())
        .create();
    providers =
        MetricProviders.discover(
            ProviderContext.newBuilder()
                .environment(Map.of())
                .service(io.fabric8.kubernetes.client.KubernetesClient.class, f.client)
                .build());
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static AnalysisTemplate template(String image, String extra) {
    return AnalysisTemplate.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: smoke-test}
        spec:
          metrics:
          - name: smoke
        %s    provider:
              job:
                metadata:
                  labels: {team: payments}
                  annotations: {owner: qa}
                spec:
                  backoffLimit: 1
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: smoke
                        image: registry.example.com/%s
                        command: [/smoke, --target, trade-service]
        """
            .formatted(extra, image),
        "smoke.yaml");
  }

  private AnalysisRun run(AnalysisTemplate t, RunIdentity id) {
    providers.validate(t);
    return AnalysisRun.start(t, providers, f.scheduler, AnalysisListener.NONE, id);
  }

  private List<Job> jobs() {
    return f.client.batch().v1().jobs().inNamespace("production").list().getItems();
  }

  @Test
  void aCompletedJobIsSuccessfulAndLooksLikeArgosJob() {
    AnalysisRun run =
        run(
            template("smoke:ok", ""),
            RunIdentity.of("trade-abc-step-3", "production").withUid("u-1"));
    assertThat(f.driveUntil(() -> run.result().phase().isCompleted(), Duration.ofMinutes(2)))
        .isTrue();
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    Measurement m = run.result().metrics().get(0).measurements().get(0);
    assertThat(m.message()).isEqualTo("Job production/u-1.smoke.1 completed");
    assertThat(Duration.between(m.startedAt(), m.finishedAt()))
        .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
    Job job = jobs().get(0);
    assertThat(job.getMetadata().getName()).isEqualTo("u-1.smoke.1");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("team", "payments")
        .containsEntry(JobProvider.UID_LABEL, "u-1");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry("owner", "qa")
        .containsEntry(JobProvider.RUN_ANNOTATION, "trade-abc-step-3")
        .containsEntry(JobProvider.METRIC_ANNOTATION, "smoke");
    assertThat(job.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
        .containsExactly("/smoke", "--target", "trade-service");
  }

  @Test
  void aFailedJobFailsTheMeasurementAndConditionsAreNotEvaluated() {
    AnalysisRun run =
        run(
            template("smoke:broken", "    successCondition: \"false\"\n"),
            RunIdentity.of("r", "production"));
    f.driveUntil(() -> run.result().phase().isCompleted(), Duration.ofMinutes(2));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(run.result().metrics().get(0).measurements().get(0).message())
        .contains("failed: BackoffLimitExceeded");
  }

  @Test
  void theJobIsOwnedByTheRunsOwnerWhenItExists() {
    f.client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Rollout")
        .inNamespace("production")
        .resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("argoproj.io/v1alpha1")
                .withKind("Rollout")
                .withNewMetadata()
                .withName("trade-service")
                .withNamespace("production")
                .endMetadata()
                .build())
        .create();
    AnalysisRun run =
        run(
            template("smoke:ok", ""),
            RunIdentity.of("r", "production")
                .withOwner(
                    new RunIdentity.Owner(
                        "argoproj.io/v1alpha1", "Rollout", "trade-service", Optional.empty())));
    f.driveUntil(() -> run.result().phase().isCompleted(), Duration.ofMinutes(2));
    var ref = jobs().get(0).getMetadata().getOwnerReferences().get(0);
    assertThat(ref.getKind()).isEqualTo("Rollout");
    assertThat(ref.getName()).isEqualTo("trade-service");
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getUid()).isNotBlank();
  }

  @Test
  void terminatingTheRunDeletesTheRunningJob() {
    AnalysisRun run = run(template("smoke:hangs", ""), RunIdentity.of("r", "production"));
    f.driveUntil(() -> false, Duration.ofSeconds(30));
    assertThat(jobs()).hasSize(1);
    run.terminate();
    AnalysisResult r = run.result();
    assertThat(r.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(r.metrics().get(0).measurements().get(0).message()).isEqualTo("Metric Terminated");
    assertThat(jobs()).isEmpty();
  }

  @Test
  void jobsBeyondTheRetentionAreDeletedOldestFirst() {
    AnalysisTemplate t =
        template("smoke:ok", "    interval: 30s\n    count: 4\n")
            .newBuilder()
            .addMeasurementRetention(new AnalysisTemplate.MeasurementRetention("smoke", 2))
            .build();
    AnalysisRun run = run(t, RunIdentity.of("r", "production").withUid("u-2"));
    f.driveUntil(() -> run.result().phase().isCompleted(), Duration.ofMinutes(5));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(jobs())
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("u-2.smoke.3", "u-2.smoke.4");
  }

  @Test
  void aJobTheApiServerRefusesIsAnError() {
    AnalysisRun run =
        run(
            template("smoke:ok", "    consecutiveErrorLimit: 0\n"),
            RunIdentity.of("r", "no-such-namespace"));
    f.driveUntil(() -> run.result().phase().isCompleted(), Duration.ofSeconds(30));
    assertThat(run.result().phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(run.result().metrics().get(0).measurements().get(0).message())
        .contains("creating Job no-such-namespace/")
        .contains("HTTP 404");
  }

  @Test
  void optionsArgoIgnoresAreRefusedAtLoad() {
    AnalysisTemplate t =
        AnalysisTemplate.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              metrics:
              - name: smoke
                provider:
                  job:
                    metadata: {name: fixed-name}
                    spec: {template: {spec: {containers: [{name: c, image: i}]}}}
            """,
            "t.yaml");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> providers.validate(t))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("spec.metrics[0].provider.job.metadata.name: unknown field");
  }

  @Test
  void aResourceQuantityThatDoesNotParseIsRefusedAtLoadNotWhenTheJobIsCreated() {
    AnalysisTemplate t =
        AnalysisTemplate.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: ClusterAnalysisTemplate
            metadata: {name: t}
            spec:
              args: [{name: mem}]
              metrics:
              - name: smoke
                provider:
                  job:
                    spec:
                      template:
                        spec:
                          containers:
                          - name: ok
                            image: i
                            resources: {requests: {cpu: 0.5, memory: "{{args.mem}}"}}
                          - name: sleep
                            image: alpine:3.8
                            resources: {requests: {memory: invalid}}
            """,
            "t.yaml");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> providers.validate(t))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining(
            "spec.metrics[0].provider.job.spec.template.spec.containers[1].resources.requests"
                + ".memory: must be a quantity such as 100m, 64Mi or 1, but was 'invalid'");
  }
}

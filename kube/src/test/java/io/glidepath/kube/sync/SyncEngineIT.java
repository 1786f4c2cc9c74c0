package io.glidepath.kube.sync;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.Retry;
import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.SyncPhase;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncPlanner;
import io.glidepath.core.sync.SyncSettings;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncEngineIT {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded =
      EmbeddedCluster.builder()
          .clock(clock)
          .manualController()
          .readyDelay(Duration.ofSeconds(10))
          .start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final SyncEngine engine =
      engineOnManualTime(cluster, clock, embedded)
          .pollInterval(Duration.ofSeconds(2))
          .waveTimeout(Duration.ofMinutes(1))
          .build();

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static final String APP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: default}
      data: {level: info}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
        annotations: {argocd.argoproj.io/sync-wave: "1"}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: app, image: "web:1"}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: after-web
        namespace: default
        annotations: {argocd.argoproj.io/sync-wave: "2"}
      data: {}
      """;

  private static final String MIGRATION =
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate
        namespace: default
        annotations:
          argocd.argoproj.io/hook: PreSync
          argocd.argoproj.io/hook-delete-policy: HookSucceeded
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: m, image: "migrate:1"}]
      """;

  private SyncPlan plan(String yaml, boolean prune) {
    return plan(yaml, prune, SyncOptions.NONE);
  }

  private SyncPlan plan(String yaml, boolean prune, SyncOptions options) {
    ResourceSet desired = ResourceSet.of(Yaml.readResources(yaml, "app.yaml"));
    ResourceSet live = cluster.liveState("shop");
    var report = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);
    return SyncPlanner.create().plan(report, SyncSettings.manual(prune, options, "default"));
  }

  @Test
  void appliesWaveByWaveWaitingForHealthThenPrunesWhatLeftGit() {
    SyncResult first = engine.sync("shop", plan(APP, true));

    assertThat(first.succeeded()).as(first.toString()).isTrue();
    assertThat(first.resources())
        .extracting(r -> r.key().kind() + " " + r.code())
        .containsExactly("ConfigMap SYNCED", "Deployment SYNCED", "ConfigMap SYNCED");
    assertThat(
            cluster
                .get(new ResourceKey("apps", "Deployment", "default", "web"))
                .orElseThrow()
                .body()
                .at("/status/availableReplicas")
                .asInt())
        .isEqualTo(3);
    assertThat(first.finishedAt()).isAfterOrEqualTo(first.startedAt().plusSeconds(10));

    String withoutSettings = APP.substring(APP.indexOf("---") + 4);
    SyncResult second = engine.sync("shop", plan(withoutSettings, true));

    assertThat(second.succeeded()).as(second.toString()).isTrue();
    assertThat(second.withCode(ResultCode.PRUNED))
        .extracting(r -> r.key().name())
        .containsExactly("settings");
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.DELETE)
        .extracting(RecordedCall::body)
        .allMatch(b -> b.contains("Foreground"));
  }

  @Test
  void runsPreSyncHooksFirstAndDeletesThemWhenTheySucceed() {
    SyncResult result = engine.sync("shop", plan(MIGRATION + "---\n" + APP, true));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.resources())
        .extracting(r -> r.phase().displayName() + " " + r.key().kind() + " " + r.code())
        .containsExactly(
            "PreSync Job SYNCED",
            "Sync ConfigMap SYNCED",
            "Sync Deployment SYNCED",
            "Sync ConfigMap SYNCED");
    assertThat(cluster.get(new ResourceKey("batch", "Job", "default", "migrate"))).isEmpty();
  }

  @Test
  void aWaveThatNeverBecomesHealthyFailsTheSyncAndStopsLaterWaves() {
    String stuck =
        APP.replace(
            "annotations: {argocd.argoproj.io/sync-wave: \"1\"}",
            "annotations: {argocd.argoproj.io/sync-wave: \"0\", testkit.glidepath.io/ready: \"false\"}");
    String later =
        stuck
            + """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: after
              namespace: default
              annotations: {argocd.argoproj.io/sync-wave: "5"}
            data: {}
            """;

    SyncResult result = engine.sync("shop", plan(later, true));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.message()).contains("timed out", "Deployment:default/web");
    assertThat(cluster.get(new ResourceKey("", "ConfigMap", "default", "after"))).isEmpty();
  }

  @Test
  void aFailedAttemptIsRetriedWithBackoff() {
    embedded.inject(Fault.status(422).on(Verb.APPLY).forKinds("ConfigMap").times(1));

    SyncResult result =
        engine.sync(
            "shop",
            plan(APP, true),
            new Retry(3, new Retry.Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(3))));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void afterASyncTheLiveStateIsInSyncAndAResyncOfOutOfSyncOnlyWritesNothing() {
    engine.sync("shop", plan(APP, true));
    embedded.clearRequests();

    ResourceSet desired = ResourceSet.of(Yaml.readResources(APP, "app.yaml"));
    var report =
        DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, cluster.liveState("shop"));
    SyncPlan resync =
        SyncPlanner.create()
            .plan(
                report,
                SyncSettings.manual(true, SyncOptions.of("ApplyOutOfSyncOnly=true"), "default"));
    SyncResult result = engine.sync("shop", resync);

    assertThat(report.isInSync()).as(report.unifiedDiff()).isTrue();
    assertThat(report.summary().synced()).isEqualTo(3);
    assertThat(result.succeeded()).isTrue();
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void aFailedHookStopsTheSyncAndRunsTheSyncFailHooks() {
    String failing =
        MIGRATION
            .replace("hook-delete-policy: HookSucceeded", "hook-delete-policy: HookFailed")
            .replace("annotations:\n", "annotations:\n    testkit.glidepath.io/ready: \"false\"\n");
    String notify =
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: notify
          namespace: default
          annotations:
            argocd.argoproj.io/hook: SyncFail
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: n, image: "notify:1"}]
        """;

    SyncResult result = engine.sync("shop", plan(failing + "---\n" + notify + "---\n" + APP, true));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.resources())
        .extracting(r -> r.phase().displayName() + " " + r.key().name() + " " + r.code())
        .containsExactly("PreSync migrate SYNC_FAILED", "SyncFail notify SYNCED");
    assertThat(cluster.get(new ResourceKey("batch", "Job", "default", "migrate"))).isEmpty();
    assertThat(cluster.get(new ResourceKey("apps", "Deployment", "default", "web"))).isEmpty();
  }

  private static final String WIDGET =
      """
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
        namespace: default
        annotations: {argocd.argoproj.io/sync-wave: "1"%s}
      spec: {size: 3}
      """;

  private static final String WIDGET_CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        scope: Namespaced
        names: {kind: Widget, plural: widgets, singular: widget}
        versions: [{name: v1, served: true, storage: true}]
      """;

  private static final String NOTIFY_ON_FAILURE =
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: notify
        namespace: default
        annotations: {argocd.argoproj.io/hook: SyncFail}
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: n, image: "notify:1"}]
      """;

  @Test
  void aKindTheClusterDoesNotServeFailsTheSyncBeforeAnyWriteAsInArgoCd() {
    embedded.clearRequests();

    SyncResult result =
        engine.sync(
            "shop", plan(APP + "---\n" + WIDGET.formatted("") + "---\n" + NOTIFY_ON_FAILURE, true));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.message()).isEqualTo("one or more synchronization tasks are not valid");
    assertThat(result.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key().kind()).isEqualTo("Widget");
              assertThat(r.code()).isEqualTo(ResultCode.SYNC_FAILED);
              assertThat(r.message()).contains("does not serve example.com/v1 Widget");
            });
    // nothing written, the wave-0 ConfigMap included, and no SyncFail hook run
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void aKindWhoseDefinitionIsInThePlanPassesTheCheck() {
    SyncResult result =
        engine.sync(
            "shop", plan(APP + "---\n" + WIDGET.formatted("") + "---\n" + WIDGET_CRD, true));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(cluster.get(new ResourceKey("example.com", "Widget", "default", "w"))).isPresent();
  }

  @Test
  void skipDryRunOnMissingResourceLetsTheSyncRunAndOnlyThatResourceFailsWhenStillNotServed() {
    // the app's option: the Widget and the Deployment of wave 1 are written together
    SyncResult result =
        engine.sync(
            "shop",
            plan(
                APP + "---\n" + WIDGET.formatted(""),
                true,
                SyncOptions.parse("SkipDryRunOnMissingResource=true")));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.message()).doesNotContain("not valid").contains("Widget");
    assertThat(result.resources())
        .extracting(r -> r.key().kind() + " " + r.code())
        .containsExactly("ConfigMap SYNCED", "Deployment SYNCED", "Widget SYNC_FAILED");
    assertThat(result.resources().get(2).message()).contains("does not serve");
    assertThat(cluster.get(new ResourceKey("apps", "Deployment", "default", "web"))).isPresent();
  }

  @Test
  void skipDryRunOnMissingResourceAppliesAKindServedByTheTimeItsWaveRuns() {
    String skip = ", argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true";
    SyncPlan plan = plan(APP + "---\n" + WIDGET.formatted(skip), true);
    try (KubeCluster operator = KubeCluster.connect(embedded.config())) {
      // an operator installs the CRD while wave 0 runs (its own client: this cluster's discovery
      // does not know the kind when wave 1 starts)
      SyncEngine installing =
          engineOnManualTime(cluster, clock, embedded)
              .pollInterval(Duration.ofSeconds(2))
              .waveTimeout(Duration.ofMinutes(1))
              .listener(
                  new SyncListener() {
                    @Override
                    public void waveStarted(SyncPhase phase, int wave) {
                      if (phase == SyncPhase.SYNC && wave == 0) {
                        Applier.of(operator, ApplyOptions.ofDefaults())
                            .apply("operator", Yaml.readResources(WIDGET_CRD, "crd.yaml"));
                      }
                    }
                  })
              .build();

      SyncResult result = installing.sync("shop", plan);

      assertThat(result.succeeded()).as(result.toString()).isTrue();
      assertThat(cluster.get(new ResourceKey("example.com", "Widget", "default", "w"))).isPresent();
    }
  }

  private static final String HELM_HOOKS =
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: schema
        namespace: default
        annotations:
          helm.sh/hook: pre-install,pre-upgrade
          helm.sh/hook-weight: "-5"
          %s
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: m, image: "schema:1"}]
      ---
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate
        namespace: default
        annotations:
          helm.sh/hook: pre-upgrade
          helm.sh/hook-delete-policy: hook-succeeded
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: m, image: "migrate:1"}]
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: smoke-test
        namespace: default
        annotations: {helm.sh/hook: test}
      spec:
        containers: [{name: t, image: "test:1"}]
      """;

  @Test
  void runsHelmPreUpgradeHooksByWeightBeforeTheSyncPhaseAndLeavesTestHooksOut() {
    SyncResult result =
        engine.sync("shop", plan(HELM_HOOKS.formatted("x: y") + "---\n" + APP, true));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.resources())
        .extracting(r -> r.phase().displayName() + " " + r.key().kind() + " " + r.key().name())
        .containsExactly(
            "PreSync Job schema",
            "PreSync Job migrate",
            "Sync ConfigMap settings",
            "Sync Deployment web",
            "Sync ConfigMap after-web");
    // schema has the default BeforeHookCreation: it stays; migrate's hook-succeeded deletes it
    assertThat(jobNames()).containsExactly("schema");
    assertThat(cluster.get(new ResourceKey("", "Pod", "default", "smoke-test"))).isEmpty();
  }

  @Test
  void aFailedHelmMigrationHookFailsTheSyncAndNothingOfTheSyncPhaseIsApplied() {
    String failing = HELM_HOOKS.formatted("testkit.glidepath.io/ready: \"false\"");

    SyncResult result = engine.sync("shop", plan(failing + "---\n" + APP, true));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.message()).contains("schema").contains("Degraded");
    assertThat(result.resources())
        .extracting(r -> r.phase().displayName() + " " + r.key().name() + " " + r.code())
        .containsExactly("PreSync schema SYNC_FAILED");
    assertThat(cluster.get(new ResourceKey("batch", "Job", "default", "migrate"))).isEmpty();
    assertThat(cluster.get(new ResourceKey("", "ConfigMap", "default", "settings"))).isEmpty();
    assertThat(cluster.get(new ResourceKey("apps", "Deployment", "default", "web"))).isEmpty();
  }

  @Test
  void aSyncKilledMidWayConvergesWhenRunAgainFromTheLiveState() {
    SyncEngine killed =
        SyncEngine.builder(cluster)
            .clock(clock)
            .sleeper(
                d -> {
                  throw new InterruptedException("killed");
                })
            .build();
    SyncResult interrupted = killed.sync("shop", plan(APP, true));
    Thread.interrupted(); // the engine restored the flag; clear it for the rest of the test
    assertThat(interrupted.succeeded()).isFalse();
    assertThat(interrupted.message()).contains("interrupted while waiting for health");

    SyncResult restarted = engine.sync("shop", plan(APP, true));

    assertThat(restarted.succeeded()).as(restarted.toString()).isTrue();
    assertThat(cluster.liveState("shop").size()).isEqualTo(3);
    assertThat(
            cluster
                .get(new ResourceKey("apps", "Deployment", "default", "web"))
                .orElseThrow()
                .body()
                .at("/status/availableReplicas")
                .asInt())
        .isEqualTo(3);
    assertThat(embedded.requests()).noneMatch(c -> c.verb() == Verb.DELETE);
  }

  private static final String GENERATED_MIGRATION =
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        generateName: migrate-
        namespace: default
        annotations:
          argocd.argoproj.io/hook: PreSync
          argocd.argoproj.io/hook-delete-policy: %s
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: m, image: "migrate:1"}]
      """;

  private java.util.List<String> jobNames() {
    return cluster.client().batch().v1().jobs().inNamespace("default").list().getItems().stream()
        .map(j -> j.getMetadata().getName())
        .toList();
  }

  @Test
  void aGenerateNameHookRunsUnderTheNameTheServerGaveAndIsDeletedWhenItSucceeds() {
    SyncResult result =
        engine.sync(
            "shop", plan(GENERATED_MIGRATION.formatted("HookSucceeded") + "---\n" + APP, true));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    ResourceResult hook = result.resources().get(0);
    assertThat(hook.phase().displayName() + " " + hook.key().kind() + " " + hook.code())
        .isEqualTo("PreSync Job SYNCED");
    assertThat(hook.key().name()).startsWith("migrate-").isNotEqualTo("migrate-");
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.CREATE && c.kind().equals("Job"))
        .hasSize(1);
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.DELETE && c.kind().equals("Job"))
        .extracting(RecordedCall::name)
        .containsExactly(hook.key().name());
    assertThat(jobNames()).isEmpty();
  }

  @Test
  void twoGenerateNameHooksOfOneKindAndNamespaceBothRun() {
    String second =
        GENERATED_MIGRATION
            .formatted("HookSucceeded")
            .replace("generateName: migrate-", "generateName: seed-data-");
    SyncResult result =
        engine.sync(
            "shop",
            plan(
                GENERATED_MIGRATION.formatted("HookSucceeded") + "---\n" + second + "---\n" + APP,
                true));

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.resources())
        .filteredOn(r -> r.key().kind().equals("Job"))
        .extracting(r -> r.key().name().replaceAll("-[a-z0-9]+$", "-"))
        .containsExactlyInAnyOrder("migrate-", "seed-data-");
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.CREATE && c.kind().equals("Job"))
        .hasSize(2);
  }

  @Test
  void beforeHookCreationDeletesThePreviousRunOfAGenerateNameHookButNothingElse() {
    String yaml = GENERATED_MIGRATION.formatted("BeforeHookCreation") + "---\n" + APP;
    SyncResult first = engine.sync("shop", plan(yaml, true));
    String firstJob = first.resources().get(0).key().name();
    assertThat(jobNames()).containsExactly(firstJob);
    // someone copied the hook's label onto their own Job: not ours, never deleted
    String label =
        cluster
            .client()
            .batch()
            .v1()
            .jobs()
            .inNamespace("default")
            .withName(firstJob)
            .get()
            .getMetadata()
            .getLabels()
            .get("glidepath.io/hook");
    cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata()
                .withName("migrate-by-hand")
                .addToLabels("glidepath.io/hook", label)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("m")
                .withImage("migrate:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    SyncResult second = engine.sync("shop", plan(yaml, true));

    assertThat(second.succeeded()).as(second.toString()).isTrue();
    String secondJob = second.resources().get(0).key().name();
    assertThat(secondJob).startsWith("migrate-").isNotEqualTo(firstJob);
    assertThat(jobNames()).containsExactlyInAnyOrder(secondJob, "migrate-by-hand");
  }

  @Test
  void aGenerateNameHookIsTheFirstObjectOfANamespaceCreateNamespaceCreates() {
    String hook =
        GENERATED_MIGRATION
            .formatted("HookSucceeded")
            .replace("namespace: default", "namespace: fresh");
    ResourceSet desired = ResourceSet.of(Yaml.readResources(hook, "app.yaml"));
    var report =
        DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, cluster.liveState("shop"));
    SyncPlan plan =
        SyncPlanner.create()
            .plan(
                report, SyncSettings.manual(true, SyncOptions.of("CreateNamespace=true"), "fresh"));

    SyncResult result = engine.sync("shop", plan);

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    assertThat(result.resources().get(0).key().namespace()).isEqualTo("fresh");
    assertThat(cluster.get(new ResourceKey("", "Namespace", "", "fresh"))).isPresent();
  }

  @Test
  void managedNamespaceMetadataLandsOnTheNamespaceCreateNamespaceCreates() {
    Application app =
        Application.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: shop}
            spec:
              source: {repoURL: https://git.example.com/r.git, path: app}
              destination: {server: https://kubernetes.default.svc, namespace: payments}
              syncPolicy:
                syncOptions: [CreateNamespace=true]
                managedNamespaceMetadata:
                  labels: {istio-injection: enabled}
                  annotations: {owner: payments-team}
            """,
            "app.yaml");
    ResourceSet desired =
        ResourceSet.of(
            Yaml.readResources(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: payments}\n",
                "cm.yaml"));
    var report =
        DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, cluster.liveState("shop"));
    SyncPlan plan = SyncPlanner.create().plan(report, SyncSettings.of(app));

    SyncResult result = engine.sync("shop", plan);

    assertThat(result.succeeded()).as(result.toString()).isTrue();
    var namespace = cluster.get(new ResourceKey("", "Namespace", "", "payments")).orElseThrow();
    assertThat(namespace.labels()).containsEntry("istio-injection", "enabled");
    assertThat(namespace.annotations()).containsEntry("owner", "payments-team");
  }
}

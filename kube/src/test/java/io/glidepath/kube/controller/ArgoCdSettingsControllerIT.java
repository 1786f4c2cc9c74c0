package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ArgoCdConfigMap;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The argocd-cm in the cluster shapes what the controller manages and compares, as in Argo CD:
 * {@code resource.exclusions} keeps a kind out of the sync and the prune with an
 * ExcludedResourceWarning, the system-level ignoreDifferences keep an app Synced, and a change of
 * the ConfigMap is followed by the next reconcile.
 */
class ArgoCdSettingsControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "trade-service");
  private static final ResourceKey SETTINGS =
      new ResourceKey("", "ConfigMap", "production", "settings");
  private static final ResourceKey CREDS = new ResourceKey("", "Secret", "production", "creds");
  private static final ResourceKey OLD_CREDS =
      new ResourceKey("", "Secret", "production", "old-creds");

  private static final String DESIRED =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: production}
      data: {mode: fast}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: creds, namespace: production}
      stringData: {token: t0}
      """;

  private static final String EXCLUDE_SECRETS =
      """
      - apiGroups: [""]
        kinds: [Secret]
        clusters: ["https://kubernetes.default.svc"]
      """;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded =
      EmbeddedCluster.builder().clock(clock).manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final List<String> syncs = new ArrayList<>();

  @BeforeEach
  void namespaces() throws IOException {
    for (String ns : List.of("argocd", "production")) {
      cluster
          .client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    cluster.client().resource(seedYaml()).inNamespace("argocd").create();
  }

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String seedYaml() throws IOException {
    try (InputStream in =
        ArgoCdSettingsControllerIT.class.getResourceAsStream("/argocd-app.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void putArgoCdCm(Map<String, String> data) {
    cluster
        .client()
        .configMaps()
        .inNamespace("argocd")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("argocd-cm")
                .withNamespace("argocd")
                .endMetadata()
                .withData(data)
                .build())
        .createOr(c -> c.update());
  }

  private ApplicationController controller(ArgoCdConfigMap cm) throws IOException {
    return ApplicationController.builder(
            Application.parse(seedYaml(), "argocd-app.yaml"),
            cluster,
            () -> new DesiredState("rev-1", ResourceSet.of(Yaml.readResources(DESIRED, "d.yaml"))))
        .engine(engineOnManualTime(cluster, clock, embedded).build())
        .clock(clock)
        .projects(ProjectSource.of(Project.permissive("production")))
        .settings(cm::settings)
        .listener(
            new ControllerListener() {
              @Override
              public void syncStarted(String app, String revision, SyncReason reason) {
                syncs.add(revision + " " + reason);
              }
            })
        .build();
  }

  private JsonNode conditions() {
    return cluster.get(APPLICATION).orElseThrow().body().at("/status/conditions");
  }

  /** A Secret the app synced earlier, no longer in Git: pruned unless Secrets are excluded. */
  private void oldSecretOwnedByTheApp() {
    cluster
        .client()
        .resource(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: old-creds
              namespace: production
              annotations: {%s: "trade-service:/Secret:production/old-creds"}
            stringData: {token: old}
            """
                .formatted(TrackingId.ANNOTATION))
        .inNamespace("production")
        .create();
  }

  @Test
  void anExcludedKindIsNeitherSyncedNorPrunedAndTheAppIsWarnedUntilTheConfigMapChanges()
      throws Exception {
    putArgoCdCm(Map.of("resource.exclusions", EXCLUDE_SECRETS));
    oldSecretOwnedByTheApp();
    try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm");
        ApplicationController controller = controller(cm)) {
      AppStatus first = controller.reconcile();

      assertThat(first.synced()).as(first.message()).isTrue();
      assertThat(cluster.get(SETTINGS)).isPresent();
      assertThat(cluster.get(CREDS)).as("an excluded kind is not applied").isEmpty();
      assertThat(cluster.get(OLD_CREDS)).as("nor pruned").isPresent();
      assertThat(first.conditions())
          .containsExactly(
              new AppCondition(
                  AppCondition.Type.EXCLUDED_RESOURCE_WARNING,
                  "Resource /Secret creds is excluded in the settings"));
      assertThat(conditions()).hasSize(1);
      assertThat(conditions().get(0).path("type").asString()).isEqualTo("ExcludedResourceWarning");
      assertThat(conditions().get(0).path("message").asString())
          .isEqualTo("Resource /Secret creds is excluded in the settings");

      AppStatus second = controller.reconcile();
      assertThat(second.inSync()).as(second.message()).isTrue();
      assertThat(cluster.get(APPLICATION).orElseThrow().body().at("/status/sync/status").asString())
          .isEqualTo("Synced");

      putArgoCdCm(Map.of());
      eventually(
          WAIT,
          () -> cm.settings().resourceFilter().exclusions().isEmpty(),
          "the changed argocd-cm");
      AppStatus afterChange = controller.reconcile();

      assertThat(afterChange.synced()).as(afterChange.message()).isTrue();
      assertThat(cluster.get(CREDS)).as("no longer excluded: applied").isPresent();
      assertThat(cluster.get(OLD_CREDS)).as("and pruned").isEmpty();
      assertThat(afterChange.conditions()).isEmpty();
      assertThat(conditions().isMissingNode() || conditions().isNull() || conditions().isEmpty())
          .as("the warning is gone: %s", conditions())
          .isTrue();
    }
  }

  @Test
  void deletingTheAppWithTheResourcesFinalizerLeavesExcludedKindsAlone() throws Exception {
    putArgoCdCm(Map.of("resource.exclusions", EXCLUDE_SECRETS));
    oldSecretOwnedByTheApp();
    try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm");
        ApplicationController controller = controller(cm)) {
      controller.start();
      eventually(
          WAIT, () -> cluster.get(SETTINGS).isPresent(), () -> "synced " + controller.status());

      cluster
          .client()
          .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
          .inNamespace("argocd")
          .withName("trade-service")
          .delete();

      eventually(WAIT, () -> cluster.get(APPLICATION).isEmpty(), "the finalizer removed");
      assertThat(cluster.get(SETTINGS)).as("the app's resources are deleted").isEmpty();
      assertThat(cluster.get(OLD_CREDS)).as("but not those of an excluded kind").isPresent();
    }
  }

  @Test
  void anObjectOfAnExcludedKindIsNoOrphan() throws Exception {
    putArgoCdCm(Map.of("resource.exclusions", EXCLUDE_SECRETS));
    for (String yaml :
        List.of(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: stray}\nstringData: {t: x}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leftover}\ndata: {a: b}\n")) {
      cluster.client().resource(yaml).inNamespace("production").create();
    }
    Project warnsOrphans =
        Project.parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: production, namespace: argocd}
            spec:
              sourceRepos: ["*"]
              destinations: [{server: "*", namespace: "*"}]
              clusterResourceWhitelist: [{group: "*", kind: "*"}]
              orphanedResources: {warn: true}
            """,
            "production.yaml");
    try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm");
        ApplicationController controller =
            ApplicationController.builder(
                    Application.parse(seedYaml(), "argocd-app.yaml"),
                    cluster,
                    () ->
                        new DesiredState(
                            "rev-1", ResourceSet.of(Yaml.readResources(DESIRED, "d.yaml"))))
                .engine(engineOnManualTime(cluster, clock, embedded).build())
                .clock(clock)
                .projects(ProjectSource.of(warnsOrphans))
                .settings(cm::settings)
                .build()) {
      AppStatus status = controller.reconcile();

      List<String> messages = status.conditions().stream().map(AppCondition::message).toList();
      assertThat(messages)
          .as("the ConfigMap is an orphan, the Secret of an excluded kind is not")
          .anyMatch(m -> m.contains("ConfigMap:production/leftover"))
          .noneMatch(m -> m.contains("stray"));
    }
  }

  @Test
  void inclusionsLeaveEveryOtherKindOut() throws Exception {
    putArgoCdCm(Map.of("resource.inclusions", "- apiGroups: [\"\"]\n  kinds: [ConfigMap]\n"));
    try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm");
        ApplicationController controller = controller(cm)) {
      AppStatus status = controller.reconcile();

      assertThat(cluster.get(SETTINGS)).isPresent();
      assertThat(cluster.get(CREDS)).isEmpty();
      assertThat(status.conditions())
          .extracting(AppCondition::message)
          .containsExactly("Resource /Secret creds is excluded in the settings");
    }
  }

  @Test
  void systemLevelIgnoreDifferencesKeepTheAppSyncedAndTheControllerFollowsTheirChange()
      throws Exception {
    putArgoCdCm(
        Map.of(
            "resource.customizations.ignoreDifferences.ConfigMap", "jsonPointers: [/data/mode]"));
    try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm");
        ApplicationController controller = controller(cm)) {
      assertThat(controller.reconcile().synced()).isTrue();

      // someone changes the ignored field by hand
      cluster
          .client()
          .configMaps()
          .inNamespace("production")
          .withName("settings")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON_MERGE)
                  .withFieldManager("kubectl-edit")
                  .build(),
              "{\"data\":{\"mode\":\"slow\"}}");

      AppStatus ignored = controller.reconcile();
      assertThat(ignored.inSync()).as(ignored.message()).isTrue();
      assertThat(ignored.synced()).isFalse();
      assertThat(cluster.get(APPLICATION).orElseThrow().body().at("/status/sync/status").asString())
          .isEqualTo("Synced");
      assertThat(cluster.get(SETTINGS).orElseThrow().body().at("/data/mode").asString())
          .isEqualTo("slow");

      // the rule goes from the argocd-cm: the edit is drift again, and selfHeal reverts it
      putArgoCdCm(Map.of("resource.customizations.ignoreDifferences.all", "jsonPointers: [/x]"));
      eventually(
          WAIT,
          () ->
              cm.settings().ignoreDifferences().stream()
                  .noneMatch(r -> r.jsonPointers().contains("/data/mode")),
          "the changed argocd-cm");
      AppStatus healed = controller.reconcile();
      assertThat(healed.synced()).as(healed.message()).isTrue();
      assertThat(cluster.get(SETTINGS).orElseThrow().body().at("/data/mode").asString())
          .isEqualTo("fast");
      assertThat(syncs).containsExactly("rev-1 NEW_REVISION", "rev-1 SELF_HEAL");
    }
  }
}

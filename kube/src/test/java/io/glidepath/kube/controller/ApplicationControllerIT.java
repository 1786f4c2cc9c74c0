package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's Argo CD Application, unchanged, reconciled into an embedded cluster. */
class ApplicationControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String RENDERED = TradeServiceManifests.RENDERED;

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
  private final AtomicReference<DesiredState> desired =
      new AtomicReference<>(state("rev-1", RENDERED));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static DesiredState state(String revision, String yaml) {
    return new DesiredState(
        revision,
        yaml.isBlank()
            ? ResourceSet.empty()
            : ResourceSet.of(Yaml.readResources(yaml, "rendered.yaml")));
  }

  private static Application seedApp(boolean selfHeal) throws IOException {
    try (InputStream in = ApplicationControllerIT.class.getResourceAsStream("/argocd-app.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!selfHeal) {
        yaml = yaml.replace("selfHeal: true", "selfHeal: false");
      }
      return Application.parse(yaml, "argocd-app.yaml");
    }
  }

  private final List<String> syncReasons = new CopyOnWriteArrayList<>();

  private ApplicationController controller(boolean selfHeal) throws IOException {
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).build();
    return ApplicationController.builder(seedApp(selfHeal), cluster, desired::get)
        .engine(engine)
        .clock(clock)
        .statusNamespace("default")
        .projects(ProjectSource.of(Project.permissive("production")))
        .listener(
            new ControllerListener() {
              @Override
              public void syncStarted(String app, String revision, SyncReason reason) {
                syncReasons.add(revision + " " + reason);
              }
            })
        .build();
  }

  // no retry needed: the EmbeddedCluster no longer stalls while a watch closes (EmbeddedClusterIT)
  private void editReplicas(int replicas) {
    TradeServiceManifests.kubectlEditReplicas(cluster, replicas);
  }

  private static final ResourceKey DEPLOYMENT =
      new ResourceKey("apps", "Deployment", "production", "trade-service");
  private static final ResourceKey CONFIG =
      new ResourceKey("", "ConfigMap", "production", "trade-service-config");

  @Test
  void syncsTheSeedAppIntoItsDestinationAndThenWritesNothingWhileInSync() throws Exception {
    ApplicationController controller = controller(true);

    AppStatus first = controller.reconcile();

    assertThat(first.synced()).as(first.message()).isTrue();
    assertThat(first.inSync()).as(first.message()).isTrue();
    assertThat(cluster.get(DEPLOYMENT).orElseThrow().annotations())
        .containsEntry(
            TrackingId.ANNOTATION, "trade-service:apps/Deployment:production/trade-service");
    var status =
        cluster.get(new ResourceKey("", "ConfigMap", "default", "glidepath-trade-service"));
    assertThat(status.orElseThrow().body().at("/data/lastSyncedRevision").asString())
        .isEqualTo("rev-1");

    embedded.clearRequests();
    AppStatus second = controller.reconcile();

    assertThat(second.inSync()).isTrue();
    assertThat(second.synced()).isFalse();
    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void selfHealRevertsAManualEditWithBackoffBetweenHeals() throws Exception {
    ApplicationController controller = controller(true);
    controller.reconcile();

    editReplicas(1);
    AppStatus healed = controller.reconcile();
    assertThat(healed.synced()).as(healed.message()).isTrue();
    assertThat(cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt())
        .isEqualTo(3);

    editReplicas(2);
    AppStatus waiting = controller.reconcile();
    assertThat(waiting.synced()).isFalse();
    assertThat(waiting.message()).contains("selfHeal waits");

    clock.advance(Duration.ofSeconds(30));
    AppStatus healedAgain = controller.reconcile();
    assertThat(healedAgain.synced()).isTrue();
    assertThat(cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt())
        .isEqualTo(3);
    assertThat(syncReasons)
        .containsExactly("rev-1 NEW_REVISION", "rev-1 SELF_HEAL", "rev-1 SELF_HEAL");
  }

  @Test
  void aRestartedControllerRemembersTheSyncedRevision() throws Exception {
    controller(false).reconcile();
    editReplicas(1);

    AppStatus afterRestart = controller(false).reconcile();

    assertThat(afterRestart.synced()).isFalse();
    assertThat(afterRestart.lastSyncedRevision()).contains("rev-1");
    assertThat(afterRestart.message()).contains("already synced", "selfHeal is off");
  }

  @Test
  void aNewRevisionPrunesWhatLeftGitButAnEmptyRenderPrunesNothing() throws Exception {
    ApplicationController controller = controller(true);
    controller.reconcile();

    desired.set(state("rev-2", RENDERED.substring(RENDERED.indexOf("---") + 4)));
    AppStatus pruned = controller.reconcile();
    assertThat(pruned.synced()).as(pruned.message()).isTrue();
    assertThat(cluster.get(CONFIG)).isEmpty();
    assertThat(embedded.requests())
        .filteredOn(c -> c.verb() == Verb.DELETE)
        .allMatch(c -> c.body().contains("Foreground"));

    desired.set(state("rev-3", ""));
    embedded.clearRequests();
    AppStatus refused = controller.reconcile();
    assertThat(refused.synced()).isFalse();
    assertThat(refused.message()).contains("refused");
    assertThat(cluster.get(DEPLOYMENT)).isPresent();
    assertThat(embedded.requests()).noneMatch(c -> c.verb() == Verb.DELETE);
  }

  @Test
  void startedControllerSyncsAndHealsAManualEditAsSoonAsTheWatchSeesIt() throws Exception {
    try (ApplicationController controller = controller(true)) {
      controller.start();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          "the first sync is done");

      editReplicas(1);

      eventually(
          WAIT,
          () -> cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt() == 3,
          "the edit is reverted");
      assertThat(controller.status().orElseThrow().lastSyncedRevision()).contains("rev-1");
    }
  }

  @Test
  void runsOnlyWhileItsInstanceLeads() throws Exception {
    try (ApplicationController controller = controller(true)) {
      var leadership = controller.whileLeading();

      leadership.startedLeading();
      assertThat(controller.running()).isTrue();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          "the first sync is done");

      leadership.stoppedLeading();
      assertThat(controller.running()).isFalse();
      editReplicas(1);
      Thread.sleep(500);
      assertThat(cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt())
          .isEqualTo(1);

      leadership.startedLeading();
      eventually(
          WAIT,
          () -> cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt() == 3,
          "the new leader heals the edit");
    }
  }
}

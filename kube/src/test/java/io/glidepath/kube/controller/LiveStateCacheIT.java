package io.glidepath.kube.controller;

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
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A started controller reads its app's live state from informers, not from lists. */
class LiveStateCacheIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String RENDERED = TradeServiceManifests.RENDERED;
  private static final ResourceKey DEPLOYMENT =
      new ResourceKey("apps", "Deployment", "production", "trade-service");

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final AtomicInteger reconciles = new AtomicInteger();

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private ApplicationController controller() throws IOException {
    return controller(ApplicationController.Builder.DEFAULT_SELF_HEAL_SECONDS);
  }

  private void editReplicas(int replicas) {
    TradeServiceManifests.kubectlEditReplicas(cluster, replicas);
  }

  private int liveReplicas() {
    return cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt();
  }

  private ApplicationController controller(long selfHealSeconds) throws IOException {
    try (InputStream in = LiveStateCacheIT.class.getResourceAsStream("/argocd-app.yaml")) {
      Application app =
          Application.parse(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), "argocd-app.yaml");
      DesiredState desired =
          new DesiredState("rev-1", ResourceSet.of(Yaml.readResources(RENDERED, "rendered.yaml")));
      return ApplicationController.builder(app, cluster, () -> desired)
          .statusNamespace("default")
          .selfHealBackoff(Duration.ofSeconds(selfHealSeconds))
          .resyncPeriod(Duration.ofHours(1))
          .projects(ProjectSource.of(Project.permissive("production")))
          .listener(
              new ControllerListener() {
                @Override
                public void reconciled(AppStatus status) {
                  reconciles.incrementAndGet();
                }
              })
          .build();
    }
  }

  /** Waits until no reconcile has run for half a second. */
  private void quiet() throws InterruptedException {
    int seen;
    do {
      seen = reconciles.get();
      Thread.sleep(500);
    } while (reconciles.get() != seen);
  }

  @Test
  void aReconcileOfAStartedControllerListsNothingAndWritesNothingWhileInSync() throws Exception {
    try (ApplicationController controller = controller()) {
      controller.start();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          "the first sync is done");
      // the informers' first lists make a reconcile of their own
      eventually(WAIT, () -> reconciles.get() >= 2, "the cache has started");
      quiet();
      embedded.clearRequests();
      int before = reconciles.get();

      controller.refresh();
      eventually(WAIT, () -> reconciles.get() > before, "the asked-for reconcile ran");

      assertThat(controller.status().orElseThrow().inSync()).isTrue();
      assertThat(embedded.requests()).noneMatch(c -> c.verb() == Verb.LIST);
      assertThat(embedded.writes()).isEmpty();
    }
  }

  @Test
  void aManualEditSeenByTheCacheIsHealedAndStoppingReturnsAtOnce() throws Exception {
    ApplicationController controller = controller();
    controller.start();
    eventually(
        WAIT,
        () -> controller.status().map(AppStatus::inSync).orElse(false),
        "the first sync is done");
    eventually(WAIT, () -> reconciles.get() >= 2, "the cache has started");

    TradeServiceManifests.kubectlEditReplicas(cluster, 1);
    eventually(
        WAIT,
        () -> cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt() == 3,
        "selfHeal reverts the edit");

    long started = System.nanoTime();
    controller.close();
    cluster.get(DEPLOYMENT);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("closing the informers must not stall the API server")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aSecondEditWithinTheSelfHealBackoffIsHealedWhenTheBackoffEnds() throws Exception {
    try (ApplicationController controller = controller(1)) {
      controller.start();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          "the first sync is done");
      eventually(WAIT, () -> reconciles.get() >= 2, "the cache has started");

      editReplicas(1);
      eventually(WAIT, () -> liveReplicas() == 3, "the first edit is healed at once");
      editReplicas(2);
      eventually(
          WAIT,
          () -> controller.status().map(s -> s.message().contains("selfHeal waits")).orElse(false),
          "the second heal waits for the backoff");

      // no other event and no resync (1 h) before the backoff (1 s) ends: the loop wakes itself
      eventually(WAIT, () -> liveReplicas() == 3, "the second edit is healed after the backoff");
    }
  }
}

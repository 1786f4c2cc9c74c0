package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sharded manager's cache keeps the live objects of the apps its replica runs, not the others';
 * an app taken over from a frozen replica is reconciled from its objects as the cluster has them
 * then, an edit made while the other replica ran it included.
 */
class ShardedKeptObjectsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final ManualClock leaseClock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster one = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final KubeCluster two = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final List<Application> apps =
      IntStream.range(0, 8).mapToObj(i -> app(String.format("app-%02d", i))).toList();

  @AfterEach
  void close() {
    one.close();
    two.close();
    embedded.close();
  }

  private static Application app(String name) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://git.example/configs.git", targetRevision: main, path: apps/%1$s}
          destination: {server: "https://kubernetes.default.svc", namespace: default}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        """
            .formatted(name),
        name + ".yaml");
  }

  /** The same for every replica: a ConfigMap per app. */
  private static DesiredState rendered(Application app) {
    String yaml =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {WRITER: git}\n"
            .formatted(app.name());
    return new DesiredState("r1", ResourceSet.of(Yaml.readResources(yaml, app.name() + ".yaml")));
  }

  private ReplicaMembership replica(KubeCluster cluster, String id) {
    return ReplicaMembership.builder(cluster, "default", "glidepath")
        .identity(id)
        .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
        .clock(leaseClock)
        .manualTicks()
        .start();
  }

  private ControllerManager manager(KubeCluster cluster, ReplicaMembership membership) {
    return manager(cluster, membership, ShardAssignment.rendezvous());
  }

  private ControllerManager manager(
      KubeCluster cluster, ReplicaMembership membership, ShardAssignment assignment) {
    return ControllerManager.builder(cluster)
        .shardAssignment(assignment)
        .sources(app -> () -> rendered(app))
        .feed(ApplicationFeed.of(apps))
        .workers(2)
        .resyncPeriod(Duration.ofHours(1))
        .selfHealBackoff(Duration.ofMillis(10))
        .statusNamespace("default")
        .sharding(membership)
        .build();
  }

  private Optional<String> writerOf(String app) {
    return one.get(new ResourceKey("", "ConfigMap", "default", app))
        .map(r -> r.body().at("/data/WRITER").asString());
  }

  private Set<String> of(String owner) {
    return apps.stream()
        .map(Application::name)
        .filter(
            a ->
                ShardAssignment.rendezvous()
                    .owner(a, Set.of("replica-a", "replica-b"))
                    .orElseThrow()
                    .equals(owner))
        .collect(Collectors.toSet());
  }

  private static int kept(KubeCluster cluster, String app) {
    return DefaultKubeCluster.cast(cluster).liveCache().keptObjects(app);
  }

  /**
   * Round-robin gives an app the rank of its key among all keys: the owner of one key alone (always
   * the first replica) is not where it runs, so the cache's hint must follow the assignment the
   * apps are settled by.
   */
  @Test
  void underRoundRobinEachReplicaKeepsTheObjectsOfTheAppsItRunsAndNoOthers() throws Exception {
    ReplicaMembership ma = replica(one, "replica-a");
    ReplicaMembership mb = replica(two, "replica-b");
    ma.tick();
    ShardAssignment roundRobin = ShardAssignment.argo("round-robin");
    try (ControllerManager a = manager(one, ma, roundRobin);
        ControllerManager b = manager(two, mb, roundRobin)) {
      a.start();
      b.start();
      for (Application app : apps) {
        eventually(
            WAIT, () -> writerOf(app.name()).equals(Optional.of("git")), app.name() + " synced");
      }
      eventually(WAIT, () -> a.apps().size() + b.apps().size() == apps.size(), "all apps run");
      assertThat(a.apps()).doesNotContainAnyElementsOf(b.apps());
      // app-00, app-02, ... on replica-a; app-01, app-03, ... on replica-b
      assertThat(b.apps()).contains("app-01", "app-03").doesNotContain("app-00");
      for (String app : a.apps()) {
        eventually(WAIT, () -> kept(one, app) == 1, app + " kept by its replica");
        assertThat(kept(two, app)).as(app + " kept by the other").isZero();
      }
      for (String app : b.apps()) {
        eventually(WAIT, () -> kept(two, app) == 1, app + " kept by its replica");
        assertThat(kept(one, app)).as(app + " kept by the other").isZero();
      }
    } finally {
      ma.close();
      mb.close();
    }
  }

  @Test
  void aReplicaKeepsOnlyItsAppsObjectsAndTakesOverFromTheObjectsAsTheyAreNow() throws Exception {
    ReplicaMembership ma = replica(one, "replica-a");
    ReplicaMembership mb = replica(two, "replica-b");
    ma.tick();
    Set<String> ofA = of("replica-a");
    Set<String> ofB = of("replica-b");
    assertThat(ofA).isNotEmpty();
    assertThat(ofB).isNotEmpty();
    try (ControllerManager a = manager(one, ma);
        ControllerManager b = manager(two, mb)) {
      a.start();
      b.start();
      for (Application app : apps) {
        eventually(
            WAIT, () -> writerOf(app.name()).equals(Optional.of("git")), app.name() + " synced");
      }
      for (String app : ofA) {
        eventually(WAIT, () -> kept(one, app) == 1, app + " kept by its replica");
        assertThat(kept(two, app)).as(app + " kept by the other").isZero();
      }
      for (String app : ofB) {
        eventually(WAIT, () -> kept(two, app) == 1, app + " kept by its replica");
        assertThat(kept(one, app)).as(app + " kept by the other").isZero();
      }

      // replica-b freezes: its writes are fenced from now on; an app of its is edited by hand,
      // and replica-a takes b's apps over
      leaseClock.advance(Duration.ofSeconds(16));
      String edited = ofB.iterator().next();
      one.client()
          .configMaps()
          .inNamespace("default")
          .withName(edited)
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON_MERGE)
                  .withFieldManager("kubectl-edit")
                  .build(),
              "{\"data\":{\"WRITER\":\"hand\"}}");
      assertThat(writerOf(edited)).contains("hand");
      ma.tick();
      assertThat(a.apps()).hasSize(apps.size());
      // self-heal from the current object: a stale copy (WRITER: git) would show no drift
      eventually(WAIT, () -> writerOf(edited).equals(Optional.of("git")), edited + " healed");
      for (String app : ofB) {
        eventually(WAIT, () -> kept(one, app) == 1, app + " kept after the takeover");
      }
    } finally {
      ma.close();
      mb.close();
    }
  }
}

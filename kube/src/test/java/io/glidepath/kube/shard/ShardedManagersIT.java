package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, each a ControllerManager with its own connection, share 12 apps on the
 * EmbeddedCluster: each app runs on exactly one; a frozen replica's apps are taken over after one
 * lease duration, and when it wakes it writes nothing until it holds a claim again.
 */
class ShardedManagersIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final ManualClock leaseClock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster one = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final KubeCluster two = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final List<Application> apps =
      IntStream.range(0, 12).mapToObj(i -> app(String.format("app-%02d", i))).toList();

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
          syncPolicy: {automated: {prune: true}}
        """
            .formatted(name),
        name + ".yaml");
  }

  /** What a replica renders: a ConfigMap per app that names the replica and a revision. */
  private static DesiredState rendered(Application app, String writer) {
    String yaml =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {WRITER: %s}\n"
            .formatted(app.name(), writer);
    return new DesiredState(writer, ResourceSet.of(Yaml.readResources(yaml, app.name() + ".yaml")));
  }

  private ReplicaMembership replica(KubeCluster cluster, String id) {
    return ReplicaMembership.builder(cluster, "default", "glidepath")
        .identity(id)
        .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
        .clock(leaseClock)
        .manualTicks()
        .start();
  }

  /** Records the sharding events of one replica. */
  private static final class Recording implements ControllerListener {
    final Set<String> taken = ConcurrentHashMap.newKeySet();
    final Set<String> claimed = ConcurrentHashMap.newKeySet();
    final Set<String> released = ConcurrentHashMap.newKeySet();
    final Set<String> fenced = ConcurrentHashMap.newKeySet();

    @Override
    public void claimed(String app, boolean takenOver) {
      (takenOver ? taken : claimed).add(app);
    }

    @Override
    public void released(String app) {
      released.add(app);
    }

    @Override
    public void fenced(String app) {
      fenced.add(app);
    }
  }

  private ControllerManager manager(
      KubeCluster cluster, ReplicaMembership membership, AtomicReference<String> writer) {
    return manager(cluster, membership, writer, ControllerListener.NONE);
  }

  private ControllerManager manager(
      KubeCluster cluster,
      ReplicaMembership membership,
      AtomicReference<String> writer,
      ControllerListener listener) {
    return ControllerManager.builder(cluster)
        .listener(listener)
        .sources(app -> () -> rendered(app, writer.get()))
        .feed(ApplicationFeed.of(apps))
        .workers(2)
        .resyncPeriod(Duration.ofHours(1))
        .statusNamespace("default")
        .sharding(membership)
        .build();
  }

  private Optional<String> writerOf(String app) {
    return one.get(new ResourceKey("", "ConfigMap", "default", app))
        .map(r -> r.body().at("/data/WRITER").asString());
  }

  private static Set<String> expected(String owner, Set<String> members, List<Application> apps) {
    return apps.stream()
        .map(Application::name)
        .filter(a -> ShardAssignment.rendezvous().owner(a, members).orElseThrow().equals(owner))
        .collect(Collectors.toSet());
  }

  private static void eventually(BooleanSupplier condition, String what) throws Exception {
    eventually(condition, () -> what);
  }

  private static void eventually(
      BooleanSupplier condition, java.util.function.Supplier<String> what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out: " + what.get());
      }
      Thread.sleep(20);
    }
  }

  @Test
  void eachAppRunsOnOneReplicaAndAFrozenReplicasAppsMoveWithoutTwoWriters() throws Exception {
    AtomicReference<String> writerA = new AtomicReference<>("a1");
    AtomicReference<String> writerB = new AtomicReference<>("b1");
    ReplicaMembership ma = replica(one, "replica-a");
    ReplicaMembership mb = replica(two, "replica-b");
    ma.tick();
    Set<String> both = Set.of("replica-a", "replica-b");
    assertThat(ma.members()).isEqualTo(both);
    assertThat(mb.members()).isEqualTo(both);
    ItemClaims claimsA = ItemClaims.of(ma);
    Recording eventsA = new Recording();
    Recording eventsB = new Recording();
    try (ControllerManager a = manager(one, ma, writerA, eventsA);
        ControllerManager b = manager(two, mb, writerB, eventsB)) {
      a.start();
      b.start();
      Set<String> ofA = expected("replica-a", both, apps);
      Set<String> ofB = expected("replica-b", both, apps);
      assertThat(ofA).isNotEmpty();
      assertThat(ofB).isNotEmpty();
      assertThat(a.apps()).isEqualTo(ofA);
      assertThat(b.apps()).isEqualTo(ofB);
      for (Application app : apps) {
        String w = ofA.contains(app.name()) ? "a1" : "b1";
        ControllerManager m = ofA.contains(app.name()) ? a : b;
        eventually(
            () -> writerOf(app.name()).equals(Optional.of(w)),
            () ->
                app.name()
                    + " by "
                    + w
                    + ": "
                    + m.controller(app.name()).flatMap(ApplicationController::status)
                    + ", claim "
                    + claimsA.holder(app.name())
                    + ", "
                    + m.stats());
        assertThat(claimsA.holder(app.name()))
            .contains(ofA.contains(app.name()) ? "replica-a" : "replica-b");
      }

      // replica-a freezes (no renewals); after one lease duration b takes all its apps
      leaseClock.advance(Duration.ofSeconds(16));
      mb.tick();
      assertThat(mb.members()).containsExactly("replica-b");
      assertThat(b.apps()).hasSize(apps.size());
      for (Application app : apps) {
        assertThat(claimsA.holder(app.name())).contains("replica-b");
      }
      assertThat(eventsB.claimed).isEqualTo(ofB);
      assertThat(eventsB.taken).isEqualTo(ofA);
      writerB.set("b2"); // b's new revision reaches every app
      apps.forEach(app -> b.controller(app.name()).orElseThrow().refresh());
      for (Application app : apps) {
        eventually(() -> writerOf(app.name()).equals(Optional.of("b2")), app.name() + " by b2");
      }

      // replica-a wakes with a new revision of its own and is asked to reconcile its old apps:
      // its claim checks fail (its own Lease is stale, the claims name b), so it writes nothing
      writerA.set("a2");
      List<ApplicationController> stale =
          ofA.stream().map(n -> a.controller(n).orElseThrow()).toList();
      long before = a.stats().reconciles();
      stale.forEach(ApplicationController::refresh);
      eventually(
          () -> a.stats().reconciles() >= before + stale.size() && a.stats().queued() == 0,
          "a's workers ran the asked reconciles");
      for (String app : ofA) {
        assertThat(writerOf(app)).contains("b2");
      }
      assertThat(eventsA.fenced).isEqualTo(ofA);

      // it renews: both live again; b hands a's apps back, and a runs them once it holds them
      ma.tick();
      mb.tick();
      ma.tick();
      assertThat(a.apps()).isEqualTo(ofA);
      assertThat(b.apps()).isEqualTo(ofB);
      Set<String> overlap = new HashSet<>(a.apps());
      overlap.retainAll(b.apps());
      assertThat(overlap).isEmpty();
      assertThat(eventsB.released).isEqualTo(ofA);
      assertThat(eventsA.claimed).containsAll(ofA);
      for (String app : ofA) {
        eventually(() -> writerOf(app).equals(Optional.of("a2")), app + " by a2");
        assertThat(claimsA.holder(app)).contains("replica-a");
      }
      for (String app : ofB) {
        assertThat(writerOf(app)).contains("b2");
      }
    } finally {
      // closing released every claim: nobody holds an app
      for (Application app : apps) {
        assertThat(claimsA.holder(app.name())).isEmpty();
      }
      ma.close();
      mb.close();
    }
  }

  @Test
  void aReplicaShutDownHandsItsAppsOverAtTheNextRoundWithoutWaitingForExpiry() throws Exception {
    ReplicaMembership ma = replica(one, "replica-a");
    ReplicaMembership mb = replica(two, "replica-b");
    ma.tick();
    ItemClaims claimsB = ItemClaims.of(mb);
    try (ControllerManager b = manager(two, mb, new AtomicReference<>("b1"))) {
      ControllerManager a = manager(one, ma, new AtomicReference<>("a1"));
      a.start();
      b.start();
      Set<String> ofA = expected("replica-a", Set.of("replica-a", "replica-b"), apps);
      assertThat(a.apps()).isEqualTo(ofA);
      for (String app : ofA) {
        eventually(() -> writerOf(app).equals(Optional.of("a1")), app + " by a1");
      }

      a.close(); // a rolling update: the manager releases its claims, then the Lease goes
      ma.close();
      for (String app : ofA) {
        assertThat(claimsB.holder(app)).isEmpty();
      }
      mb.tick(); // the same instant on the lease clock: no expiry waited for
      assertThat(mb.members()).containsExactly("replica-b");
      assertThat(b.apps()).hasSize(apps.size());
      for (String app : ofA) {
        eventually(() -> writerOf(app).equals(Optional.of("b1")), app + " by b1");
        assertThat(claimsB.holder(app)).contains("replica-b");
      }
    } finally {
      mb.close();
    }
  }
}

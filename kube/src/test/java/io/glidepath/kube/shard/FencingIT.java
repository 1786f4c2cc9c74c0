package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fencing on every write: a replica frozen in the middle of a reconcile (its worker paused, its
 * network cut off by fault injection, its clock stopped) past its lease loses its apps to another
 * replica; when it resumes, the reconcile it was in sends no write at all, as the request log
 * shows, although its own clock still says its Lease is fresh.
 */
class FencingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clockA = ManualClock.at(T0);
  private final ManualClock clockB = ManualClock.at(T0);
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster one = connect("replica-a");
  private final KubeCluster two = connect("replica-b");
  private final List<Application> apps =
      IntStream.range(0, 6).mapToObj(i -> app(String.format("app-%02d", i))).toList();

  @AfterEach
  void close() {
    embedded.clearFaults();
    one.close();
    two.close();
    embedded.close();
  }

  /** A connection whose requests the cluster's log and faults tell apart by User-Agent. */
  private KubeCluster connect(String userAgent) {
    Config config = embedded.config();
    config.setUserAgent(userAgent);
    config.setRequestTimeout(2_000);
    return KubeCluster.connect(config, RequestRetry.NONE);
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

  private static DesiredState rendered(Application app, String writer) {
    String yaml =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {WRITER: %s}\n"
            .formatted(app.name(), writer);
    return new DesiredState(writer, ResourceSet.of(Yaml.readResources(yaml, app.name() + ".yaml")));
  }

  private ReplicaMembership replica(KubeCluster cluster, String id, ManualClock clock) {
    return ReplicaMembership.builder(cluster, "default", "glidepath")
        .identity(id)
        .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
        .clock(clock)
        .manualTicks()
        .start();
  }

  /**
   * A source that can be made to stop in the middle of its next fetch of one app: a paused process.
   * Only that app's fetch stops (the replica's other apps may reconcile meanwhile, as they would).
   */
  private static final class PausableSource {
    final AtomicReference<String> writer;
    // the app whose next fetch stops, and what it waits for (null: no pause)
    private final AtomicReference<Map.Entry<String, CountDownLatch>> pause =
        new AtomicReference<>();
    final CountDownLatch paused = new CountDownLatch(1);

    PausableSource(String writer) {
      this.writer = new AtomicReference<>(writer);
    }

    void pauseNextFetchOf(String app, CountDownLatch resume) {
      pause.set(Map.entry(app, resume));
    }

    DesiredState fetch(Application app) {
      Map.Entry<String, CountDownLatch> p = pause.get();
      if (p != null && p.getKey().equals(app.name()) && pause.compareAndSet(p, null)) {
        paused.countDown();
        try {
          p.getValue().await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return rendered(app, writer.get());
    }
  }

  private static final class Recording implements ControllerListener {
    final Set<String> taken = ConcurrentHashMap.newKeySet();
    final Set<String> fenced = ConcurrentHashMap.newKeySet();
    final Set<String> synced = ConcurrentHashMap.newKeySet();
    final Set<String> reconciled = ConcurrentHashMap.newKeySet();

    @Override
    public void syncStarted(String app, String revision) {
      synced.add(app);
    }

    @Override
    public void reconciled(io.glidepath.kube.controller.AppStatus status) {
      reconciled.add(status.app());
    }

    @Override
    public void claimed(String app, boolean takenOver) {
      if (takenOver) {
        taken.add(app);
      }
    }

    @Override
    public void fenced(String app) {
      fenced.add(app);
    }
  }

  private ControllerManager manager(
      KubeCluster cluster,
      ReplicaMembership membership,
      PausableSource source,
      ControllerListener listener) {
    return ControllerManager.builder(cluster)
        .listener(listener)
        .sources(app -> () -> source.fetch(app))
        .feed(ApplicationFeed.of(apps))
        .workers(2)
        .resyncPeriod(Duration.ofHours(1))
        .statusNamespace("default")
        .sharding(membership)
        .build();
  }

  private Optional<String> writerOf(String app) {
    return two.get(new ResourceKey("", "ConfigMap", "default", app))
        .map(r -> r.body().at("/data/WRITER").asString());
  }

  private Optional<String> ownerOf(String app) {
    return two.get(new ResourceKey("", "ConfigMap", "default", "glidepath-" + app))
        .map(r -> r.body().at("/metadata/annotations/glidepath.io~1owner").asString(""));
  }

  private static void eventually(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aReplicaFrozenMidReconcilePastItsLeaseWritesNothingWhenItResumes() throws Exception {
    ReplicaMembership ma = replica(one, "replica-a", clockA);
    ReplicaMembership mb = replica(two, "replica-b", clockB);
    ma.tick();
    Set<String> both = Set.of("replica-a", "replica-b");
    String victim =
        apps.stream()
            .map(Application::name)
            .filter(
                n -> ShardAssignment.rendezvous().owner(n, both).orElseThrow().equals("replica-a"))
            .findFirst()
            .orElseThrow();
    PausableSource sourceA = new PausableSource("a1");
    PausableSource sourceB = new PausableSource("b1");
    Recording eventsA = new Recording();
    Recording eventsB = new Recording();
    try (ControllerManager a = manager(one, ma, sourceA, eventsA);
        ControllerManager b = manager(two, mb, sourceB, eventsB)) {
      a.start();
      b.start();
      eventually(() -> writerOf(victim).equals(Optional.of("a1")), victim + " synced by a");
      eventually(() -> ownerOf(victim).equals(Optional.of("replica-a/0")), "a's owner stamp");

      // a starts a reconcile of a new revision, passes the claim check, and freezes in the render
      CountDownLatch resume = new CountDownLatch(1);
      sourceA.writer.set("a2");
      sourceA.pauseNextFetchOf(victim, resume);
      a.controller(victim).orElseThrow().refresh();
      assertThat(sourceA.paused.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      // frozen: its network is cut off (its renewals fail) and its clock stands still
      embedded.inject(Fault.timeout(Duration.ofMillis(20)).fromUserAgents("replica-a"));
      assertThatThrownBy(ma::tick).isInstanceOf(KubernetesClientException.class);
      assertThat(ma.alive()).isTrue(); // its own clock has not moved: it believes it is live

      // meanwhile b's clock runs past a's lease: b takes a's apps over and syncs them
      clockB.advance(Duration.ofSeconds(16));
      mb.tick();
      assertThat(mb.members()).containsExactly("replica-b");
      assertThat(eventsB.taken).contains(victim);
      eventually(() -> writerOf(victim).equals(Optional.of("b1")), victim + " synced by b");
      eventually(() -> ownerOf(victim).equals(Optional.of("replica-b/1")), "b's owner stamp");

      // a resumes where it stopped, network back, clock still frozen: zero writes reach the server
      embedded.clearFaults();
      embedded.clearRequests();
      long before = a.stats().reconciles();
      resume.countDown();
      // a's other apps may end reconciles they were in during the fault meanwhile: wait for this
      // one
      eventually(() -> eventsA.fenced.contains(victim), "a's paused reconcile refused its write");
      eventually(() -> a.stats().reconciles() > before, "a's paused reconcile ended");
      List<RecordedCall> fromA =
          embedded.writes().stream().filter(c -> c.userAgent().equals("replica-a")).toList();
      assertThat(fromA).isEmpty();
      assertThat(
              embedded.requests().stream()
                  .filter(c -> c.userAgent().equals("replica-a"))
                  .filter(c -> c.kind().equals("Lease")))
          .as("a read the claim before its first write")
          .isNotEmpty();
      assertThat(writerOf(victim)).contains("b1");
      assertThat(ownerOf(victim)).contains("replica-b/1");
      assertThat(eventsA.fenced).contains(victim);
      assertThat(a.stats().fencedWrites()).isGreaterThanOrEqualTo(1);
      assertThat(b.stats().takeovers()).isEqualTo(eventsB.taken.size());
      assertThat(b.stats().claims()).isGreaterThanOrEqualTo(apps.size());
      assertThat(b.apps()).hasSize(apps.size());
    } finally {
      ma.close();
      mb.close();
    }
  }

  @Test
  void aReplicaTakingOverAnAppDoesNotSyncAnUnchangedCommitAgain() throws Exception {
    ReplicaMembership ma = replica(one, "replica-a", clockA);
    ReplicaMembership mb = replica(two, "replica-b", clockB);
    ma.tick();
    Set<String> both = Set.of("replica-a", "replica-b");
    List<String> ofA =
        apps.stream()
            .map(Application::name)
            .filter(
                n -> ShardAssignment.rendezvous().owner(n, both).orElseThrow().equals("replica-a"))
            .toList();
    assertThat(ofA).isNotEmpty();
    PausableSource same = new PausableSource("r1"); // both replicas render the same commit
    Recording eventsA = new Recording();
    Recording eventsB = new Recording();
    try (ControllerManager a = manager(one, ma, same, eventsA);
        ControllerManager b = manager(two, mb, same, eventsB)) {
      a.start();
      b.start();
      for (String app : ofA) {
        eventually(() -> writerOf(app).equals(Optional.of("r1")), app + " synced by a");
        eventually(() -> ownerOf(app).equals(Optional.of("replica-a/0")), app + " status by a");
      }
      assertThat(eventsA.synced).containsAll(ofA);

      // a dies; b takes its apps over and reconciles them: same commit, no drift, no sync
      clockB.advance(Duration.ofSeconds(16));
      embedded.clearRequests();
      mb.tick();
      assertThat(eventsB.taken).containsExactlyInAnyOrderElementsOf(ofA);
      for (String app : ofA) {
        eventually(() -> eventsB.reconciled.contains(app), app + " reconciled by b");
      }
      assertThat(eventsB.synced).doesNotContainAnyElementsOf(ofA);
      assertThat(
              embedded.writes().stream()
                  .filter(c -> c.userAgent().equals("replica-b"))
                  .filter(c -> ofA.contains(c.name())))
          .as("b wrote none of a's apps' resources")
          .isEmpty();
    } finally {
      ma.close();
      mb.close();
    }
  }
}

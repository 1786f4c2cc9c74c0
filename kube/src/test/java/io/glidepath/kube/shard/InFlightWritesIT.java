package io.glidepath.kube.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes in flight: a replica whose write passed the fencing check is held between the check and
 * the API server (its request stuck in the client, as in a long pause or a partition) until another
 * replica took the app over and wrote it; when the held write arrives, it carries the
 * resourceVersion its replica read before the check, so the API server refuses it (409) and the new
 * owner's state stays, and nothing more of the stale reconcile reaches the server.
 */
class InFlightWritesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clockA = ManualClock.at(T0);
  private final ManualClock clockB = ManualClock.at(T0);
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final Hold hold = new Hold();
  private final KubernetesClient clientA = client("replica-a", hold);
  private final KubeCluster one = KubeCluster.of(clientA, RequestRetry.NONE);
  private final KubeCluster two = KubeCluster.connect(config("replica-b"), RequestRetry.NONE);
  private final List<Application> apps =
      IntStream.range(0, 4).mapToObj(i -> app(String.format("app-%02d", i))).toList();

  @AfterEach
  void close() {
    hold.release();
    embedded.clearFaults();
    one.close();
    clientA.close();
    two.close();
    embedded.close();
  }

  private Config config(String userAgent) {
    Config config = embedded.config();
    config.setUserAgent(userAgent);
    config.setRequestTimeout(60_000);
    config.setRequestRetryBackoffLimit(0);
    return config;
  }

  private KubernetesClient client(String userAgent, Interceptor interceptor) {
    return new KubernetesClientBuilder()
        .withConfig(config(userAgent))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("hold", interceptor))
        .build();
  }

  /**
   * Holds the first request that matches once armed, in the client after Glidepath's fencing check
   * and before it leaves, until released: a write in flight.
   */
  private static final class Hold implements Interceptor {
    private volatile Predicate<HttpRequest> armed;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    void arm(Predicate<HttpRequest> which) {
      armed = which;
    }

    void release() {
      released.countDown();
    }

    boolean awaitHeld() throws InterruptedException {
      return held.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      Predicate<HttpRequest> which = armed;
      if (which != null && which.test(request)) {
        armed = null;
        held.countDown();
        try {
          released.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
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

  private ReplicaMembership replica(KubeCluster cluster, String id, ManualClock clock) {
    return ReplicaMembership.builder(cluster, "default", "glidepath")
        .identity(id)
        .timing(Duration.ofSeconds(15), Duration.ofSeconds(5))
        .clock(clock)
        .manualTicks()
        .start();
  }

  private static final class Recording implements ControllerListener {
    final Set<String> taken = ConcurrentHashMap.newKeySet();
    final Set<String> fenced = ConcurrentHashMap.newKeySet();

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
      AtomicReference<String> writer,
      ControllerListener listener) {
    return ControllerManager.builder(cluster)
        .listener(listener)
        .sources(
            app ->
                () -> {
                  // "drop-..." renders <app>-extra instead of <app>: the sync prunes <app>
                  String w = writer.get();
                  String name = w.startsWith("drop") ? app.name() + "-extra" : app.name();
                  String yaml =
                      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {WRITER: %s}\n"
                          .formatted(name, w);
                  return new DesiredState(
                      writer.get(), ResourceSet.of(Yaml.readResources(yaml, app.name() + ".yaml")));
                })
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

  private Optional<String> statusOf(String app, String field) {
    return two.get(new ResourceKey("", "ConfigMap", "default", "glidepath-" + app))
        .map(r -> r.body().at(field).asString(""));
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

  /** A real (not dry-run) PATCH of {@code name} in the core group's {@code plural}. */
  private static Predicate<HttpRequest> patchOf(String plural, String name) {
    return r -> {
      String uri = r.uri().toString();
      return r.method().equals("PATCH")
          && uri.contains("/api/v1/namespaces/default/" + plural + "/" + name + "?")
          && !uri.contains("dryRun");
    };
  }

  /** A real (not dry-run) DELETE of {@code name} in the core group's {@code plural}. */
  private static Predicate<HttpRequest> deleteOf(String plural, String name) {
    return r -> {
      String query = r.uri().getQuery();
      return r.method().equals("DELETE")
          && r.uri().getPath().endsWith("/api/v1/namespaces/default/" + plural + "/" + name)
          && (query == null || !query.contains("dryRun"));
    };
  }

  private String victim() {
    Set<String> both = Set.of("replica-a", "replica-b");
    return apps.stream()
        .map(Application::name)
        .filter(n -> ShardAssignment.rendezvous().owner(n, both).orElseThrow().equals("replica-a"))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Runs both replicas; a syncs {@code victim} as {@code a1}, then starts syncing {@code a2} and
   * has the request chosen by {@code which} held in flight; b takes the app over and syncs {@code
   * b1}; then the held request goes. Returns a's replica's calls after the release.
   */
  private List<RecordedCall> heldUntilTakenOver(
      String victim, Predicate<HttpRequest> which, Recording eventsA, Recording eventsB)
      throws Exception {
    return heldUntilTakenOver(victim, "a2", which, eventsA, eventsB);
  }

  private List<RecordedCall> heldUntilTakenOver(
      String victim,
      String second,
      Predicate<HttpRequest> which,
      Recording eventsA,
      Recording eventsB)
      throws Exception {
    ReplicaMembership ma = replica(one, "replica-a", clockA);
    ReplicaMembership mb = replica(two, "replica-b", clockB);
    ma.tick();
    AtomicReference<String> writerA = new AtomicReference<>("a1");
    AtomicReference<String> writerB = new AtomicReference<>("b1");
    try (ControllerManager a = manager(one, ma, writerA, eventsA);
        ControllerManager b = manager(two, mb, writerB, eventsB)) {
      a.start();
      b.start();
      eventually(() -> writerOf(victim).equals(Optional.of("a1")), victim + " synced by a");
      eventually(
          () ->
              statusOf(victim, "/metadata/annotations/glidepath.io~1owner")
                  .equals(Optional.of("replica-a/0")),
          "a's status");

      // a syncs a new revision; the chosen write passes the fencing check and is held in flight
      hold.arm(which);
      writerA.set(second);
      a.controller(victim).orElseThrow().refresh();
      assertThat(hold.awaitHeld()).as("a's write held").isTrue();

      // a is cut off meanwhile (its renewals fail), its clock stands still
      embedded.inject(Fault.timeout(Duration.ofMillis(20)).fromUserAgents("replica-a"));
      assertThatThrownBy(ma::tick).isInstanceOf(KubernetesClientException.class);
      assertThat(ma.alive()).isTrue();

      // b's clock runs past a's lease: b takes the app over, syncs it and records its status
      clockB.advance(Duration.ofSeconds(16));
      mb.tick();
      assertThat(eventsB.taken).contains(victim);
      eventually(() -> writerOf(victim).equals(Optional.of("b1")), victim + " synced by b");
      eventually(
          () ->
              statusOf(victim, "/metadata/annotations/glidepath.io~1owner")
                  .equals(Optional.of("replica-b/1")),
          "b's status");

      // the network is back and the held write arrives
      embedded.clearFaults();
      embedded.clearRequests();
      long before = a.stats().reconciles();
      hold.release();
      eventually(() -> a.stats().reconciles() > before, "a's stale reconcile ended");
      assertThat(a.stats().fencedWrites()).isGreaterThanOrEqualTo(1);
      return embedded.requests().stream().filter(c -> c.userAgent().equals("replica-a")).toList();
    } finally {
      ma.close();
      mb.close();
    }
  }

  @Test
  void aServerSideApplyHeldInFlightPastTheTakeoverIsRefusedAndLeavesTheNewOwnersObject()
      throws Exception {
    String victim = victim();
    Recording eventsA = new Recording();
    Recording eventsB = new Recording();
    List<RecordedCall> fromA =
        heldUntilTakenOver(victim, patchOf("configmaps", victim), eventsA, eventsB);

    // the held apply reached the server and was refused by its resourceVersion precondition
    assertThat(fromA)
        .filteredOn(c -> c.kind().equals("ConfigMap") && c.name().equals(victim) && !c.dryRun())
        .filteredOn(c -> c.verb().isWrite())
        .extracting(RecordedCall::status)
        .containsExactly(409);
    assertThat(fromA).filteredOn(RecordedCall::successfulWrite).isEmpty();
    // nothing of the stale reconcile landed: the object and the status are b's
    assertThat(writerOf(victim)).contains("b1");
    assertThat(statusOf(victim, "/metadata/annotations/glidepath.io~1owner"))
        .contains("replica-b/1");
    assertThat(statusOf(victim, "/data/lastSyncedRevision")).contains("b1");
    assertThat(eventsA.fenced).contains(victim);
  }

  @Test
  void aStatusWriteHeldInFlightPastTheTakeoverIsRefusedAndLeavesTheNewOwnersStatus()
      throws Exception {
    String victim = victim();
    Recording eventsA = new Recording();
    Recording eventsB = new Recording();
    // a's apply of a2 lands before the takeover; its status write is held in flight
    List<RecordedCall> fromA =
        heldUntilTakenOver(victim, patchOf("configmaps", "glidepath-" + victim), eventsA, eventsB);

    assertThat(fromA)
        .filteredOn(c -> c.name().equals("glidepath-" + victim) && !c.dryRun())
        .filteredOn(c -> c.verb().isWrite())
        .extracting(RecordedCall::status)
        .containsExactly(409);
    assertThat(fromA).filteredOn(RecordedCall::successfulWrite).isEmpty();
    assertThat(statusOf(victim, "/metadata/annotations/glidepath.io~1owner"))
        .contains("replica-b/1");
    assertThat(statusOf(victim, "/data/lastSyncedRevision")).contains("b1");
    assertThat(writerOf(victim)).contains("b1");
    assertThat(eventsA.fenced).contains(victim);
  }

  @Test
  void aPruneHeldInFlightPastTheTakeoverIsRefusedAndLeavesTheNewOwnersObject() throws Exception {
    String victim = victim();
    Recording eventsA = new Recording();
    Recording eventsB = new Recording();
    // a's new revision drops the app's ConfigMap: its prune is held in flight
    List<RecordedCall> fromA =
        heldUntilTakenOver(victim, "drop-a2", deleteOf("configmaps", victim), eventsA, eventsB);

    assertThat(fromA)
        .filteredOn(c -> c.name().equals(victim) && c.verb().isWrite() && !c.dryRun())
        .extracting(RecordedCall::status)
        .containsExactly(409);
    assertThat(fromA).filteredOn(RecordedCall::successfulWrite).isEmpty();
    assertThat(writerOf(victim)).as("b's object is still there").contains("b1");
    assertThat(statusOf(victim, "/metadata/annotations/glidepath.io~1owner"))
        .contains("replica-b/1");
    assertThat(eventsA.fenced).contains(victim);
  }
}

package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cache that keeps only some apps' objects ({@link SharedLiveCache#keepOnly}, a sharded
 * manager's) holds nothing of the others, and gives an app that registers later its objects as the
 * cluster has them then: edits, creations and deletions made while they were dropped included.
 */
class KeptAppsCacheIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final DefaultKubeCluster kube = DefaultKubeCluster.cast(cluster);
  private final ResourceType configMaps = kube.resourceType("", "ConfigMap").orElseThrow();

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private void create(String app, String name, String value) {
    String mark = TrackingId.of(app, new ResourceKey("", "ConfigMap", "default", name)).value();
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .addToAnnotations(TrackingId.ANNOTATION, mark)
                .endMetadata()
                .addToData("v", value)
                .build())
        .create();
  }

  private void edit(String name, String value) {
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .withName(name)
        .patch(
            new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
            "{\"data\":{\"v\":\"" + value + "\"}}");
  }

  private void delete(String name) {
    cluster.client().configMaps().inNamespace("default").withName(name).delete();
  }

  /** Each ConfigMap's name and value. */
  private static Map<String, String> values(ResourceSet live) {
    return live.stream()
        .collect(Collectors.toMap(Resource::name, r -> r.body().at("/data/v").asString()));
  }

  /**
   * Waits until the informer handled every event sent before: an edit of a kept app's object is
   * seen, and the informer handles one kind's events in order.
   */
  private void drain(SharedLiveCache.Registration witness, String value) throws Exception {
    edit("kept-1", value);
    eventually(
        WAIT,
        () -> value.equals(values(witness.liveState()).get("kept-1")),
        "the kept app's edit is seen");
  }

  @Test
  void anUnkeptAppsObjectsAreDroppedAndComeBackAsTheyAreNowWhenItRegisters() throws Exception {
    create("kept", "kept-1", "1");
    create("other", "other-1", "1");
    create("other", "other-2", "1");
    create("gone", "gone-1", "1");
    SharedLiveCache cache = kube.liveCache();
    cache.keepOnly(app -> app.equals("kept"));
    try (SharedLiveCache.Registration all = cache.watchAll(List.of(configMaps));
        SharedLiveCache.Registration witness = cache.register("kept", (k, l) -> {})) {
      witness.watch(List.of(configMaps));
      assertThat(cache.keptObjects("kept")).isEqualTo(1);
      assertThat(cache.keptObjects("other")).isZero();
      assertThat(cache.keptObjects("gone")).isZero();
      assertThat(cache.droppedApps()).isEqualTo(2);

      // changes while the apps are dropped: an edit, a creation, a deletion
      edit("other-1", "2");
      create("other", "other-3", "1");
      delete("gone-1");
      drain(witness, "2");
      assertThat(cache.keptObjects("other")).isZero();

      try (SharedLiveCache.Registration other = cache.register("other", (k, l) -> {});
          SharedLiveCache.Registration gone = cache.register("gone", (k, l) -> {})) {
        other.watch(List.of(configMaps));
        gone.watch(List.of(configMaps));
        assertThat(other.synced()).isFalse(); // objects missing until the first read lists them
        assertThat(values(other.liveState()))
            .isEqualTo(Map.of("other-1", "2", "other-2", "1", "other-3", "1"));
        assertThat(other.synced()).isTrue();
        assertThat(gone.liveState()).isEmpty();
        assertThat(cache.keptObjects("other")).isEqualTo(3);
        assertThat(cache.droppedApps()).isZero();

        // registered: its events are kept again
        edit("other-2", "3");
        eventually(
            WAIT,
            () -> "3".equals(values(other.liveState()).get("other-2")),
            "an edit of a registered app is seen");
      }
      // its last registration closed: the objects go, and come back as they are
      assertThat(cache.keptObjects("other")).isZero();
      edit("other-3", "4");
      drain(witness, "3");
      try (SharedLiveCache.Registration again = cache.register("other", (k, l) -> {})) {
        again.watch(List.of(configMaps));
        assertThat(values(again.liveState()))
            .isEqualTo(Map.of("other-1", "2", "other-2", "3", "other-3", "4"));
      }
    }
  }

  @Test
  void aCacheNotToldToKeepOnlySomeAppsKeepsEveryTrackedObject() throws Exception {
    create("kept", "kept-1", "1");
    create("other", "other-1", "1");
    SharedLiveCache cache = kube.liveCache();
    try (SharedLiveCache.Registration all = cache.watchAll(List.of(configMaps))) {
      assertThat(cache.keptObjects("other")).isEqualTo(1);
      assertThat(cache.droppedApps()).isZero();
    }
  }

  @Test
  void anApplicationObjectNotSubscribedIsDroppedAndReadAsItIsNowOnTheFirstSyncedCheck()
      throws Exception {
    createArgocd();
    application("kept");
    application("other");
    kube.liveCache().keepOnly(app -> app.equals("kept"));
    ResourceKey kept = new ResourceKey("argoproj.io", "Application", "argocd", "kept");
    ResourceKey other = new ResourceKey("argoproj.io", "Application", "argocd", "other");
    try (ApplicationObjectWatch witness = ApplicationObjectWatch.start(kube, kept, () -> {})) {
      assertThat(witness.synced()).isTrue();
      assertThat(witness.currentJson()).isNotNull();
      patch("other", "edited-while-dropped");
      patch("kept", "drained");
      eventually(
          WAIT, () -> project(witness.current()).equals("drained"), "the kept object's edit");

      try (ApplicationObjectWatch w = ApplicationObjectWatch.start(kube, other, () -> {})) {
        assertThat(w.currentJson()).isNull(); // dropped: nothing kept of it
        assertThat(w.synced()).isTrue(); // lists it
        assertThat(project(w.current())).isEqualTo("edited-while-dropped");
        patch("other", "edited-while-subscribed");
        eventually(
            WAIT,
            () -> project(w.current()).equals("edited-while-subscribed"),
            "a subscribed object's edit");
      }
      try (ApplicationObjectWatch w = ApplicationObjectWatch.start(kube, other, () -> {})) {
        assertThat(w.currentJson()).isNull(); // dropped again when its last watch closed
        assertThat(w.synced()).isTrue();
        assertThat(project(w.current())).isEqualTo("edited-while-subscribed");
      }
    }
  }

  @Test
  void aListenerAddedToTheRunningApplicationInformerHearsOfEveryObjectDroppedOnesIncluded()
      throws Exception {
    createArgocd();
    application("kept");
    application("other");
    kube.liveCache().keepOnly(app -> app.equals("kept"));
    ResourceKey kept = new ResourceKey("argoproj.io", "Application", "argocd", "kept");
    ResourceType applications = kube.resourceType("argoproj.io", "Application").orElseThrow();
    try (ApplicationObjectWatch witness = ApplicationObjectWatch.start(kube, kept, () -> {})) {
      assertThat(witness.synced()).isTrue();
      Recorder recorder = new Recorder();
      Map<String, String> seen = recorder.seen;
      List<String> gone = recorder.gone;
      List<String> calls = recorder.calls;
      Runnable stop = kube.liveCache().listen(applications, recorder);
      try {
        // the running informer dropped "other": one list hands it over as it is
        assertThat(seen).containsEntry("argocd/kept", "default");
        assertThat(seen).containsEntry("argocd/other", "default");
        application("third");
        patch("other", "edited");
        eventually(
            WAIT,
            () -> "edited".equals(seen.get("argocd/other")) && seen.containsKey("argocd/third"),
            () -> "a dropped object's edit and a new object reach the listener, whole: " + calls);
        cluster
            .client()
            .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
            .inNamespace("argocd")
            .withName("other")
            .delete();
        eventually(
            WAIT,
            () -> gone.contains("argocd/other"),
            () -> "a dropped object's deletion is heard: " + calls);
      } finally {
        stop.run();
      }
      // the controllers' watch keeps working without the listener
      patch("kept", "after");
      eventually(WAIT, () -> project(witness.current()).equals("after"), "the watch goes on");
    }
  }

  @Test
  void aListenerThatStartsTheApplicationInformerHearsOfEveryObjectDroppedOnesIncluded()
      throws Exception {
    createArgocd();
    application("kept");
    application("other");
    kube.liveCache().keepOnly(app -> app.equals("kept"));
    ResourceType applications = kube.resourceType("argoproj.io", "Application").orElseThrow();
    Recorder recorder = new Recorder();
    Map<String, String> seen = recorder.seen;
    Runnable stop = kube.liveCache().listen(applications, recorder);
    try {
      // no informer ran: the listener hears of each object by the initial list's events
      eventually(
          WAIT,
          () -> "default".equals(seen.get("argocd/other")) && seen.containsKey("argocd/kept"),
          () -> "every object reaches the listener, whole: " + seen);
      patch("other", "edited");
      eventually(
          WAIT,
          () -> "edited".equals(seen.get("argocd/other")),
          () -> "a dropped object's edit reaches the listener: " + seen);
    } finally {
      stop.run();
    }
  }

  @Test
  void aDroppedObjectChangedTwiceBeforeItsFirstEventIsHandledReachesTheListenerAsEachVersion()
      throws Exception {
    createArgocd();
    application("kept");
    application("other");
    kube.liveCache().keepOnly(app -> app.equals("kept"));
    ResourceKey kept = new ResourceKey("argoproj.io", "Application", "argocd", "kept");
    ResourceType applications = kube.resourceType("argoproj.io", "Application").orElseThrow();
    try (ApplicationObjectWatch witness = ApplicationObjectWatch.start(kube, kept, () -> {})) {
      assertThat(witness.synced()).isTrue();
      java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      Recorder recorder =
          new Recorder() {
            @Override
            void after(String key) {
              if (key.equals("argocd/blocker")) {
                // hold the informer's event thread: the next events queue up behind
                blocked.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
          };
      List<String> calls = recorder.calls;
      Runnable stop = kube.liveCache().listen(applications, recorder);
      try {
        application("blocker");
        assertThat(blocked.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // two edits of a dropped object received while its first event waits
        patch("other", "first");
        patch("other", "second");
        Thread.sleep(300);
        release.countDown();
        eventually(
            WAIT,
            () -> calls.contains("seen argocd/other second"),
            () -> "the last edit reaches the listener, whole: " + calls);
        assertThat(calls).doesNotContain("seen argocd/other <not kept>");
        assertThat(calls.subList(calls.indexOf("seen argocd/blocker default"), calls.size()))
            .containsSubsequence("seen argocd/other first", "seen argocd/other second");
      } finally {
        release.countDown();
        stop.run();
      }
    }
  }

  @Test
  void watchesSubscribedWhileTheirObjectChangesEndWithItsLatestSpec() throws Exception {
    createArgocd();
    application("busy");
    ResourceKey busy = new ResourceKey("argoproj.io", "Application", "argocd", "busy");
    List<ApplicationObjectWatch> watches = new java.util.ArrayList<>();
    try (ApplicationObjectWatch witness = ApplicationObjectWatch.start(kube, busy, () -> {})) {
      Thread edits =
          new Thread(
              () -> {
                for (int i = 0; i < 150; i++) {
                  patch("busy", "p" + i);
                }
              });
      edits.start();
      // events reach the subscribers while others join: each must end with the latest object
      while (edits.isAlive()) {
        watches.add(ApplicationObjectWatch.start(kube, busy, () -> {}));
      }
      edits.join();
      eventually(WAIT, () -> project(witness.current()).equals("p149"), "the last edit");
      // the informer tells the watches one after the other: each in turn, none left behind
      eventually(
          WAIT,
          () -> watches.stream().allMatch(w -> project(w.current()).equals("p149")),
          "every watch has the last edit");
    } finally {
      watches.forEach(ApplicationObjectWatch::close);
    }
  }

  /**
   * A listener of every Application object that wants each one whole and records what it hears:
   * each object's last project ({@code <not kept>} when handed none), the keys gone, every call in
   * order (for the message of a failure).
   */
  private static class Recorder implements ApplicationObjectInformer.Listener {
    final Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> gone = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean wants(String key) {
      return true;
    }

    @Override
    public void seen(String key, java.util.function.Supplier<Resource> object) {
      Resource r = object.get();
      String project = r == null ? "<not kept>" : project(Optional.of(r));
      seen.put(key, project);
      calls.add("seen " + key + " " + project);
      after(key);
    }

    @Override
    public void gone(String key) {
      gone.add(key);
      calls.add("gone " + key);
    }

    /** Called on the informer's thread after each object seen. */
    void after(String key) {}
  }

  private void createArgocd() {
    cluster
        .client()
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("argocd")
                .endMetadata()
                .build())
        .create();
  }

  private void application(String name) {
    cluster
        .client()
        .resource(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: %s, namespace: argocd}
            spec: {project: default}
            """
                .formatted(name))
        .inNamespace("argocd")
        .create();
  }

  private void patch(String name, String project) {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName(name)
        .patch(
            new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
            "{\"spec\":{\"project\":\"" + project + "\"}}");
  }

  private static String project(Optional<Resource> object) {
    return object.map(r -> r.body().at("/spec/project").asString("")).orElse("");
  }
}

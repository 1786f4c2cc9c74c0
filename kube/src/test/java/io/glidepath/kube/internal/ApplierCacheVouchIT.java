package io.glidepath.kube.internal;

import static io.glidepath.kube.Fixtures.configMap;
import static io.glidepath.kube.Fixtures.deployment;
import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.kube.apply.ApplyReport;
import io.glidepath.kube.apply.ApplyResult;
import io.glidepath.kube.apply.ApplyResult.Outcome;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The applier skips its read of an object the cluster's shared cache vouches is not there at all,
 * and reads (and handles exactly as without the cache) every object that is: untracked, tracked by
 * another app, or of an app a sharded cache does not keep.
 */
class ApplierCacheVouchIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT);
  private final DefaultKubeCluster kube = DefaultKubeCluster.cast(cluster);
  private final ResourceType configMaps = kube.resourceType("", "ConfigMap").orElseThrow();
  private final ResourceType deployments = kube.resourceType("apps", "Deployment").orElseThrow();
  private final ResourceKey settings = new ResourceKey("", "ConfigMap", "default", "settings");

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  /** The GETs of single objects since the log was last cleared, by object name. */
  private List<String> reads() {
    return embedded.requests().stream()
        .filter(c -> c.verb() == Verb.GET)
        .map(RecordedCall::name)
        .toList();
  }

  /** Creates the ConfigMap "settings" from outside the applier, with {@code annotations}. */
  private void createFromOutside(Map<String, String> annotations) {
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("default")
                .withAnnotations(annotations)
                .endMetadata()
                .addToData("theirs", "1")
                .build())
        .create();
  }

  private void awaitShown(ResourceKey key) throws Exception {
    eventually(WAIT, () -> !kube.vouchesNoObjectAt(key), () -> "the informer shows " + key);
  }

  @Test
  void newObjectsOfWatchedKindsAreWrittenWithoutAReadAndTheListOfManyIsSkipped() {
    List<Resource> plan =
        IntStream.range(0, 10)
            .mapToObj(i -> configMap(null, "cm-" + i, Map.of("a", "1")))
            .collect(java.util.stream.Collectors.toList());
    plan.add(deployment("web", "nginx:1", 1));
    try (SharedLiveCache.Registration all =
        kube.liveCache().watchAll(List.of(configMaps, deployments))) {
      embedded.clearRequests();
      ApplyReport report = Applier.of(cluster, ApplyOptions.ofDefaults()).apply("shop", plan);

      assertThat(report.succeeded()).isTrue();
      assertThat(report.results()).extracting(ApplyResult::outcome).containsOnly(Outcome.CREATED);
      assertThat(reads()).isEmpty();
      assertThat(embedded.requests()).noneMatch(c -> c.verb() == Verb.LIST);
      // the apply of each, nothing else
      assertThat(embedded.requests()).hasSize(plan.size());
    }
  }

  @Test
  void withoutTheCacheEveryObjectIsRead() {
    embedded.clearRequests();
    ApplyReport report =
        Applier.of(cluster, ApplyOptions.ofDefaults())
            .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

    assertThat(report.results()).extracting(ApplyResult::outcome).containsExactly(Outcome.CREATED);
    assertThat(reads()).containsExactly("settings");
  }

  @Test
  void anUntrackedObjectSomeoneElseCreatedIsReadAndAdoptedAsWithoutTheCache() throws Exception {
    try (SharedLiveCache.Registration all = kube.liveCache().watchAll(List.of(configMaps))) {
      createFromOutside(Map.of());
      awaitShown(settings); // the store keeps no untracked object, only its key
      assertThat(kube.liveCache().size()).isZero();
      embedded.clearRequests();

      ApplyReport report =
          Applier.of(cluster, ApplyOptions.ofDefaults())
              .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

      assertThat(reads()).containsExactly("settings");
      assertThat(report.results())
          .extracting(ApplyResult::outcome)
          .containsExactly(Outcome.CONFIGURED);
      Resource live = cluster.get(settings).orElseThrow();
      assertThat(live.annotations())
          .containsEntry(TrackingId.ANNOTATION, TrackingId.of("shop", settings).value());
      assertThat(live.body().at("/data/theirs").asString()).isEqualTo("1");
    }
  }

  @Test
  void anObjectAnotherAppTracksIsFoundWhenACacheKeepsOnlySomeApps() throws Exception {
    SharedLiveCache cache = kube.liveCache();
    cache.keepOnly(app -> app.equals("shop")); // a sharded replica running "shop" only
    try (SharedLiveCache.Registration all = cache.watchAll(List.of(configMaps))) {
      Applier.of(cluster, ApplyOptions.ofDefaults())
          .apply("billing", List.of(configMap(null, "settings", Map.of("a", "1"))));
      eventually(WAIT, () -> cache.keyOnlyObjects() == 1, "the informer shows billing's object");
      assertThat(cache.keptObjects("billing")).isZero(); // dropped: only its key is known
      embedded.clearRequests();

      ApplyReport strict =
          Applier.of(cluster, ApplyOptions.builder().failOnSharedResource(true).build())
              .apply("shop", List.of(configMap(null, "settings", Map.of("a", "2"))));
      ApplyReport lenient =
          Applier.of(cluster, ApplyOptions.ofDefaults())
              .apply("shop", List.of(configMap(null, "settings", Map.of("a", "2"))));

      assertThat(reads()).containsExactly("settings", "settings");
      assertThat(strict.failures()).hasSize(1);
      assertThat(strict.failures().get(0).message()).contains("tracked by app 'billing'");
      assertThat(lenient.results().get(0).outcome()).isEqualTo(Outcome.CONFIGURED);
      assertThat(lenient.results().get(0).message()).contains("billing");
    }
  }

  @Test
  void anObjectDeletedFromOutsideIsVouchedAbsentAgainAndCreatedWithoutARead() throws Exception {
    try (SharedLiveCache.Registration all = kube.liveCache().watchAll(List.of(configMaps))) {
      createFromOutside(Map.of());
      awaitShown(settings);
      cluster.client().configMaps().inNamespace("default").withName("settings").delete();
      eventually(WAIT, () -> kube.vouchesNoObjectAt(settings), "the deletion is shown");
      embedded.clearRequests();

      ApplyReport report =
          Applier.of(cluster, ApplyOptions.ofDefaults())
              .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1"))));

      assertThat(report.results())
          .extracting(ApplyResult::outcome)
          .containsExactly(Outcome.CREATED);
      assertThat(reads()).isEmpty();
      // written by this process: not vouched absent again until the informer shows the write
      eventually(
          WAIT,
          () -> kube.liveCache().size() == 1,
          "the informer shows the object this process wrote");
      assertThat(kube.vouchesNoObjectAt(settings)).isFalse();
    }
  }

  @Test
  void aCreateRefusedBecauseSomeoneCreatedTheObjectMeanwhileReadsItAndPatchesItInstead()
      throws Exception {
    // the cache vouches that nothing is at the key; the applier's create (client-side apply) is
    // held on the server for a second and answered 504 (not performed); meanwhile another client
    // creates the object; the retried create is refused with 409 AlreadyExists
    embedded.inject(
        io.glidepath.testkit.cluster.Fault.timeout(Duration.ofSeconds(1))
            .on(Verb.CREATE)
            .forKinds("ConfigMap")
            .fromUserAgents("fabric8-kubernetes-client/8.0.0")
            .times(1));
    try (SharedLiveCache.Registration all = kube.liveCache().watchAll(List.of(configMaps));
        io.fabric8.kubernetes.client.KubernetesClient outsider =
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(
                    new io.fabric8.kubernetes.client.ConfigBuilder(embedded.config())
                        .withUserAgent("outsider")
                        .build())
                .build()) {
      assertThat(kube.vouchesNoObjectAt(settings)).isTrue();
      embedded.clearRequests();
      java.util.concurrent.CompletableFuture<ApplyReport> applied =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  Applier.of(
                          cluster,
                          ApplyOptions.builder().serverSideApply(false).dryRunFirst(false).build())
                      .apply("shop", List.of(configMap(null, "settings", Map.of("a", "1")))));
      Thread.sleep(200);
      outsider
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("settings")
                  .withNamespace("default")
                  .endMetadata()
                  .addToData("theirs", "1")
                  .build())
          .create();
      ApplyReport report = applied.get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(embedded.requests())
          .filteredOn(
              c ->
                  c.kind().equals("ConfigMap")
                      && c.verb() != Verb.WATCH
                      && !c.userAgent().equals("outsider"))
          .extracting(c -> c.verb() + " " + c.status())
          .containsExactly("CREATE 504", "CREATE 409", "GET 200", "PATCH 200");
      assertThat(report.results())
          .extracting(ApplyResult::outcome)
          .containsExactly(Outcome.CONFIGURED);
      Resource live = cluster.get(settings).orElseThrow();
      assertThat(live.annotations())
          .containsEntry(TrackingId.ANNOTATION, TrackingId.of("shop", settings).value());
      assertThat(live.body().at("/data/theirs").asString()).isEqualTo("1");
      assertThat(live.body().at("/data/a").asString()).isEqualTo("1");
    }
  }
}

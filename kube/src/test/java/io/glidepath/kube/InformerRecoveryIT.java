package io.glidepath.kube;

import static io.glidepath.kube.Fixtures.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.kube.apply.Applier;
import io.glidepath.kube.apply.ApplyOptions;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * An informer whose watch fails in a way fabric8 takes as fatal (a malformed event; by fabric8's
 * own rule the informer then stops for good) keeps being retried with backoff, and its re-list
 * reports what changed while it was down. LiveWatch has no periodic resync, so nothing else could
 * report those changes.
 */
class InformerRecoveryIT {
  /** How long an expected event or request may take: generous, a loaded CI machine stalls. */
  private static final int WAIT_SECONDS = 30;

  @Test
  void anEditAndADeletionMadeWhileTheInformerWasDownReachTheListenerWhenItListsAgain()
      throws Exception {
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
        KubeCluster cluster = connect(embedded)) {
      LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
      try (LiveWatch watch = startWatch(embedded, cluster, events)) {
        stopTheInformer(embedded);

        // changed while the informer is down: its watch failed, its first re-list was refused
        cluster
            .client()
            .configMaps()
            .inNamespace("default")
            .withName("edited")
            .edit(
                cm -> {
                  cm.getData().put("a", "2");
                  return cm;
                });
        cluster.client().configMaps().inNamespace("default").withName("deleted").delete();
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
        embedded.clearFaults();

        // the next retry (2 s after the first) lists again and reports both changes
        assertThat(
                List.of(
                    events.poll(WAIT_SECONDS, TimeUnit.SECONDS),
                    events.poll(WAIT_SECONDS, TimeUnit.SECONDS)))
            .containsExactlyInAnyOrder("edited present", "deleted gone");
        assertThat(watch.liveState().keys()).containsExactly(Fixtures.key("ConfigMap", "edited"));
        assertThat(
                watch
                    .liveState()
                    .get(Fixtures.key("ConfigMap", "edited"))
                    .orElseThrow()
                    .body()
                    .at("/data/a")
                    .asString())
            .isEqualTo("2");
        // and it watches again: a later edit arrives as an event
        cluster
            .client()
            .configMaps()
            .inNamespace("default")
            .withName("edited")
            .edit(
                cm -> {
                  cm.getData().put("a", "3");
                  return cm;
                });
        assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("edited present");
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
      }
    }
  }

  @Test
  void closingTheClusterDuringTheRetryBackoffCancelsTheRetry() throws Exception {
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start()) {
      KubeCluster cluster = connect(embedded);
      LiveWatch watch = startWatch(embedded, cluster, new LinkedBlockingQueue<>());
      stopTheInformer(embedded);

      cluster.close();
      int lists = lists(embedded);
      embedded.clearFaults();

      // past the pending retry's time (2 s after the first): no list was sent
      Thread.sleep(2_500);
      assertThat(lists(embedded)).isEqualTo(lists);
      watch.close();
    }
  }

  @Test
  void closingTheKindsLastUserDuringTheRetryBackoffCancelsTheRetry() throws Exception {
    try (EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
        KubeCluster cluster = connect(embedded)) {
      LiveWatch watch = startWatch(embedded, cluster, new LinkedBlockingQueue<>());
      stopTheInformer(embedded);

      watch.close();
      int lists = lists(embedded);
      embedded.clearFaults();

      Thread.sleep(2_500);
      assertThat(lists(embedded)).isEqualTo(lists);
    }
  }

  private static KubeCluster connect(EmbeddedCluster embedded) {
    return KubeCluster.connect(
        embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  }

  /** Two ConfigMaps of app shop, watched; returns once both were reported. */
  private static LiveWatch startWatch(
      EmbeddedCluster embedded, KubeCluster cluster, LinkedBlockingQueue<String> events)
      throws InterruptedException {
    Applier.of(cluster, ApplyOptions.ofDefaults())
        .apply(
            "shop",
            List.of(
                configMap(null, "edited", Map.of("a", "1")), configMap(null, "deleted", Map.of())));
    ResourceType configMaps = cluster.resourceType("", "ConfigMap").orElseThrow();
    LiveWatch watch =
        LiveWatch.start(
            cluster,
            "shop",
            List.of(configMaps),
            (key, live) -> events.add(key.name() + (live.isPresent() ? " present" : " gone")));
    assertThat(
            List.of(
                events.poll(WAIT_SECONDS, TimeUnit.SECONDS),
                events.poll(WAIT_SECONDS, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder("edited present", "deleted present");
    return watch;
  }

  /**
   * Refuses ConfigMap watches and lists with 403 and sends a malformed event on the open watch:
   * fabric8 ends the watch with an error, which by its own rule stops the informer for good; told
   * to retry, it lists again after 1 s, refused. Returns once that refused list was seen.
   */
  private static void stopTheInformer(EmbeddedCluster embedded) throws InterruptedException {
    embedded.inject(Fault.status(403).on(Verb.WATCH, Verb.LIST).forKinds("ConfigMap"));
    embedded.clearRequests();
    // once the watch is open (it opens just after the initial list)
    await(() -> embedded.sendToWatches("not json") > 0);
    try {
      await(
          () ->
              embedded.requests().stream()
                  .anyMatch(c -> c.verb() == Verb.LIST && c.status() == 403));
    } catch (AssertionError e) {
      throw new AssertionError("requests: " + embedded.requests(), e);
    }
  }

  private static int lists(EmbeddedCluster embedded) {
    return (int) embedded.requests().stream().filter(c -> c.verb() == Verb.LIST).count();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("condition met within " + WAIT_SECONDS + " s")
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}

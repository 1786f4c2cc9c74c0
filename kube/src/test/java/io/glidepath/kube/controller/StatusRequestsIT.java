package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The requests the status path of a {@link ControllerManager} sends: a new app's first sync and a
 * one-app commit, counted on the EmbeddedCluster's request log.
 */
class StatusRequestsIT {
  private static final String AGENT = "status-requests-controller";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> APPS = List.of("app-a", "app-b", "app-c", "app-d", "app-e");
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster = connect();
  private final Map<String, String> revisions = new ConcurrentHashMap<>();

  /** The controller's connection: its requests are told apart from the test's by User-Agent. */
  private KubeCluster connect() {
    Config config = embedded.config();
    config.setUserAgent(AGENT);
    return KubeCluster.connect(
        config, new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  }

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String application(String name, boolean selfHeal) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://git.example/c.git", targetRevision: main, path: %1$s}
          destination: {server: "https://kubernetes.default.svc", namespace: apps}
          syncPolicy: {automated: {prune: true, selfHeal: %s}}
        """
        .formatted(name, selfHeal);
  }

  private static String manifests(String app, String level) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %1$s-settings}
        data: {LOG_LEVEL: %2$s}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - {name: main, image: "registry.example/%1$s:1.0"}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports: [{port: 80, targetPort: 8080}]
        """
        .formatted(app, level);
  }

  private void namespace(String name) {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private void create(String yaml) {
    var client = cluster.client();
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .create();
  }

  /** The status as the test reads it (not on the controller's connection). */
  private JsonNode status(String app) {
    GenericKubernetesResource object =
        embedded
            .client()
            .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
            .inNamespace("argocd")
            .withName(app)
            .get();
    return Yaml.mapper().valueToTree(object.getAdditionalProperties()).path("status");
  }

  private boolean settled(String app, String revision) {
    JsonNode s = status(app);
    return s.at("/sync/status").asString("").equals("Synced")
        && s.at("/sync/revision").asString("").equals(revision)
        && s.at("/health/status").asString("").equals("Healthy")
        && s.at("/operationState/phase").asString("").equals("Succeeded")
        && s.at("/operationState/syncResult/revision").asString("").equals(revision);
  }

  /** Waits until the cluster has answered no request for a while. */
  private void quiet() throws InterruptedException {
    int seen = -1;
    while (embedded.requests().size() != seen) {
      seen = embedded.requests().size();
      Thread.sleep(1500);
    }
  }

  private ControllerManager manager() {
    return ControllerManager.builder(cluster)
        .sources(
            app ->
                () -> {
                  String revision = revisions.getOrDefault(app.name(), "rev-1");
                  return new DesiredState(
                      revision,
                      ResourceSet.of(
                          Yaml.readResources(manifests(app.name(), revision), "m.yaml")));
                })
        .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
        .resyncPeriod(Duration.ofHours(1))
        .build();
  }

  /**
   * The controller's requests of the status path: its Application objects and status ConfigMaps.
   */
  private static List<RecordedCall> statusPath(List<RecordedCall> calls) {
    return calls.stream()
        .filter(c -> c.userAgent().equals(AGENT))
        .filter(
            c ->
                c.kind().equals("Application")
                    || (c.kind().equals("ConfigMap") && c.uri().contains("/namespaces/argocd/")))
        .filter(c -> c.verb() != Verb.WATCH)
        .toList();
  }

  private static long count(List<RecordedCall> calls, Verb verb, String kind) {
    return calls.stream().filter(c -> c.verb() == verb && c.kind().equals(kind)).count();
  }

  /**
   * Argo CD's Application CRD has no status subresource (the embedded cluster answers 404 on {@code
   * /status}, as a real one): every status write goes to the object itself at once.
   */
  private static void assertNoStatusSubresource(List<RecordedCall> calls) {
    assertThat(calls)
        .filteredOn(c -> c.kind().equals("Application") && c.verb() == Verb.PATCH)
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.uri()).doesNotContain("/status"));
    assertThat(calls).as("no status write answered 404 first").noneMatch(c -> c.status() == 404);
  }

  /**
   * A started manager of {@link #APPS}, new self-healing apps, each synced at rev-1 and healthy,
   * the cluster quiet since; the request log starts before the manager.
   */
  private ControllerManager newAppsSynced() throws InterruptedException {
    namespace("argocd");
    namespace("apps");
    APPS.forEach(a -> create(application(a, true)));
    embedded.clearRequests();
    ControllerManager manager = manager();
    try {
      manager.start();
      for (String a : APPS) {
        eventually(WAIT, () -> settled(a, "rev-1"), () -> a + " synced: " + status(a));
      }
      quiet();
      return manager;
    } catch (InterruptedException | RuntimeException | Error e) {
      manager.close();
      throw e;
    }
  }

  @Test
  void newAppsFirstSyncsAndAOneAppCommitReadNoStatusObject() throws Exception {
    try (ControllerManager manager = newAppsSynced()) {
      List<RecordedCall> start = statusPath(embedded.requests());
      // one sync each: a comparison right after the first sync must not find the objects it just
      // wrote missing (their events on the way) and heal them again
      for (String a : APPS) {
        assertThat(status(a).path("history")).as(a + " history").hasSize(1);
      }

      // one LIST of the labelled status ConfigMaps answers for every new app (before: a GET each)
      assertThat(count(start, Verb.GET, "ConfigMap")).as("status ConfigMap reads").isZero();
      assertThat(start)
          .filteredOn(c -> c.verb() == Verb.LIST && c.kind().equals("ConfigMap"))
          .singleElement()
          .satisfies(c -> assertThat(c.uri()).contains("labelSelector=glidepath.io%2Fapplication"));
      // the sync's status starts from the watched object (before: a GET each)
      assertThat(count(start, Verb.GET, "Application")).as("Application reads").isZero();
      assertThat(start)
          .filteredOn(c -> c.verb() == Verb.PATCH && c.body().contains("operationState"))
          .hasSizeGreaterThanOrEqualTo(APPS.size())
          .allSatisfy(c -> assertThat(c.body()).contains("\"resourceVersion\":"))
          .allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
      assertNoStatusSubresource(start);

      embedded.clearRequests();
      revisions.put("app-c", "rev-2");
      manager.controller("app-c").orElseThrow().refresh();
      eventually(WAIT, () -> settled("app-c", "rev-2"), () -> "app-c synced: " + status("app-c"));
      quiet();
      List<RecordedCall> commit = statusPath(embedded.requests());

      assertThat(commit)
          .as("a one-app commit: the sync's status and the health after it, no read")
          .extracting(RecordedCall::verb)
          .containsOnly(Verb.PATCH);
      assertThat(commit).allMatch(c -> c.name().equals("app-c") && c.status() == 200);
      assertThat(commit.get(0).body()).contains("operationState", "\"resourceVersion\":");
      assertNoStatusSubresource(commit);
      JsonNode history = status("app-c").path("history");
      assertThat(history).hasSize(2);
      assertThat(history.get(1).path("revision").asString()).isEqualTo("rev-2");
    }
  }

  /**
   * The status write recording a sync carries the comparison after it (the objects it applied as
   * their writes answered): Synced resources, not the comparison before the sync, so no second
   * write follows for it; only the health still changes when the Deployment becomes ready.
   */
  @Test
  void aSyncsStatusWriteCarriesTheComparisonAfterTheSync() throws Exception {
    try (ControllerManager manager = newAppsSynced()) {
      List<RecordedCall> start = statusPath(embedded.requests());
      for (String a : APPS) {
        List<RecordedCall> patches =
            start.stream().filter(c -> c.verb() == Verb.PATCH && c.name().equals(a)).toList();
        assertThat(patches).as(a).isNotEmpty();
        JsonNode first = Yaml.mapper().readTree(patches.get(0).body()).path("status");
        assertThat(first.at("/operationState/phase").asString()).as(a).isEqualTo("Succeeded");
        assertThat(first.at("/sync/status").asString()).as(a).isEqualTo("Synced");
        assertThat(first.path("resources"))
            .as(a + " resources in the sync's write")
            .hasSize(3)
            .allSatisfy(r -> assertThat(r.path("status").asString()).isEqualTo("Synced"));
        assertThat(patches)
            .as(a + ": the sync's write, then at most the health's")
            .hasSizeLessThanOrEqualTo(2);
      }
    }
  }

  @Test
  void theHealthAfterAFirstSyncNeverStepsBack() throws Exception {
    try (ControllerManager manager = newAppsSynced()) {
      List<RecordedCall> calls = statusPath(embedded.requests());
      for (String a : APPS) {
        // the health each status write published, in order
        List<String> published = new ArrayList<>();
        for (RecordedCall c : calls) {
          if (c.verb() == Verb.PATCH && c.name().equals(a)) {
            String health =
                Yaml.mapper().readTree(c.body()).at("/status/health/status").asString("");
            if (!health.isEmpty()) {
              published.add(health);
            }
          }
        }
        // the objects become ready once, after the sync: Progressing, then Healthy for good (a
        // read confirming the sync's objects newer than the cache's copy must not be followed by
        // that older copy)
        assertThat(published).as(a).last().isEqualTo("Healthy");
        assertThat(published.subList(published.indexOf("Healthy"), published.size()))
            .as(a + " after it became Healthy: " + published)
            .containsOnly("Healthy");
      }
    }
  }

  @Test
  void aStatusConfigMapAnOlderRunWroteIsStillReadAndHonoured() throws Exception {
    namespace("argocd");
    namespace("apps");
    // app-a ran before without its Application object: rev-1 is synced there
    embedded
        .client()
        .configMaps()
        .inNamespace("argocd")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("glidepath-app-a")
                .withLabels(Map.of("glidepath.io/application", "app-a"))
                .endMetadata()
                .withData(
                    Map.of(
                        "lastAttemptedRevision", "rev-1",
                        "lastSyncedRevision", "rev-1",
                        "history", "[]"))
                .build())
        .create();
    create(application("app-a", false));
    create(application("app-b", false));
    embedded.clearRequests();
    try (ControllerManager manager = manager()) {
      manager.start();
      eventually(WAIT, () -> settled("app-b", "rev-1"), () -> "app-b synced: " + status("app-b"));
      eventually(
          WAIT,
          () -> status("app-a").at("/sync/status").asString("").equals("OutOfSync"),
          () -> "app-a compared: " + status("app-a"));
      quiet();

      assertThat(status("app-a").path("operationState").isMissingNode())
          .as("rev-1 was synced by the older run: not synced again (selfHeal is off)")
          .isTrue();
      assertThat(
              embedded.requests().stream()
                  .filter(c -> c.userAgent().equals(AGENT))
                  .filter(c -> c.verb() == Verb.GET && c.kind().equals("ConfigMap"))
                  .filter(c -> c.namespace().equals("argocd"))
                  .map(RecordedCall::name))
          .as("only the ConfigMap that exists is read")
          .containsExactly("glidepath-app-a");
      assertThat(
              embedded.client().configMaps().inNamespace("apps").withName("app-a-settings").get())
          .isNull();
    }
  }
}

package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requests of a new app's first sync in a {@link ControllerManager}, counted on the cluster's
 * request log: the shared cache answers whether each of its objects exists, so the sync sends only
 * the apply of each (no server dry run, as Argo CD); an object someone else put at one of its keys
 * is read and adopted as before.
 */
class FirstSyncRequestsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @BeforeEach
  void namespace() {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
  }

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static final ResourceSet DESIRED =
      ResourceSet.of(
          Yaml.readResources(
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings}
              data: {mode: fast}
              ---
              apiVersion: v1
              kind: Service
              metadata: {name: web}
              spec:
                selector: {app: web}
                ports: [{port: 80}]
              ---
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web}
              spec:
                replicas: 1
                selector: {matchLabels: {app: web}}
                template:
                  metadata: {labels: {app: web}}
                  spec: {containers: [{name: web, image: "nginx:1"}]}
              """,
              "desired.yaml"));

  private static Application app() {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: shop, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://git.example/shop.git", path: ., targetRevision: main}
          destination: {server: "https://kubernetes.default.svc", namespace: shop}
          syncPolicy: {automated: {}}
        """,
        "shop.yaml");
  }

  /**
   * The verbs of the requests on one of the app's objects since the log was cleared, up to and
   * including its first write that is not a dry run: the sync's (a reconcile woken by the events of
   * the app's first objects may confirm the others afterwards, while their events are on the way).
   */
  private List<String> untilWritten(String kind, String name) {
    List<String> out = new java.util.ArrayList<>();
    for (RecordedCall c : embedded.requests()) {
      if (c.namespace().equals("shop") && c.kind().equals(kind) && c.name().equals(name)) {
        out.add(c.verb() + (c.dryRun() ? " (dry run)" : ""));
        if (c.verb().isWrite() && !c.dryRun()) {
          break;
        }
      }
    }
    return out;
  }

  /** Runs the manager, adds the app once its informers run, and waits for the first sync. */
  private void firstSync() throws Exception {
    try (ControllerManager manager =
        ControllerManager.builder(cluster)
            .sources(a -> () -> new DesiredState("rev-1", DESIRED))
            .workers(1)
            .resyncPeriod(Duration.ofHours(1))
            .statusNamespace("default")
            .build()) {
      manager.start();
      embedded.clearRequests();
      ApplicationController controller = manager.put(app()).orElseThrow();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          () -> "synced: " + controller.status());
    }
  }

  @Test
  void aNewAppsFirstSyncSendsOnlyTheApplyOfEachObject() throws Exception {
    firstSync();

    for (String kind : List.of("ConfigMap", "Service", "Deployment")) {
      String name = kind.equals("ConfigMap") ? "settings" : "web";
      assertThat(untilWritten(kind, name)).as(kind).containsExactly("APPLY");
    }
    assertThat(embedded.requests())
        .noneMatch(c -> c.verb() == Verb.LIST && c.namespace().equals("shop"));
  }

  @Test
  void anUntrackedObjectAtOneOfItsKeysIsReadAndAdoptedAsBefore() throws Exception {
    cluster
        .client()
        .configMaps()
        .inNamespace("shop")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("shop")
                .endMetadata()
                .withData(Map.of("theirs", "1"))
                .build())
        .create();

    firstSync();

    // the untracked ConfigMap is read once; the others not
    assertThat(untilWritten("ConfigMap", "settings")).containsExactly("GET", "APPLY");
    assertThat(untilWritten("Service", "web")).containsExactly("APPLY");
    assertThat(untilWritten("Deployment", "web")).containsExactly("APPLY");
    ResourceKey key = new ResourceKey("", "ConfigMap", "shop", "settings");
    var live = cluster.get(key).orElseThrow();
    assertThat(live.annotations())
        .containsEntry(TrackingId.ANNOTATION, TrackingId.of("shop", key).value());
    assertThat(live.body().at("/data/theirs").asString()).isEqualTo("1");
    assertThat(live.body().at("/data/mode").asString()).isEqualTo("fast");
  }
}

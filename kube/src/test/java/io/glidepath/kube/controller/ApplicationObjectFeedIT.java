package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cluster's Application objects feed a {@link ControllerManager}. */
class ApplicationObjectFeedIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String application(String name, boolean withSource) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
        %s  destination: {server: "https://kubernetes.default.svc", namespace: default}
          syncPolicy: {automated: {prune: true}}
        """
        .formatted(
            name,
            withSource
                ? "  source: {repoURL: \"https://git.example/c.git\", targetRevision: main, path: x}\n"
                : "");
  }

  private void apply(String yaml) {
    var client = cluster.client();
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .createOr(r -> r.update());
  }

  private Optional<String> data(String name) {
    return cluster
        .get(new ResourceKey("", "ConfigMap", "default", name))
        .map(r -> r.body().at("/data/APP").asString());
  }

  @Test
  void objectsCreatedRunTheirAppsAnUnusableSpecRunsOnceFixedAndADeletedOneStops() throws Exception {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    apply(application("shop", true));
    apply(application("broken", false)); // no source: the reader refuses it
    try (ControllerManager manager =
        ControllerManager.builder(cluster)
            .sources(
                app ->
                    () ->
                        new DesiredState(
                            "rev-1",
                            ResourceSet.of(
                                Yaml.readResources(
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {APP: %1$s}\n"
                                        .formatted(app.name()),
                                    "cm.yaml"))))
            .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
            .resyncPeriod(Duration.ofHours(1))
            .build()) {
      manager.start();
      eventually(WAIT, () -> data("shop").equals(Optional.of("shop")), "shop is synced");
      assertThat(manager.apps()).containsExactly("shop");

      apply(application("broken", true)); // fixed: tried again with the new spec
      eventually(WAIT, () -> data("broken").equals(Optional.of("broken")), "broken is synced");
      assertThat(manager.apps()).containsExactlyInAnyOrder("shop", "broken");

      cluster
          .client()
          .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
          .inNamespace("argocd")
          .withName("shop")
          .delete();
      eventually(WAIT, () -> !manager.apps().contains("shop"), "shop is removed");
      assertThat(manager.apps()).containsExactly("broken");
    }
  }

  private ControllerManager manager() {
    return ControllerManager.builder(cluster)
        .sources(
            app ->
                () ->
                    new DesiredState(
                        "rev-1",
                        ResourceSet.of(
                            Yaml.readResources(
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {APP: %1$s}\n"
                                    .formatted(app.name()),
                                "cm.yaml"))))
        .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
        .resyncPeriod(Duration.ofHours(1))
        .build();
  }

  @Test
  void theFeedAndEveryAppsOwnObjectShareOneWatchOfApplications() throws Exception {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    apply(application("shop", true));
    apply(application("cart", true));
    try (ControllerManager manager = manager()) {
      manager.start();
      eventually(WAIT, () -> data("shop").equals(Optional.of("shop")), "shop is synced");
      eventually(WAIT, () -> data("cart").equals(Optional.of("cart")), "cart is synced");
      assertThat(manager.apps()).containsExactlyInAnyOrder("shop", "cart");
      apply(application("pay", true));
      // waited for by its status, not by reading its ConfigMap (those reads are counted below)
      eventually(
          WAIT,
          () ->
              manager
                  .controller("pay")
                  .flatMap(ApplicationController::status)
                  .map(AppStatus::inSync)
                  .orElse(false),
          "a new object runs its app");
      assertThat(data("pay")).contains("pay");
      long watches =
          embedded.requests().stream()
              .filter(c -> c.verb() == Verb.WATCH && c.kind().equals("Application"))
              .count();
      assertThat(watches).isEqualTo(1);

      // a new app's missing ConfigMap: the cache vouches for its absence and that nothing at all
      // is at its key, so it is written without a read (no confirming GET, no applier's GET)
      List<RecordedCall> calls =
          embedded.requests().stream()
              .filter(c -> c.kind().equals("ConfigMap") && c.name().equals("pay"))
              .toList();
      int firstWrite = 0;
      while (firstWrite < calls.size() && !calls.get(firstWrite).verb().isWrite()) {
        firstWrite++;
      }
      assertThat(firstWrite).isLessThan(calls.size());
      assertThat(calls.subList(0, firstWrite))
          .as("the calls on the new app's ConfigMap: %s", calls)
          .isEmpty();
    }
  }
}

package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.ArgoCdConfigMap;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.internal.DefaultKubeCluster;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import io.glidepath.testkit.cluster.Verb;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ControllerManager}'s shared cache does not list or watch the kinds argocd-cm excludes,
 * and follows the ConfigMap when its exclusions change.
 */
class ControllerManagerExclusionsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String EXCLUDE_SECRETS = "- apiGroups: [\"\"]\n  kinds: [Secret]\n";
  private static final String EXCLUDE_SERVICE_ACCOUNTS =
      "- apiGroups: [\"\"]\n  kinds: [ServiceAccount]\n";

  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @BeforeEach
  void namespaces() {
    for (String ns : new String[] {"argocd", "shop"}) {
      cluster
          .client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private void putArgoCdCm(String exclusions) {
    cluster
        .client()
        .configMaps()
        .inNamespace("argocd")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("argocd-cm")
                .withNamespace("argocd")
                .endMetadata()
                .withData(Map.of("resource.exclusions", exclusions))
                .build())
        .createOr(c -> c.update());
  }

  private Set<String> listedOrWatched() {
    return embedded.requests().stream()
        .filter(c -> c.verb() == Verb.LIST || c.verb() == Verb.WATCH)
        .map(RecordedCall::kind)
        .collect(Collectors.toSet());
  }

  private Set<String> informerKinds() {
    return DefaultKubeCluster.cast(cluster).liveCache().watchedTypes().stream()
        .map(ResourceType::kind)
        .collect(Collectors.toSet());
  }

  @Test
  void excludedKindsAreNeitherListedNorWatchedAndTheInformersFollowTheConfigMap()
      throws InterruptedException {
    putArgoCdCm(EXCLUDE_SECRETS);
    Application app =
        Application.parse(
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
    ResourceSet desired =
        ResourceSet.of(
            Yaml.readResources(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n"
                    + "data: {mode: fast}\n",
                "desired.yaml"));
    try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm");
        ControllerManager manager =
            ControllerManager.builder(cluster)
                .sources(a -> () -> new DesiredState("rev-1", desired))
                .workers(1)
                .resyncPeriod(Duration.ofHours(1))
                .statusNamespace("default")
                .settings(cm::settings)
                .build()) {
      manager.start();
      ApplicationController controller = manager.put(app).orElseThrow();
      eventually(
          WAIT,
          () ->
              controller.status().map(AppStatus::inSync).orElse(false)
                  && cluster.get(new ResourceKey("", "ConfigMap", "shop", "settings")).isPresent(),
          () -> "synced: " + controller.status());

      assertThat(listedOrWatched())
          .contains("ConfigMap", "ServiceAccount")
          .doesNotContain("Secret");
      assertThat(informerKinds()).contains("ConfigMap", "ServiceAccount").doesNotContain("Secret");

      // the ConfigMap now excludes ServiceAccounts instead: the next reconcile moves the informers
      putArgoCdCm(EXCLUDE_SERVICE_ACCOUNTS);
      eventually(
          WAIT,
          () ->
              cm.settings()
                  .resourceFilter()
                  .isExcluded("", "ServiceAccount", "https://kubernetes.default.svc"),
          () -> "the new argocd-cm is read");
      controller.refresh();
      eventually(
          WAIT,
          () -> informerKinds().contains("Secret") && !informerKinds().contains("ServiceAccount"),
          () -> "informers follow the argocd-cm: " + informerKinds());
      assertThat(listedOrWatched()).contains("Secret");
      assertThat(controller.status().orElseThrow().inSync()).isTrue();
    }
  }
}

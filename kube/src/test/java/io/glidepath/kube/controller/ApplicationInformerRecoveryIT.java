package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import io.glidepath.testkit.cluster.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The shared Application informer is retried like the kinds' informers: an edit of the Application
 * object made while its watch had failed (a malformed event, which fabric8 by itself takes as
 * fatal) and its list was refused is followed once the list is allowed again, with the resync an
 * hour away.
 */
class ApplicationInformerRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void anEditOfTheApplicationObjectMadeWhileItsInformerWasDownIsFollowedWhenItListsAgain()
      throws Exception {
    try (EmbeddedCluster embedded = EmbeddedCluster.start();
        KubeCluster cluster =
            KubeCluster.connect(
                embedded.config(),
                new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)))) {
      cluster
          .client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
          .create();
      cluster.client().resource(appYaml()).inNamespace("argocd").create();
      DesiredState desired =
          new DesiredState(
              "rev-1",
              ResourceSet.of(
                  Yaml.readResources(
                      TradeServiceManifests.RENDERED.replace("trade-service", "shop"),
                      "shop.yaml")));
      try (ApplicationController controller =
          ApplicationController.builder(
                  Application.parse(appYaml(), "shop.yaml"), cluster, () -> desired)
              .resyncPeriod(Duration.ofHours(1))
              .projects(ProjectSource.of(Project.permissive("production")))
              .build()) {
        controller.start();
        eventually(
            WAIT,
            () -> status(cluster).at("/sync/status").asString("").equals("Synced"),
            () -> "shop is synced and its status written");

        embedded.inject(Fault.status(403).on(Verb.LIST, Verb.WATCH).forKinds("Application"));
        embedded.clearRequests();
        assertThat(embedded.sendToWatches("not json")).isPositive();
        eventually(
            WAIT,
            () ->
                embedded.requests().stream()
                    .anyMatch(
                        c ->
                            c.verb() == Verb.LIST
                                && c.kind().equals("Application")
                                && c.status() == 403),
            () -> "the Application informer lists again, refused");

        cluster
            .client()
            .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
            .inNamespace("argocd")
            .withName("shop")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager("kubectl-patch")
                    .build(),
                "{\"spec\":{\"ignoreDifferences\":[{\"group\":\"apps\",\"kind\":\"Deployment\","
                    + "\"jsonPointers\":[\"/spec/replicas\"]}]}}");
        embedded.clearFaults();

        eventually(
            WAIT,
            () -> status(cluster).at("/sync/comparedTo/ignoreDifferences").isArray(),
            () ->
                "the edit made while the informer was down is followed ("
                    + controller.status()
                    + ")");
      }
    }
  }

  private static String appYaml() throws IOException {
    try (InputStream in =
        ApplicationInformerRecoveryIT.class.getResourceAsStream("/argocd-app.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("  name: trade-service\n", "  name: shop\n")
          .replace("namespace: production", "namespace: shop")
          .replace("selfHeal: true", "selfHeal: false");
    }
  }

  private static JsonNode status(KubeCluster cluster) {
    return cluster
        .get(new ResourceKey("argoproj.io", "Application", "argocd", "shop"))
        .map(r -> r.body().path("status"))
        .orElse(Yaml.mapper().createObjectNode());
  }
}

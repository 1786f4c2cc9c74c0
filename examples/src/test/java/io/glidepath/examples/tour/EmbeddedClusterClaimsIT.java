package io.glidepath.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "What the EmbeddedCluster approximates" claims that testkit's own tests do not
 * exercise: finalizers, JSON patch, field selectors, Namespace deletion, and where its garbage
 * collection differs from the real collector.
 */
class EmbeddedClusterClaimsIT {
  private EmbeddedCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    cluster = EmbeddedCluster.start();
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private GenericKubernetesResource configMap(
      String namespace, String name, List<String> finalizers, List<OwnerReference> owners) {
    return client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace(namespace)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withFinalizers(finalizers)
                .withOwnerReferences(owners)
                .endMetadata()
                .withAdditionalProperties(Map.of("data", Map.of("k", "v")))
                .build())
        .create();
  }

  private GenericKubernetesResource get(String namespace, String name) {
    return client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private static OwnerReference ownedBy(GenericKubernetesResource owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("ConfigMap")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .build();
  }

  @Test
  void aFinalizerHoldsADeletedObjectUntilItIsRemoved() {
    configMap("default", "held", List.of("example.com/cleanup"), List.of());

    client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace("default")
        .withName("held")
        .delete();
    GenericKubernetesResource held = get("default", "held");
    assertThat(held).isNotNull();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();

    client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace("default")
        .withName("held")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"remove\", \"path\": \"/metadata/finalizers\"}]");
    assertThat(get("default", "held")).isNull();
  }

  @Test
  void jsonPatchAndFieldSelectorsWork() {
    configMap("default", "a", List.of(), List.of());
    configMap("default", "b", List.of(), List.of());

    client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace("default")
        .withName("a")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"replace\", \"path\": \"/data/k\", \"value\": \"patched\"}]");

    assertThat(get("default", "a").getAdditionalProperties().get("data"))
        .isEqualTo(Map.of("k", "patched"));
    assertThat(
            client
                .genericKubernetesResources("v1", "ConfigMap")
                .inNamespace("default")
                .withField("metadata.name", "b")
                .list()
                .getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("b");
  }

  @Test
  void deletingANamespaceDeletesItsObjectsAtOnce() {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("scratch")
                .endMetadata()
                .build())
        .create();
    configMap("scratch", "inside", List.of("example.com/cleanup"), List.of());

    client.namespaces().withName("scratch").delete();

    assertThat(client.namespaces().withName("scratch").get()).isNull();
    assertThat(get("scratch", "inside")).isNull(); // a real cluster waits for the finalizer
  }

  @Test
  void aDependentGoesWithTheFirstOfItsOwnersUnlikeTheRealCollector() {
    GenericKubernetesResource first = configMap("default", "owner-1", List.of(), List.of());
    GenericKubernetesResource second = configMap("default", "owner-2", List.of(), List.of());
    configMap("default", "dependent", List.of(), List.of(ownedBy(first), ownedBy(second)));

    client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace("default")
        .withName("owner-1")
        .delete();

    assertThat(get("default", "owner-2")).isNotNull();
    assertThat(get("default", "dependent")).isNull(); // the real collector keeps it: owner-2 lives
  }

  @Test
  void foregroundDeletionRemovesTheOwnerAndItsDependentsAtOnce() {
    GenericKubernetesResource owner = configMap("default", "owner", List.of(), List.of());
    configMap("default", "dependent", List.of(), List.of(ownedBy(owner)));

    client
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace("default")
        .withName("owner")
        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND)
        .delete();

    assertThat(get("default", "owner")).isNull(); // a real cluster keeps it until dependents go
    assertThat(get("default", "dependent")).isNull();
  }
}

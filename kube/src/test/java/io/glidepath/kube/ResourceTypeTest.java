package io.glidepath.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ResourceTypeTest {
  private static ResourceType deployments(List<String> verbs) {
    return new ResourceType("apps", "v1", "Deployment", "deployments", true, verbs);
  }

  @Test
  void equalTypesAreEqualAndHashAlike() {
    ResourceType a = deployments(List.of("get", "list", "watch"));
    ResourceType b = deployments(List.of("get", "list", "watch"));
    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void theHashLeavesOutTheVerbsButEqualityKeepsThem() {
    ResourceType all = deployments(List.of("create", "delete", "get", "list", "patch", "watch"));
    ResourceType readOnly = deployments(List.of("get"));
    assertThat(all.hashCode()).isEqualTo(readOnly.hashCode());
    assertThat(all).isNotEqualTo(readOnly);
  }

  @Test
  void theHashTellsKindsAndVersionsApart() {
    ResourceType deployments = deployments(List.of("get"));
    assertThat(new ResourceType("apps", "v1", "StatefulSet", "statefulsets", true, List.of("get")))
        .doesNotHaveSameHashCodeAs(deployments);
    assertThat(new ResourceType("apps", "v2", "Deployment", "deployments", true, List.of("get")))
        .doesNotHaveSameHashCodeAs(deployments);
    assertThat(new ResourceType("", "v1", "Deployment", "deployments", true, List.of("get")))
        .doesNotHaveSameHashCodeAs(deployments);
  }

  @Test
  void discoveryGivesEachKindTheSubresourcesListedForIt() {
    JsonNode list =
        Yaml.mapper()
            .readTree(
                """
                {"kind":"APIResourceList","groupVersion":"argoproj.io/v1alpha1","resources":[
                 {"name":"applications","kind":"Application","namespaced":true,
                  "verbs":["get","list","patch"]},
                 {"name":"applicationsets","kind":"ApplicationSet","namespaced":true,
                  "verbs":["get","list"]},
                 {"name":"applicationsets/status","kind":"ApplicationSet","namespaced":true,
                  "verbs":["get","patch","update"]},
                 {"name":"rollouts/scale","kind":"Scale","namespaced":true,"verbs":["get"]},
                 {"name":"rollouts","kind":"Rollout","namespaced":true,"verbs":["get"]},
                 {"name":"rollouts/status","kind":"Rollout","namespaced":true,"verbs":["get"]}]}
                """);

    List<ResourceType> types = ResourceType.fromDiscovery("argoproj.io", "v1alpha1", list);

    assertThat(types)
        .extracting(ResourceType::plural)
        .containsExactly("applications", "applicationsets", "rollouts");
    assertThat(types.get(0).subresources()).isEmpty();
    assertThat(types.get(0).hasStatusSubresource()).isFalse();
    assertThat(types.get(0).verbs()).containsExactly("get", "list", "patch");
    assertThat(types.get(1).subresources()).containsExactly("status");
    assertThat(types.get(2).subresources()).containsExactly("scale", "status");
    assertThat(types.get(2).hasStatusSubresource()).isTrue();
  }

  @Test
  void theStatusIsWrittenThroughTheSubresourceOnlyWhenTheTypeHasOne() {
    ResourceType applications =
        new ResourceType("argoproj.io", "v1alpha1", "Application", "applications", true, List.of());
    ResourceType deployments =
        new ResourceType(
            "apps", "v1", "Deployment", "deployments", true, List.of("get"), List.of("status"));
    ResourceType nodes =
        new ResourceType("", "v1", "Node", "nodes", false, List.of("get"), List.of("status"));

    assertThat(applications.statusPath("argocd", "shop"))
        .isEqualTo("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop");
    assertThat(deployments.statusPath("default", "web"))
        .isEqualTo("/apis/apps/v1/namespaces/default/deployments/web/status");
    assertThat(nodes.statusPath("", "n1")).isEqualTo("/api/v1/nodes/n1/status");
  }

  @Test
  void typesThatDifferOnlyInSubresourcesHashAlikeButAreNotEqual() {
    ResourceType without = deployments(List.of("get"));
    ResourceType with =
        new ResourceType(
            "apps", "v1", "Deployment", "deployments", true, List.of("get"), List.of("status"));
    assertThat(without.subresources()).isEmpty();
    assertThat(with.hashCode()).isEqualTo(without.hashCode());
    assertThat(with).isNotEqualTo(without);
  }
}

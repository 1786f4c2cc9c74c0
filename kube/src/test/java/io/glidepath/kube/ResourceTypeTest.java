package io.glidepath.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}

package io.glidepath.kube.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

class ApplicationObjectStatusTest {
  private static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: production
        annotations: {glidepath.io/tracking-id: "shop:/ConfigMap:production/settings"}
      data: {level: info}
      """;
  private static final String SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: production}
      spec:
        ports: [{port: 80}]
      """;

  @Test
  void aResourceOnlyTheClusterHasIsListedAsRequiringPruningAndAMissingOneAsMissing() {
    ResourceSet desired = ResourceSet.of(Yaml.readResources(SERVICE, "git.yaml"));
    ResourceSet live = ResourceSet.of(Yaml.readResources(CONFIG_MAP, "live.yaml"));

    DriftReport drift = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);
    ArrayNode resources =
        ApplicationObjectStatus.resources(
            drift, ApplicationObjectStatus.health(drift, HealthAssessor.ofDefaults()));

    assertThat(resources).hasSize(2);
    JsonNode service = find(resources, "web");
    assertThat(service.path("status").asString()).isEqualTo("OutOfSync");
    assertThat(service.at("/health/status").asString()).isEqualTo("Missing");
    assertThat(service.path("version").asString()).isEqualTo("v1");
    assertThat(service.has("requiresPruning")).isFalse();
    JsonNode configMap = find(resources, "settings");
    assertThat(configMap.path("status").asString()).isEqualTo("OutOfSync");
    assertThat(configMap.path("requiresPruning").asBoolean()).isTrue();
    assertThat(configMap.has("health")).isFalse();
  }

  private static JsonNode find(ArrayNode resources, String name) {
    for (JsonNode r : resources) {
      if (r.path("name").asString().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no " + name + " in " + resources);
  }
}

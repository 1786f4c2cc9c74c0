package io.glidepath.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The argocd-cm in the cluster, followed as it changes. */
class ArgoCdConfigMapIT {
  private static final String KEY = "resource.customizations.health.example.com_Widget";
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final Resource widget =
      Yaml.readResources(
              "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", "w.yaml")
          .get(0);

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  /** Each script answers Degraded with its own source as message (no Lua engine needed here). */
  private static HealthAssessor build(io.glidepath.core.argocd.ArgoCdSettings settings) {
    return HealthAssessor.builder()
        .argoCdSettings(settings)
        .scriptEngine(script -> live -> Health.of(HealthStatus.DEGRADED, script.source()))
        .build();
  }

  private void put(Map<String, String> data) {
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
                .withData(data)
                .build())
        .createOr(c -> c.update());
  }

  @Test
  void theAssessorFollowsTheConfigMapAndKeepsTheLastGoodSettings() throws Exception {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    put(Map.of(KEY, "v1"));
    try (ArgoCdConfigMap cm =
        ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm", ArgoCdConfigMapIT::build)) {
      HealthAssessor assessor = cm.assessor();
      assertThat(assessor.assess(widget)).contains(Health.of(HealthStatus.DEGRADED, "v1"));

      put(Map.of(KEY, "v2"));
      Fixtures.eventually(
          Duration.ofSeconds(10),
          () -> assessor.assess(widget).map(Health::message).orElse("").equals("v2"),
          "the changed script");

      put(Map.of(KEY, "v3", "resource.customizations.useOpenLibs.example.com_Widget", "maybe"));
      Fixtures.eventually(Duration.ofSeconds(10), () -> cm.lastError().isPresent(), "the refusal");
      assertThat(cm.lastError().orElseThrow().getMessage()).contains("useOpenLibs");
      assertThat(assessor.assess(widget)).contains(Health.of(HealthStatus.DEGRADED, "v2"));

      cluster.client().configMaps().inNamespace("argocd").withName("argocd-cm").delete();
      Fixtures.eventually(
          Duration.ofSeconds(10), () -> assessor.assess(widget).isEmpty(), "no settings");
    }
  }
}

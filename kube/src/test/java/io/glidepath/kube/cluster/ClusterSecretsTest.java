package io.glidepath.kube.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.ApplicationDestination;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSecretsTest {
  private static Resource secret(String stringData) {
    return Yaml.readResources(
            "apiVersion: v1\n"
                + "kind: Secret\n"
                + "metadata:\n"
                + "  name: prod-eu\n"
                + "  namespace: argocd\n"
                + "  labels: {argocd.argoproj.io/secret-type: cluster, env: prod}\n"
                + "  annotations: {team: payments}\n"
                + "type: Opaque\n"
                + "stringData:\n"
                + stringData,
            "prod-eu.yaml")
        .get(0);
  }

  @Test
  void readsNameServerNamespacesLabelsAndCredentialsWithoutPrintingThem() {
    RegisteredCluster c =
        ClusterSecrets.read(
            secret(
                "  name: prod-eu\n"
                    + "  server: https://prod-eu.example:6443\n"
                    + "  namespaces: trade, payments\n"
                    + "  clusterResources: \"true\"\n"
                    + "  project: production\n"
                    + "  config: '{\"bearerToken\":\"s3cr3t-token\",\"tlsClientConfig\":"
                    + "{\"insecure\":false,\"caData\":\"Q0E=\"}}'\n"));
    assertThat(c.name()).isEqualTo("prod-eu");
    assertThat(c.server()).isEqualTo("https://prod-eu.example:6443");
    assertThat(c.namespaces()).containsExactly("trade", "payments");
    assertThat(c.clusterResources()).isTrue();
    assertThat(c.project()).isEqualTo("production");
    assertThat(c.labels()).containsEntry("env", "prod");
    assertThat(c.annotations()).containsEntry("team", "payments");
    assertThat(c.credentials().bearerToken()).contains("s3cr3t-token");
    assertThat(c.managesNamespace("trade")).isTrue();
    assertThat(c.managesNamespace("default")).isFalse();
    assertThat(c.toString()).doesNotContain("s3cr3t");
    assertThat(c.credentials().toString()).doesNotContain("s3cr3t").contains("<redacted>");
  }

  @Test
  void refusesExecProviderConfigAndUnknownKeysNamingTheKeyNotTheValue() {
    assertThatThrownBy(
            () ->
                ClusterSecrets.read(
                    secret(
                        "  name: x\n  server: https://x\n  config: '{\"execProviderConfig\":"
                            + "{\"command\":\"argocd-k8s-auth\"}}'\n")))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("Secret argocd/prod-eu")
        .hasMessageContaining("config.execProviderConfig")
        .hasMessageNotContaining("argocd-k8s-auth");
    assertThatThrownBy(() -> ClusterSecrets.read(secret("  server: https://x\n  tokn: s3cr3t\n")))
        .hasMessageContaining("data.tokn")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(
            () ->
                ClusterSecrets.read(
                    secret("  server: https://x\n  config: '{\"bearerToken\": s3cr3t'\n")))
        .hasMessageContaining("data.config")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> ClusterSecrets.read(secret("  name: x\n")))
        .hasMessageContaining("data.server: is required");
  }

  @Test
  void resolvesDestinationsAsArgoCdDoesWithItsMessages() {
    try (ClusterRegistry r =
        ClusterRegistry.builder()
            .secret(secret("  name: prod-eu\n  server: https://prod-eu.example:6443\n"))
            .build()) {
      assertThat(
              r.resolve(
                      new ApplicationDestination(Optional.empty(), Optional.of("prod-eu"), "trade"),
                      "app")
                  .cluster()
                  .server())
          .isEqualTo("https://prod-eu.example:6443");
      assertThat(
              r.resolve(
                      new ApplicationDestination(
                          Optional.of("https://prod-eu.example:6443/"), Optional.empty(), ""),
                      "app")
                  .cluster()
                  .name())
          .isEqualTo("prod-eu");
      assertThatThrownBy(
              () ->
                  r.resolve(
                      new ApplicationDestination(Optional.empty(), Optional.of("nope"), ""),
                      "trade"))
          .isInstanceOf(UnknownClusterException.class)
          .hasMessage(
              "Application destination spec for trade is invalid: unable to find destination"
                  + " server: there are no clusters with this name: nope");
      assertThatThrownBy(() -> r.resolve(ApplicationDestination.inCluster("x"), "trade"))
          .hasMessage("cluster 'https://kubernetes.default.svc' has not been configured");
      assertThatThrownBy(
              () ->
                  r.resolve(
                      new ApplicationDestination(
                          Optional.of("https://other"), Optional.of("prod-eu"), ""),
                      "trade"))
          .hasMessage(
              "application destination can't have both name and server defined: prod-eu"
                  + " https://other");
    }
  }
}

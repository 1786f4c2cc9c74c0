package io.glidepath.kube.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterRepoCredentialsIT {
  private final EmbeddedCluster embedded = EmbeddedCluster.start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  @Test
  void readsTheRepositorySecretsAndConfigMapsOfArgoCdsNamespace() {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster
        .client()
        .resource(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: charts
              namespace: argocd
              labels: {argocd.argoproj.io/secret-type: repository}
            stringData: {url: "https://charts.example.com", username: ci, password: pw-in-cluster}
            """)
        .create();
    cluster
        .client()
        .resource(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: unrelated
              namespace: argocd
            stringData: {url: "https://nothing.example.com", whatever: x}
            """)
        .create();
    cluster
        .client()
        .resource(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: argocd-ssh-known-hosts-cm, namespace: argocd}
            data: {ssh_known_hosts: "git.example.com ssh-ed25519 AAAA"}
            """)
        .create();

    RepoCredentialStore store = ClusterRepoCredentials.read(cluster, "argocd");

    RepoCredentials c = store.find("https://charts.example.com/").orElseThrow();
    assertThat(c.password()).contains("pw-in-cluster");
    assertThat(c.source()).isEqualTo("secret argocd/charts");
    assertThat(store.find("https://nothing.example.com")).isEmpty();
    assertThat(store.sshKnownHosts()).startsWith("git.example.com");
    assertThat(store.toString()).doesNotContain("pw-in-cluster");
  }
}

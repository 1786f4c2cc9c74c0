package io.glidepath.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.yaml.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RepoCredentialStoreTest {
  private static RepoCredentialStore store(String yaml) {
    return RepoCredentialStore.of(Yaml.readResources(yaml, "argocd.yaml"));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static final String CONFIG =
      """
      apiVersion: v1
      kind: Secret
      metadata:
        name: charts
        namespace: argocd
        labels: {argocd.argoproj.io/secret-type: repository}
      stringData:
        type: helm
        name: team-charts
        url: https://charts.example.com/team
        username: ci
        password: s3cret-pass
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: org-template
        namespace: argocd
        labels: {argocd.argoproj.io/secret-type: repo-creds}
      data:
        url: %s
        bearerToken: %s
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: org-git-template
        namespace: argocd
        labels: {argocd.argoproj.io/secret-type: repo-creds}
      stringData:
        url: https://git.example.com/org/platform
        username: deploy
        password: deeper-pass
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: registry
        namespace: argocd
        labels: {argocd.argoproj.io/secret-type: repository}
      stringData:
        url: registry.example.com/charts
        enableOCI: "true"
        type: helm
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: a-cluster
        namespace: argocd
        labels: {argocd.argoproj.io/secret-type: cluster}
      stringData: {server: https://k8s.example.com, config: "{}"}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: argocd-tls-certs-cm, namespace: argocd}
      data:
        charts.example.com: |
          -----BEGIN CERTIFICATE-----
          MIIB
          -----END CERTIFICATE-----
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: argocd-ssh-known-hosts-cm, namespace: argocd}
      data:
        ssh_known_hosts: |
          git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
      """
          .formatted(b64("https://git.example.com/org"), b64("t0ken-value"));

  @Test
  void findsTheRepositorySecretIgnoringCaseTrailingSlashAndGitSuffix() {
    RepoCredentialStore s = store(CONFIG);
    RepoCredentials c = s.find("https://Charts.example.com/team/").orElseThrow();
    assertThat(c.username()).contains("ci");
    assertThat(c.password()).contains("s3cret-pass");
    assertThat(c.name()).contains("team-charts");
    assertThat(c.source()).isEqualTo("secret argocd/charts");
    assertThat(c.template()).isFalse();
  }

  @Test
  void usesTheLongestMatchingTemplateForOtherRepositories() {
    RepoCredentialStore s = store(CONFIG);
    RepoCredentials broad = s.find("https://git.example.com/org/payments.git").orElseThrow();
    assertThat(broad.bearerToken()).contains("t0ken-value");
    assertThat(broad.url()).isEqualTo("https://git.example.com/org/payments.git");
    RepoCredentials narrow = s.find("https://git.example.com/org/platform/infra").orElseThrow();
    assertThat(narrow.username()).contains("deploy");
    assertThat(s.find("https://elsewhere.example.com/x")).isEmpty();
  }

  @Test
  void matchesOciRepositoriesWithOrWithoutTheScheme() {
    RepoCredentials c = store(CONFIG).find("oci://registry.example.com/charts").orElseThrow();
    assertThat(c.enableOci()).isTrue();
  }

  @Test
  void readsCaCertificatesAndKnownHosts() {
    RepoCredentialStore s = store(CONFIG);
    assertThat(s.tlsCertificates("charts.example.com"))
        .hasValueSatisfying(v -> v.contains("BEGIN"));
    assertThat(s.tlsCertificates("other.example.com")).isEmpty();
    assertThat(s.sshKnownHosts()).startsWith("git.example.com ssh-ed25519");
    assertThat(s.repositories()).hasSize(2);
  }

  @Test
  void neverShowsASecretValue() {
    RepoCredentialStore s = store(CONFIG);
    String shown =
        s.find("https://charts.example.com/team").orElseThrow()
            + " "
            + s.find("https://git.example.com/org/x").orElseThrow()
            + " "
            + s;
    assertThat(shown).doesNotContain("s3cret-pass").doesNotContain("t0ken-value").contains("***");
  }

  @Test
  void refusesFieldsItCannotHonourNamingSecretAndField() {
    String github =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: gh
          namespace: argocd
          labels: {argocd.argoproj.io/secret-type: repo-creds}
        stringData:
          url: https://github.com/org
          githubAppID: "1"
          githubAppPrivateKey: very-private
        """;
    assertThatThrownBy(() -> store(github))
        .isInstanceOf(RepoCredentialsException.class)
        .hasMessageContaining("secret argocd/gh")
        .hasMessageContaining("githubApp")
        .hasMessageNotContaining("very-private");
    assertThatThrownBy(() -> store(github.replace("githubAppID: \"1\"", "passwrd: x")))
        .isInstanceOf(RepoCredentialsException.class)
        .hasMessageContaining("passwrd");
  }

  @Test
  void refusesASecretWithoutUrlOrWithABadFlag() {
    String noUrl =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: broken
          labels: {argocd.argoproj.io/secret-type: repository}
        stringData: {url: "https://x.example.com", username: u, insecure: "maybe"}
        """;
    assertThatThrownBy(() -> store(noUrl))
        .isInstanceOf(RepoCredentialsException.class)
        .hasMessageContaining("insecure");
    assertThatThrownBy(() -> store(noUrl.replace("url: \"https://x.example.com\", ", "")))
        .isInstanceOf(RepoCredentialsException.class)
        .hasMessageContaining("url: is required");
  }
}

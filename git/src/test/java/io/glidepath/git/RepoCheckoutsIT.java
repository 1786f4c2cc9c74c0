package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RepoCheckouts} over SSH with Argo CD's repository Secrets: the key of a {@code repo-creds}
 * template, the host checked against {@code argocd-ssh-known-hosts-cm}.
 */
class RepoCheckoutsIT {
  static LocalGitServer git;
  static SshGitServer ssh;
  static KeyPair clientKey;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    git = GitTestSupport.startServer();
    git.seed("gitops", GitTestSupport.seedGitopsRepo(Files.createTempDirectory("seed")), "initial");
    clientKey = SshGitServer.newKeyPair();
    ssh = SshGitServer.start(git.baseDirectory(), clientKey.getPublic());
  }

  @AfterAll
  static void stop() throws Exception {
    if (ssh != null) {
      ssh.close();
    }
    if (git != null) {
      git.close();
    }
  }

  private static String indent(String text) {
    return text.lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
  }

  /** A repo-creds template for every repository of the SSH server, and maybe its known hosts. */
  private static RepoCredentialStore store(String key, String knownHosts) {
    String prefix = "ssh://git@127.0.0.1:" + ssh.port() + "/";
    String text =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: ssh-server
          namespace: argocd
          labels: {argocd.argoproj.io/secret-type: repo-creds}
        stringData:
          url: %s
          sshPrivateKey: |
        %s
        """
            .formatted(prefix, indent(key));
    if (knownHosts != null) {
      text +=
          """
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: argocd-ssh-known-hosts-cm, namespace: argocd}
          data:
            ssh_known_hosts: |
          %s
          """
              .formatted(indent(knownHosts));
    }
    return RepoCredentialStore.of(Yaml.readResources(text, "repos.yaml"));
  }

  @Test
  void checksOutOverSshWithTheTemplatesKeyAndTheKnownHostsConfigMap() throws Exception {
    String url = ssh.url(git.repoDir("gitops"));
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      RepoCheckouts checkouts =
          RepoCheckouts.of(
              cache, store(SshCredentialsIT.openSsh(clientKey, null), ssh.knownHosts()));

      assertThat(checkouts.resolve(url, "main")).isEqualTo(git.head("gitops", "main"));
      try (GitCheckouts.Checkout c = checkouts.checkout(url, "main")) {
        assertThat(c.revision()).isEqualTo(git.head("gitops", "main"));
        assertThat(c.root().resolve("apps/trade-service/values.yaml")).exists();
      }
    }
  }

  @Test
  void aHostMissingFromTheKnownHostsIsRefusedWithoutShowingTheKey() throws Exception {
    String key = SshCredentialsIT.openSsh(clientKey, null);
    String url = ssh.url(git.repoDir("gitops"));
    String otherHost =
        "[127.0.0.1]:"
            + ssh.port()
            + " "
            + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                SshGitServer.newKeyPair().getPublic())
            + "\n";
    String keyBody = key.lines().skip(1).findFirst().orElseThrow();
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      for (String knownHosts : new String[] {null, otherHost}) {
        RepoCheckouts checkouts = RepoCheckouts.of(cache, store(key, knownHosts));
        assertThatThrownBy(() -> checkouts.resolve(url, "main"))
            .isInstanceOf(GitException.class)
            .satisfies(e -> assertThat(e.toString()).doesNotContain(keyBody));
      }
    }
  }

  @Test
  void refusesGitSettingsItCannotHonourNamingTheSecret() throws Exception {
    String url = git.httpUrl("gitops");
    RepoCredentialStore store =
        RepoCredentialStore.of(
            Yaml.readResources(
                """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: git-token
                  namespace: argocd
                  labels: {argocd.argoproj.io/secret-type: repository}
                stringData:
                  url: %s
                  bearerToken: t0p-secret
                """
                    .formatted(url),
                "repos.yaml"));
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      assertThatThrownBy(() -> RepoCheckouts.of(cache, store).resolve(url, "main"))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("git-token")
          .hasMessageContaining("bearerToken is not supported")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t0p-secret"));
    }
  }
}

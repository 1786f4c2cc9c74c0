package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GitRemoteTest {
  @Test
  void credentialsInAnHttpsUrlMoveOutOfTheUrl() {
    GitRemote remote =
        GitRemote.of("https://x-access-token:t%2Fok@git.example.com/org/gitops-configs.git");

    assertThat(remote.url()).isEqualTo("https://git.example.com/org/gitops-configs.git");
    assertThat(remote.credentials()).isEqualTo(GitCredentials.httpsToken("x-access-token", "t/ok"));
    assertThat(remote.toString()).doesNotContain("t/ok").doesNotContain("t%2Fok");
    assertThat(remote.credentials().toString()).doesNotContain("t/ok");
  }

  @Test
  void aBareTokenAsUserNameBecomesTheToken() {
    GitRemote remote = GitRemote.of("https://ghp_abc123@github.example/org/r.git");
    assertThat(remote.credentials())
        .isEqualTo(GitCredentials.httpsToken("x-access-token", "ghp_abc123"));
  }

  @Test
  void explicitCredentialsWinAndSshUsersStay() {
    GitRemote remote =
        GitRemote.of("https://user:old@h/r.git", GitCredentials.httpsToken("bot", "new-token"));
    assertThat(remote.url()).isEqualTo("https://h/r.git");
    assertThat(remote.credentials()).isEqualTo(GitCredentials.httpsToken("bot", "new-token"));
    assertThat(GitRemote.of("ssh://git@h/r.git").url()).isEqualTo("ssh://git@h/r.git");
  }

  @Test
  void aRawAtSignInAPasswordStaysInThePassword() {
    GitRemote remote = GitRemote.of("https://bot:p@ss@git.example.com/org/r.git");

    assertThat(remote.url()).isEqualTo("https://git.example.com/org/r.git");
    assertThat(remote.credentials()).isEqualTo(GitCredentials.httpsToken("bot", "p@ss"));
    assertThat(GitRemote.of("https://git.example.com/org/r@v1").url())
        .isEqualTo("https://git.example.com/org/r@v1");
  }

  @Test
  void anSshPasswordNeverReachesTheToStringOrAGitException() {
    GitRemote remote = GitRemote.of("ssh://git:hunter2@git.example.com:2222/org/r.git");

    assertThat(remote.toString()).doesNotContain("hunter2").contains("ssh://git:***@");
    GitException e =
        new GitException(remote.url(), "fetch of " + remote.url() + " failed: auth fail");
    assertThat(e.getMessage()).doesNotContain("hunter2").contains("ssh://git:***@git.example.com");
    assertThat(e.repository()).doesNotContain("hunter2");
  }

  @Test
  void sshKeysMustComeWithKnownHostsUnlessExplicitlyInsecure() {
    String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";
    assertThatThrownBy(() -> GitCredentials.sshKey(key, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("knownHosts");
    assertThatThrownBy(() -> GitCredentials.sshKey("not a key", "h ssh-ed25519 AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("not a key");
    assertThat(
            new GitCredentials.SshKey(key, java.util.Optional.empty(), "", true).acceptAnyHostKey())
        .isTrue();
  }
}

package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.git.GitCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GitCredentialOptionsTest {
  @TempDir Path dir;

  private static GitCredentialOptions parse(String... args) {
    GitCredentialOptions options = new GitCredentialOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void noOptionMeansNoCredentials() throws Exception {
    assertThat(parse().credentials()).isInstanceOf(GitCredentials.None.class);
  }

  @Test
  void anSshKeyWithItsKnownHostsIsAnSshCredentialThatNeverPrintsTheKey() throws Exception {
    Path key =
        Files.writeString(dir.resolve("id"), "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n");
    Path hosts =
        Files.writeString(dir.resolve("known_hosts"), "git.example.com ssh-ed25519 AAAA\n");
    GitCredentials c =
        parse("--ssh-key", key.toString(), "--known-hosts", hosts.toString()).credentials();
    assertThat(c).isInstanceOf(GitCredentials.SshKey.class);
    assertThat(c.toString()).doesNotContain("secret");
  }

  @Test
  void anSshKeyWithoutKnownHostsIsRefused() {
    assertThatThrownBy(() -> parse("--ssh-key", "id").credentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--ssh-key needs --known-hosts");
  }

  @Test
  void knownHostsWithoutAKeyIsRefusedRatherThanIgnored() {
    assertThatThrownBy(() -> parse("--known-hosts", "kh").credentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need --ssh-key");
  }

  @Test
  void aTokenVariableThatIsNotSetIsNamedInTheError() {
    assertThatThrownBy(
            () -> parse("--token-env", "GLIDEPATH_TEST_SURELY_UNSET_VARIABLE").credentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable GLIDEPATH_TEST_SURELY_UNSET_VARIABLE is not set");
  }

  @Test
  void aKeyAndATokenTogetherAreRefused() throws Exception {
    Path key = Files.writeString(dir.resolve("id"), "k");
    Path hosts = Files.writeString(dir.resolve("known_hosts"), "h");
    assertThatThrownBy(
            () ->
                parse(
                        "--ssh-key",
                        key.toString(),
                        "--known-hosts",
                        hosts.toString(),
                        "--token-env",
                        "X")
                    .credentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
  }
}

package io.glidepath.cli;

import io.glidepath.git.GitCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The credential options of every command that talks to a Git remote ({@code set-image}, {@code
 * backfill}, {@code sync}): an HTTPS token read from an environment variable, or an SSH key with
 * its known_hosts. Secrets are read from files and the environment, never from the command line,
 * and never printed.
 */
final class GitCredentialOptions {
  @Option(
      names = "--username",
      defaultValue = "x-access-token",
      description = "HTTPS user name for --token-env (default ${DEFAULT-VALUE}).")
  String username;

  @Option(
      names = "--token-env",
      paramLabel = "VAR",
      description = "Environment variable holding the HTTPS token.")
  String tokenEnv;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH private key file.")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts for --ssh-key.")
  Path knownHosts;

  @Option(
      names = "--passphrase-env",
      paramLabel = "VAR",
      description = "Environment variable holding the SSH key's passphrase.")
  String passphraseEnv;

  /** Whether any credential option is given ({@code --username} alone counts as none). */
  boolean given() {
    return tokenEnv != null || sshKey != null || knownHosts != null || passphraseEnv != null;
  }

  /** The credentials the options name; {@link GitCredentials#none()} when none is given. */
  GitCredentials credentials() throws IOException {
    if (sshKey != null) {
      if (knownHosts == null) {
        throw new IllegalArgumentException("--ssh-key needs --known-hosts");
      }
      if (tokenEnv != null) {
        throw new IllegalArgumentException("give --ssh-key or --token-env, not both");
      }
      GitCredentials.SshKey key =
          GitCredentials.sshKey(Files.readString(sshKey), Files.readString(knownHosts));
      return passphraseEnv == null ? key : key.withPassphrase(env(passphraseEnv));
    }
    if (passphraseEnv != null || knownHosts != null) {
      throw new IllegalArgumentException("--known-hosts and --passphrase-env need --ssh-key");
    }
    if (tokenEnv != null) {
      return GitCredentials.httpsToken(username, env(tokenEnv));
    }
    return GitCredentials.none();
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return v;
  }
}

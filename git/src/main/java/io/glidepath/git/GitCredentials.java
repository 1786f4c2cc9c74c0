package io.glidepath.git;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * How to authenticate to a remote: nothing, an HTTPS user name and token (or password), or an SSH
 * private key (used through JGit's Apache MINA SSHD transport).
 *
 * <pre>{@code
 * GitCredentials.httpsToken("x-access-token", System.getenv("GITOPS_TOKEN"));
 * GitCredentials.sshKey(Files.readString(keyFile), Files.readString(knownHostsFile));
 * }</pre>
 *
 * <p>{@code toString()} never shows a token, a key or a passphrase. Immutable and thread-safe.
 */
public sealed interface GitCredentials
    permits GitCredentials.None, GitCredentials.HttpsToken, GitCredentials.SshKey {

  /** No credentials: public repositories, {@code git://} and {@code file://}. */
  static GitCredentials none() {
    return None.INSTANCE;
  }

  /** An HTTPS user name (e.g. {@code x-access-token} or {@code oauth2}) and its token. */
  static GitCredentials httpsToken(String username, String token) {
    return new HttpsToken(username, token);
  }

  /**
   * An SSH private key (OpenSSH or PEM text) checked against {@code knownHosts} (the text of a
   * {@code known_hosts} file; an unknown or changed host key is refused).
   */
  static SshKey sshKey(String privateKey, String knownHosts) {
    return new SshKey(privateKey, Optional.empty(), knownHosts, false);
  }

  /** No credentials. */
  enum None implements GitCredentials {
    INSTANCE;

    @Override
    public String toString() {
      return "GitCredentials.None";
    }
  }

  /**
   * A user name and a token for HTTPS.
   *
   * @param username shown in {@code toString()}
   * @param token never shown
   */
  record HttpsToken(String username, String token) implements GitCredentials {
    public HttpsToken {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(token, "token");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token must not be empty");
      }
    }

    @Override
    public String toString() {
      return "HttpsToken[username=" + username + ", token=***]";
    }
  }

  /**
   * An SSH private key.
   *
   * @param privateKey the key file's text (OpenSSH or PEM); never shown
   * @param passphrase the key's passphrase when it is encrypted; never shown
   * @param knownHosts the text of a {@code known_hosts} file the server key must appear in
   * @param acceptAnyHostKey accept every server key without checking (tests only: it allows a
   *     man-in-the-middle)
   */
  record SshKey(
      String privateKey, Optional<String> passphrase, String knownHosts, boolean acceptAnyHostKey)
      implements GitCredentials {
    public SshKey {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(passphrase, "passphrase");
      Objects.requireNonNull(knownHosts, "knownHosts");
      if (!privateKey.contains("PRIVATE KEY")) {
        throw new IllegalArgumentException(
            "privateKey must be an OpenSSH or PEM private key, but has no PRIVATE KEY header");
      }
      if (knownHosts.isBlank() && !acceptAnyHostKey) {
        throw new IllegalArgumentException(
            "knownHosts must list the server's host key, but was empty"
                + " (use acceptingAnyHostKey() only in tests)");
      }
    }

    /** This key, decrypted with {@code passphrase}. */
    public SshKey withPassphrase(String passphrase) {
      return new SshKey(privateKey, Optional.of(passphrase), knownHosts, acceptAnyHostKey);
    }

    /** This key, accepting any server host key (tests only). */
    public SshKey acceptingAnyHostKey() {
      return new SshKey(privateKey, passphrase, knownHosts, true);
    }

    /** The key as bytes, for the transport. */
    public byte[] privateKeyBytes() {
      return privateKey.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "SshKey[privateKey=***, passphrase="
          + (passphrase.isPresent() ? "***" : "none")
          + ", acceptAnyHostKey="
          + acceptAnyHostKey
          + "]";
    }
  }
}

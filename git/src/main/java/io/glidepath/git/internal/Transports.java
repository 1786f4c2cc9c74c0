package io.glidepath.git.internal;

import io.glidepath.git.GitCredentials;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Applies {@link GitCredentials} to JGit commands: a user name/password provider for HTTPS, an
 * Apache MINA SSHD session factory with the key held in memory for SSH.
 *
 * <p>The SSH factory reads no file of the user's {@code ~/.ssh}: its home and SSH directories are a
 * private directory holding only the {@code known_hosts} given in the credentials and a config that
 * enforces strict host key checking.
 */
public final class Transports implements AutoCloseable {
  private final GitCredentials credentials;
  private final SshdSessionFactory sshFactory;

  private Transports(GitCredentials credentials, SshdSessionFactory sshFactory) {
    this.credentials = credentials;
    this.sshFactory = sshFactory;
  }

  /**
   * Transports for {@code credentials}; SSH state (known hosts, config) goes to {@code sshDir},
   * created when needed.
   */
  public static Transports of(GitCredentials credentials, Path sshDir) {
    if (credentials instanceof GitCredentials.SshKey key) {
      return new Transports(credentials, sshFactory(key, sshDir));
    }
    return new Transports(credentials, null);
  }

  /** Configures {@code command} with these credentials. */
  public <C extends TransportCommand<C, ?>> C apply(C command) {
    if (credentials instanceof GitCredentials.HttpsToken t) {
      command.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(t.username(), t.token()));
    }
    if (sshFactory != null) {
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport ssh) {
              ssh.setSshSessionFactory(sshFactory);
            }
          });
    }
    return command;
  }

  @Override
  public void close() {
    if (sshFactory != null) {
      sshFactory.close();
    }
  }

  private static SshdSessionFactory sshFactory(GitCredentials.SshKey key, Path sshDir) {
    List<KeyPair> keys = loadKeys(key);
    try {
      Files.createDirectories(sshDir);
      Path knownHosts = sshDir.resolve("known_hosts");
      Files.writeString(knownHosts, key.knownHosts());
      Files.writeString(
          sshDir.resolve("config"),
          "Host *\n"
              + "  StrictHostKeyChecking yes\n"
              + "  UserKnownHostsFile "
              + knownHosts
              + "\n"
              + "  PreferredAuthentications publickey\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the SSH directory " + sshDir, e);
    }
    SshdSessionFactoryBuilder builder =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(sshDir.toFile())
            .setSshDirectory(sshDir.toFile())
            .setPreferredAuthentications("publickey")
            .setDefaultKeysProvider((File dir) -> keys);
    if (key.acceptAnyHostKey()) {
      builder.setServerKeyDatabase((home, dir) -> new AcceptAll());
    }
    return builder.build(new JGitKeyCache());
  }

  private static List<KeyPair> loadKeys(GitCredentials.SshKey key) {
    FilePasswordProvider passwords =
        key.passphrase().isPresent()
            ? FilePasswordProvider.of(key.passphrase().get())
            : FilePasswordProvider.EMPTY;
    try (InputStream in = new ByteArrayInputStream(key.privateKeyBytes())) {
      Iterable<KeyPair> loaded =
          SecurityUtils.loadKeyPairIdentities(
              null, NamedResource.ofName("glidepath-ssh-key"), in, passwords);
      List<KeyPair> keys = new ArrayList<>();
      if (loaded != null) {
        loaded.forEach(keys::add);
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("privateKey holds no key pair");
      }
      return List.copyOf(keys);
    } catch (IOException | GeneralSecurityException e) {
      // the key's text must not travel in the cause: name only the failure's kind
      throw new IllegalArgumentException(
          "privateKey cannot be read ("
              + e.getClass().getSimpleName()
              + ")"
              + (key.passphrase().isEmpty() ? "; is it encrypted without a passphrase?" : ""));
    }
  }

  /** Accepts every server key (tests only, by explicit choice of the credentials). */
  private static final class AcceptAll implements ServerKeyDatabase {
    @Override
    public List<java.security.PublicKey> lookup(
        String connectAddress,
        java.net.InetSocketAddress remoteAddress,
        ServerKeyDatabase.Configuration config) {
      return List.of();
    }

    @Override
    public boolean accept(
        String connectAddress,
        java.net.InetSocketAddress remoteAddress,
        java.security.PublicKey serverKey,
        ServerKeyDatabase.Configuration config,
        org.eclipse.jgit.transport.CredentialsProvider provider) {
      return true;
    }
  }
}

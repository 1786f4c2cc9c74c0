package io.glidepath.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.git.writeback.GitWriteBack;
import io.glidepath.git.writeback.WriteBackResult;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshCredentialsIT {
  static LocalGitServer git;
  static SshGitServer ssh;
  static KeyPair clientKey;
  static String head;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    git = GitTestSupport.startServer();
    head =
        git.seed(
            "gitops",
            GitTestSupport.seedGitopsRepo(java.nio.file.Files.createTempDirectory("seed")),
            "initial");
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

  static String openSsh(KeyPair key, String passphrase) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setCipherName("AES");
      encryption.setCipherMode("CTR");
      encryption.setCipherType("256");
      encryption.setPassword(passphrase);
    }
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", encryption, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void fetchesAndPushesWithAKeyCheckedAgainstKnownHosts() throws Exception {
    GitCredentials creds = GitCredentials.sshKey(openSsh(clientKey, null), ssh.knownHosts());
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(GitRemote.of(ssh.url(git.repoDir("gitops")), creds));

      assertThat(source.fetchAndResolve("main").sha()).isEqualTo(git.head("gitops", "main"));
      WriteBackResult r =
          GitWriteBack.builder(source)
              .build()
              .set("apps/trade-service/values.yaml", "image.tag", "ssh-pushed");
      assertThat(r.head().sha()).isEqualTo(git.head("gitops", "main"));
    }
  }

  @Test
  void anEncryptedKeyIsOpenedWithItsPassphrase() throws Exception {
    GitCredentials creds =
        GitCredentials.sshKey(openSsh(clientKey, "correct horse"), ssh.knownHosts())
            .withPassphrase("correct horse");
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(GitRemote.of(ssh.url(git.repoDir("gitops")), creds));
      assertThat(source.fetchAndResolve("main").sha()).isEqualTo(git.head("gitops", "main"));
    }
  }

  @Test
  void anUnknownHostKeyIsRefused() throws Exception {
    String otherHost =
        "[127.0.0.1]:"
            + ssh.port()
            + " "
            + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                SshGitServer.newKeyPair().getPublic())
            + "\n";
    GitCredentials creds = GitCredentials.sshKey(openSsh(clientKey, null), otherHost);
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(GitRemote.of(ssh.url(git.repoDir("gitops")), creds));
      assertThatThrownBy(source::fetch).isInstanceOf(GitTransportException.class);
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowFailsWithoutShowingTheKey() throws Exception {
    String stranger = openSsh(SshGitServer.newKeyPair(), null);
    GitCredentials creds = GitCredentials.sshKey(stranger, ssh.knownHosts());
    try (GitCache cache = GitCache.open(tmp.resolve("cache"))) {
      GitSource source = cache.source(GitRemote.of(ssh.url(git.repoDir("gitops")), creds));
      assertThatThrownBy(source::fetch)
          .isInstanceOfSatisfying(
              GitTransportException.class,
              e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                String keyBody = stranger.lines().skip(1).findFirst().orElseThrow();
                assertThat(trace.toString()).doesNotContain(keyBody);
              });
      assertThat(source.toString())
          .doesNotContain(stranger.lines().skip(1).findFirst().orElseThrow());
    }
  }
}

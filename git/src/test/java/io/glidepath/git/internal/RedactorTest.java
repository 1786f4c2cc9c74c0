package io.glidepath.git.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.git.GitCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RedactorTest {
  static final String TOKEN = "ghp_0123456789abcdef";

  @Test
  void masksUrlUserInfoAndTheTokenAnywhereInText() {
    Redactor r = Redactor.of(GitCredentials.httpsToken("x-access-token", TOKEN));

    assertThat(r.redact("https://x-access-token:" + TOKEN + "@git.example.com/org/repo.git: 401"))
        .isEqualTo("https://x-access-token:***@git.example.com/org/repo.git: 401");
    assertThat(r.redact("server said: bad token " + TOKEN + "!"))
        .isEqualTo("server said: bad token ***!");
    assertThat(Redactor.of(GitCredentials.none()).redact("ssh://git@host/x and http://u:p@h/"))
        .isEqualTo("ssh://git@host/x and http://u:***@h/");
  }

  @Test
  void redactedCauseChainsKeepStackTracesButNoSecret() {
    Redactor r = Redactor.of(GitCredentials.httpsToken("x-access-token", TOKEN));
    Exception root = new IllegalStateException("auth failed for " + TOKEN);
    Exception top = new RuntimeException("https://u:" + TOKEN + "@h/r.git: failed", root);

    Throwable copy = r.redact(top);

    StringWriter out = new StringWriter();
    copy.printStackTrace(new PrintWriter(out));
    assertThat(out.toString())
        .doesNotContain(TOKEN)
        .contains("java.lang.RuntimeException: https://u:***@h/r.git: failed")
        .contains("java.lang.IllegalStateException: auth failed for ***");
    assertThat(copy.getStackTrace()).isEqualTo(top.getStackTrace());
    assertThat(r.describe(top)).isEqualTo("https://u:***@h/r.git: failed: auth failed for ***");
  }

  @Test
  void sshKeyMaterialAndPassphraseAreMasked() {
    String key =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    GitCredentials creds =
        GitCredentials.sshKey(key, "host ssh-ed25519 AAAA").withPassphrase("pa55phrase");
    Redactor r = Redactor.of(creds);

    assertThat(r.redact("oops b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ and pa55phrase"))
        .isEqualTo("oops *** and ***");
    assertThat(creds.toString()).doesNotContain("b3Blbn").doesNotContain("pa55phrase");
  }
}

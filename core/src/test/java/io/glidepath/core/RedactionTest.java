package io.glidepath.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // https, with and without port, encoded and raw @ and :
        "https://bot:s3cret@git.example.com/org/r.git|https://bot:***@git.example.com/org/r.git",
        "https://bot:s3cret@git.example.com:8443/org/r.git|https://bot:***@git.example.com:8443/org/r.git",
        "https://bot:p%40ss@git.example.com/r|https://bot:***@git.example.com/r",
        "https://bot:p@ss@git.example.com/r|https://bot:***@git.example.com/r",
        "https://bot:p:a:ss@git.example.com/r|https://bot:***@git.example.com/r",
        "https://bot:pa/ss@git.example.com/r|https://bot:***@git.example.com/r",
        "https://ghp_TOKEN123@github.com/org/r|https://***@github.com/org/r",
        "http://u:pw@127.0.0.1:9090/api?q=a@b|http://u:***@127.0.0.1:9090/api?q=a@b",
        "https://git.example.com/org/r.git|https://git.example.com/org/r.git",
        "https://git.example.com:8443/org/r.git|https://git.example.com:8443/org/r.git",
        // ssh, with and without port; a login name alone is not a secret
        "ssh://git:pw@host.example.com/org/r.git|ssh://git:***@host.example.com/org/r.git",
        "ssh://git:pw@host.example.com:2222/org/r.git|ssh://git:***@host.example.com:2222/org/r.git",
        "ssh://git:p@w@host.example.com:2222/r|ssh://git:***@host.example.com:2222/r",
        "ssh://git@host.example.com:2222/org/r.git|ssh://git@host.example.com:2222/org/r.git",
        "git+ssh://git:pw@host/r|git+ssh://git:***@host/r",
        // scp-like
        "git@github.com:org/r.git|git@github.com:org/r.git",
        "git:pw@github.com:org/r.git|git:***@github.com:org/r.git",
        "git:p@w@github.com:org/r.git|git:***@github.com:org/r.git",
        "github.com:org/r.git|github.com:org/r.git",
        // other schemes
        "oci://user:pw@registry.example.com/charts|oci://user:***@registry.example.com/charts",
        "git://host.example.com/r|git://host.example.com/r",
        "file:///srv/git/r|file:///srv/git/r",
      })
  void masksCredentialsInEveryUrlForm(String url, String redacted) {
    assertThat(Redaction.url(url)).isEqualTo(redacted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "fetch of ssh://git:pw@h/r failed|fetch of ssh://git:***@h/r failed",
        "repo \"https://u:p@ss@h/r\" is not permitted|repo \"https://u:***@h/r\" is not permitted",
        "cannot reach (https://TOKEN@h:443/r): refused|cannot reach (https://***@h:443/r): refused",
        "clone git:pw@h:org/r.git failed|clone git:***@h:org/r.git failed",
        "mail admin@example.com now|mail admin@example.com now",
        "no url here|no url here",
      })
  void masksEveryUrlInAText(String text, String redacted) {
    assertThat(Redaction.urls(text)).isEqualTo(redacted);
  }

  @org.junit.jupiter.api.Test
  void keepsNull() {
    assertThat(Redaction.url(null)).isNull();
    assertThat(Redaction.urls(null)).isNull();
  }
}

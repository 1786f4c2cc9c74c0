package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TransformersTest {
  private static Pattern match(String name) {
    return Pattern.compile(
        "^" + Pattern.quote(name) + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9]*)?$");
  }

  @Test
  void imageReferencesSplitIntoNameTagAndDigestKeepingRegistryPorts() {
    assertThat(Transformers.split("nginx")).containsExactly("nginx", "", "");
    assertThat(Transformers.split("nginx:1.25")).containsExactly("nginx", "1.25", "");
    assertThat(Transformers.split("reg:5000/a/b:v1")).containsExactly("reg:5000/a/b", "v1", "");
    assertThat(Transformers.split("a@sha256:ff")).containsExactly("a", "", "sha256:ff");
    assertThat(Transformers.split("a:1@sha256:ff")).containsExactly("a", "1", "sha256:ff");
  }

  @Test
  void newTagDropsTheDigestAndDigestDropsTheTag() {
    assertThat(Transformers.update("nginx:1@sha256:ff", match("nginx"), "", "2", ""))
        .isEqualTo("nginx:2");
    assertThat(Transformers.update("nginx:1", match("nginx"), "", "", "sha256:aa"))
        .isEqualTo("nginx@sha256:aa");
    assertThat(Transformers.update("nginx:1", match("nginx"), "mirror/nginx", "", ""))
        .isEqualTo("mirror/nginx:1");
    assertThat(Transformers.update("nginx-exporter:1", match("nginx"), "", "2", "")).isNull();
  }
}

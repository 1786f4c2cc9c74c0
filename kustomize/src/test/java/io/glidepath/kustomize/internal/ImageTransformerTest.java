package io.glidepath.kustomize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ImageTransformerTest {
  private static Pattern match(String name) {
    return Pattern.compile(
        "^" + Pattern.quote(name) + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$");
  }

  private static ImageTransformer.Image image(
      String newName, String newTag, String digest, String tagSuffix) {
    return new ImageTransformer.Image("nginx", newName, newTag, digest, tagSuffix);
  }

  @Test
  void imageReferencesSplitIntoNameTagAndDigestKeepingRegistryPorts() {
    assertThat(ImageTransformer.split("nginx")).containsExactly("nginx", "", "");
    assertThat(ImageTransformer.split("nginx:1.25")).containsExactly("nginx", "1.25", "");
    assertThat(ImageTransformer.split("reg:5000/a/b:v1")).containsExactly("reg:5000/a/b", "v1", "");
    assertThat(ImageTransformer.split("a@sha256:ff")).containsExactly("a", "", "sha256:ff");
    assertThat(ImageTransformer.split("a:1@sha256:ff")).containsExactly("a", "1", "sha256:ff");
  }

  @Test
  void newTagDropsTheDigestAndDigestDropsTheTag() {
    assertThat(ImageTransformer.update("nginx:1@sha256:ff", match("nginx"), image("", "2", "", "")))
        .isEqualTo("nginx:2");
    assertThat(ImageTransformer.update("nginx:1", match("nginx"), image("", "", "sha256:aa", "")))
        .isEqualTo("nginx@sha256:aa");
    assertThat(
            ImageTransformer.update("nginx:1", match("nginx"), image("mirror/nginx", "", "", "")))
        .isEqualTo("mirror/nginx:1");
    assertThat(ImageTransformer.update("nginx-exporter:1", match("nginx"), image("", "2", "", "")))
        .isNull();
  }

  @Test
  void tagSuffixIsAppendedToTheCurrentTag() {
    assertThat(ImageTransformer.update("nginx:1.25", match("nginx"), image("", "", "", "-debug")))
        .isEqualTo("nginx:1.25-debug");
    assertThat(ImageTransformer.update("nginx", match("nginx"), image("", "", "", "-debug")))
        .isEqualTo("nginx:-debug");
  }
}

package io.glidepath.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text that is not UTF-8 is named as such, with the offset of the first bad byte (item 13). */
class Utf8Test {
  @TempDir Path tmp;

  /** "name: caf" then a Latin-1 e-acute (0xE9), which is not UTF-8 on its own. */
  private static final byte[] LATIN1 =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\u00e9}\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  private static final int OFFSET =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf".length();

  @Test
  void namesTheFileAndTheByteOffset() {
    assertThatThrownBy(() -> Utf8.decode(LATIN1, "cm.yaml"))
        .isInstanceOfSatisfying(
            NotUtf8Exception.class,
            e -> {
              assertThat(e.file()).isEqualTo("cm.yaml");
              assertThat(e.byteOffset()).isEqualTo(OFFSET);
            })
        .hasMessage(
            "cm.yaml is not valid UTF-8 text: the byte at offset " + OFFSET + " is not UTF-8");
    assertThat(Utf8.decode("caf\u00e9".getBytes(StandardCharsets.UTF_8), "x")).isEqualTo("café");
  }

  @Test
  void theYamlReaderAndThePlainRendererSayItIsNotUtf8() throws IOException {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.write(app.resolve("cm.yaml"), LATIN1);

    assertThatThrownBy(() -> Yaml.readResources(app.resolve("cm.yaml")))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("not valid UTF-8 text: the byte at offset " + OFFSET);
    RenderRequest request = RenderRequest.builder(tmp, "app").build();
    assertThatThrownBy(() -> ManifestRenderer.detect(request.appDir()).render(request))
        .isInstanceOf(NotUtf8Exception.class)
        .hasMessageContaining("app/cm.yaml is not valid UTF-8")
        .message()
        .doesNotContain("Input length");
  }
}

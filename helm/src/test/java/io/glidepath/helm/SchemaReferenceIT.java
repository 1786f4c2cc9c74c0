package io.glidepath.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart's values.schema.json reaches nothing outside itself: references to files (outside the
 * repository or not) and URLs are refused before Helm runs, naming the schema and the reference;
 * the referenced file is never read and the URL never fetched.
 */
class SchemaReferenceIT {
  @TempDir Path tmp;

  private Path chart(String schema) throws IOException {
    Path chart = Files.createDirectories(tmp.resolve("repo/apps/c/templates"));
    Files.writeString(
        tmp.resolve("repo/apps/c/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.writeString(tmp.resolve("repo/apps/c/values.yaml"), "port: 80\n");
    Files.writeString(
        chart.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            + "  port: {{ .Values.port | quote }}\n");
    if (schema != null) {
      Files.writeString(tmp.resolve("repo/apps/c/values.schema.json"), schema);
    }
    return tmp.resolve("repo");
  }

  private static RenderResult render(Path repo, String... set) {
    RenderRequest.Builder b = RenderRequest.builder(repo, "apps/c");
    for (int i = 0; i < set.length; i += 2) {
      b.parameter(set[i], set[i + 1]);
    }
    return HelmRenderer.create().render(b.build());
  }

  @Test
  void refusesAReferenceToAFileOutsideTheRepositoryWithoutReadingIt() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside")).resolve("schema.json");
    Files.writeString(outside, "{\"description\": \"TOP-SECRET-CONTENT\"}");
    Path repo = chart("{\"$ref\": \"" + outside.toUri() + "\"}");

    assertThatThrownBy(() -> render(repo))
        .isInstanceOfSatisfying(
            SchemaReferenceException.class,
            e -> {
              assertThat(e.schema()).isEqualTo("apps/c/values.schema.json");
              assertThat(e.reference()).isEqualTo(outside.toUri().toString());
              assertThat(e.pointer()).isEqualTo("/$ref");
            })
        .message()
        .contains("apps/c/values.schema.json", outside.toUri().toString())
        .doesNotContain("TOP-SECRET-CONTENT");
  }

  @Test
  void aSchemaNestedDeeperThanTheJsonParserAllowsIsATypedError() throws IOException {
    Path repo = chart("{\"properties\": " + "{\"a\": ".repeat(5_000) + "{}" + "}".repeat(5_001));

    assertThatThrownBy(() -> render(repo))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("apps/c/values.schema.json")
        .hasMessageContaining("nesting depth");
  }

  @Test
  void refusesEtcPasswd() throws IOException {
    Path repo = chart("{\"properties\": {\"port\": {\"$ref\": \"file:///etc/passwd\"}}}");

    assertThatThrownBy(() -> render(repo))
        .isInstanceOf(SchemaReferenceException.class)
        .hasMessageContaining("file:///etc/passwd")
        .hasMessageContaining("/properties/port/$ref")
        .message()
        .doesNotContain("root:");
  }

  @Test
  void refusesAUrlReferenceWithoutFetchingIt() throws IOException {
    try (RecordingPort web = RecordingPort.open()) {
      Path repo = chart("{\"$ref\": \"" + web.url() + "/schema.json\"}");

      assertThatThrownBy(() -> render(repo))
          .isInstanceOf(SchemaReferenceException.class)
          .hasMessageContaining(web.url() + "/schema.json");
      assertThat(web.connections()).isEmpty();
    }
  }

  @Test
  void refusesAMetaSchemaHelmWouldFetch() throws IOException {
    try (RecordingPort web = RecordingPort.open()) {
      Path repo = chart("{\"$schema\": \"" + web.url() + "/meta\", \"type\": \"object\"}");

      assertThatThrownBy(() -> render(repo))
          .isInstanceOf(SchemaReferenceException.class)
          .hasMessageContaining("$schema");
      assertThat(web.connections()).isEmpty();
    }
  }

  @Test
  void refusesARelativeReferenceWhichHelmResolvesAgainstTheFileSystemRoot() throws IOException {
    Path repo = chart("{\"$ref\": \"etc/passwd\"}");

    assertThatThrownBy(() -> render(repo))
        .isInstanceOf(SchemaReferenceException.class)
        .hasMessageContaining("\"etc/passwd\"");
  }

  @Test
  void masksCredentialsInTheReference() throws IOException {
    Path repo = chart("{\"$ref\": \"https://bot:hunter2@schemas.example.com/s.json\"}");

    assertThatThrownBy(() -> render(repo))
        .isInstanceOf(SchemaReferenceException.class)
        .hasMessageContaining("https://bot:***@schemas.example.com/s.json")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void refusesAReferenceInsideAPackagedSubchart() throws IOException {
    try (RecordingPort web = RecordingPort.open()) {
      Path repo = chart(null);
      Path charts = Files.createDirectories(repo.resolve("apps/c/charts"));
      writeTgz(
          charts.resolve("sub-0.1.0.tgz"),
          Map.of(
              "sub/Chart.yaml",
              "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
              "sub/values.schema.json",
              "{\"$ref\": \"" + web.url() + "/s.json\"}"));

      assertThatThrownBy(() -> render(repo))
          .isInstanceOfSatisfying(
              SchemaReferenceException.class,
              e ->
                  assertThat(e.schema())
                      .isEqualTo("apps/c/charts/sub-0.1.0.tgz!/sub/values.schema.json"));
      assertThat(web.connections()).isEmpty();
    }
  }

  @Test
  void stillValidatesWithReferencesInsideTheSchema() throws IOException {
    Path repo =
        chart(
            """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "$id": "urn:glidepath:test",
             "definitions": {"port": {"type": "integer", "maximum": 65535}},
             "properties": {
               "port": {"$ref": "#/definitions/port"},
               "other": {"$ref": "urn:glidepath:test#/definitions/port"},
               "example": {"default": {"$ref": "http://not-a-reference.example.com"}}}}
            """);

    assertThat(render(repo).resources().size()).isEqualTo(1);
    assertThatThrownBy(() -> render(repo, "port", "70000"))
        .isInstanceOf(RenderException.class)
        .isNotInstanceOf(SchemaReferenceException.class)
        .hasMessageContaining("port");
  }

  @Test
  void skippingSchemaValidationStillChecksPackagedSubcharts() throws IOException {
    Path repo = chart("{\"$ref\": \"file:///etc/passwd\"}");
    RenderRequest skip = RenderRequest.builder(repo, "apps/c").skipSchemaValidation(true).build();
    assertThat(HelmRenderer.create().render(skip).resources().size()).isEqualTo(1);

    writeTgz(
        Files.createDirectories(repo.resolve("apps/c/charts")).resolve("sub-0.1.0.tgz"),
        Map.of(
            "sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "sub/values.schema.json", "{\"$ref\": \"file:///etc/shadow\"}"));
    assertThatThrownBy(() -> HelmRenderer.create().render(skip))
        .isInstanceOf(SchemaReferenceException.class)
        .hasMessageContaining("file:///etc/shadow");
  }

  /** A gzip-compressed ustar archive of {@code files}. */
  static void writeTgz(Path target, Map<String, String> files) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
      byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
      byte[] header = new byte[512];
      put(header, 0, f.getKey());
      put(header, 100, "0000644");
      put(header, 108, "0000000");
      put(header, 116, "0000000");
      put(header, 124, String.format("%011o", content.length));
      put(header, 136, String.format("%011o", 0));
      header[156] = '0';
      put(header, 257, "ustar");
      put(header, 263, "00");
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      put(header, 148, String.format("%06o", sum));
      header[154] = 0;
      tar.write(header);
      tar.write(content);
      tar.write(new byte[(512 - content.length % 512) % 512]);
    }
    tar.write(new byte[1024]);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
      out.write(tar.toByteArray());
    }
  }

  private static void put(byte[] header, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }
}

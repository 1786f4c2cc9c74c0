package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.testkit.helm.ChartRepositoryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartArchiveTest {
  @TempDir Path tmp;

  private static final String CHART = "apiVersion: v2\nname: demo\nversion: 1.0.0\n";

  private static byte[] tar(Map<String, String> files) {
    return ChartRepositoryServer.pack(files);
  }

  /** A gzip tar with one raw entry of the given type (symlinks, devices). */
  private static byte[] withEntry(String name, char type, String link) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      byte[] chart = CHART.getBytes(StandardCharsets.UTF_8);
      gz.write(
          io.glidepath.testkit.internal.helm.TarGz.header(
              "demo/Chart.yaml", chart.length, '0', ""));
      gz.write(chart);
      gz.write(new byte[(512 - chart.length % 512) % 512]);
      gz.write(io.glidepath.testkit.internal.helm.TarGz.header(name, 0, type, link));
      gz.write(new byte[1024]);
    }
    return bytes.toByteArray();
  }

  @Test
  void unpacksUnderTheChartDirectoryWithPackedSubchartsExpanded() throws IOException {
    byte[] sub = tar(Map.of("child/Chart.yaml", "apiVersion: v2\nname: child\nversion: 0.1.0\n"));
    ByteArrayOutputStream with = new ByteArrayOutputStream();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("demo/Chart.yaml", CHART.getBytes(StandardCharsets.UTF_8));
    files.put("demo/templates/cm.yaml", "kind: ConfigMap\n".getBytes(StandardCharsets.UTF_8));
    files.put("demo/charts/child-0.1.0.tgz", sub);
    with.writeBytes(io.glidepath.testkit.internal.helm.TarGz.of(files));
    Path out = tmp.resolve("out");
    assertThat(ChartArchive.unpack(with.toByteArray(), out)).isEqualTo("demo");
    assertThat(out.resolve("Chart.yaml")).exists();
    assertThat(out.resolve("templates/cm.yaml")).hasContent("kind: ConfigMap");
    assertThat(out.resolve("charts/child/Chart.yaml")).exists();
    assertThat(out.resolve("charts/child-0.1.0.tgz")).doesNotExist();
  }

  @Test
  void refusesDataThatIsNotGzip() {
    assertThatThrownBy(() -> ChartArchive.unpack("<html>nope</html>".getBytes(), tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("not gzip");
  }

  @Test
  void refusesGzipThatIsNotTar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("just some text, longer than nothing".repeat(40).getBytes());
    }
    assertThatThrownBy(() -> ChartArchive.unpack(bytes.toByteArray(), tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("not a tar");
  }

  @Test
  void refusesPathsThatEscapeTheChart() {
    assertThatThrownBy(
            () ->
                ChartArchive.unpack(
                    tar(Map.of("demo/Chart.yaml", CHART, "demo/../../evil.yaml", "x")),
                    tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("escapes");
    assertThat(tmp.resolve("evil.yaml")).doesNotExist();
    assertThatThrownBy(
            () ->
                ChartArchive.unpack(
                    tar(Map.of("demo/Chart.yaml", CHART, "/etc/cron.d/evil", "x")),
                    tmp.resolve("b")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void refusesLinksAndDevices() throws IOException {
    assertThatThrownBy(
            () ->
                ChartArchive.unpack(
                    withEntry("demo/values.yaml", '2', "/etc/passwd"), tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(
            () ->
                ChartArchive.unpack(withEntry("demo/x", '1', "demo/Chart.yaml"), tmp.resolve("b")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("hard link");
    assertThatThrownBy(() -> ChartArchive.unpack(withEntry("demo/dev", '3', ""), tmp.resolve("c")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("type '3'");
  }

  @Test
  void refusesEntriesOutsideOneChartDirectoryAndArchivesWithoutChartYaml() {
    assertThatThrownBy(
            () ->
                ChartArchive.unpack(
                    tar(Map.of("demo/Chart.yaml", CHART, "other/file.yaml", "x")),
                    tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("one chart directory");
    assertThatThrownBy(
            () -> ChartArchive.unpack(tar(Map.of("demo/values.yaml", "a: 1")), tmp.resolve("b")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("no demo/Chart.yaml");
  }

  @Test
  void refusesArchivesWithTooManyEntries() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("demo/Chart.yaml", CHART);
    for (int i = 0; i <= ChartArchive.MAX_ENTRIES; i++) {
      files.put("demo/f/" + i, "");
    }
    assertThatThrownBy(() -> ChartArchive.unpack(tar(files), tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining("more than " + ChartArchive.MAX_ENTRIES + " entries");
    assertThat(Files.exists(tmp.resolve("a/Chart.yaml"))).isTrue(); // the caller deletes staging
  }

  /** A gzip tar: the chart's Chart.yaml, then {@code count} files of {@code size} zero bytes. */
  private static byte[] zeros(int count, long size, boolean withData) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      byte[] chart = CHART.getBytes(StandardCharsets.UTF_8);
      gz.write(
          io.glidepath.testkit.internal.helm.TarGz.header(
              "demo/Chart.yaml", chart.length, '0', ""));
      gz.write(chart);
      gz.write(new byte[(512 - chart.length % 512) % 512]);
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < count; i++) {
        gz.write(io.glidepath.testkit.internal.helm.TarGz.header("demo/blob-" + i, size, '0', ""));
        if (withData) {
          for (long left = size; left > 0; left -= block.length) {
            gz.write(block, 0, (int) Math.min(block.length, left));
          }
          gz.write(new byte[(int) ((512 - size % 512) % 512)]);
        }
      }
      gz.write(new byte[1024]);
    }
    return bytes.toByteArray();
  }

  @Test
  void refusesAFileOverHelmsSizeLimitFromItsHeader() throws IOException {
    // the header alone says so: nothing of the file is unpacked
    byte[] archive = zeros(1, ChartArchive.MAX_FILE_BYTES + 1, false);
    assertThatThrownBy(() -> ChartArchive.unpack(archive, tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining(
            "demo/blob-0 is larger than the limit of " + ChartArchive.MAX_FILE_BYTES + " bytes");
    assertThat(tmp.resolve("a/blob-0")).doesNotExist();
  }

  @Test
  void refusesADecompressionBombOverTheChartLimit() throws IOException {
    // a few hundred KB of gzip that would unpack to more than Helm's 100 MiB for a chart
    int files = (int) (ChartArchive.MAX_TOTAL_BYTES / ChartArchive.MAX_FILE_BYTES) + 1;
    byte[] archive = zeros(files, ChartArchive.MAX_FILE_BYTES, true);
    assertThat(archive.length).isLessThan(1 << 20);
    assertThatThrownBy(() -> ChartArchive.unpack(archive, tmp.resolve("a")))
        .isInstanceOf(ChartArchive.ArchiveException.class)
        .hasMessageContaining(
            "the chart is larger than the limit of " + ChartArchive.MAX_TOTAL_BYTES + " bytes");
    assertThat(tmp.resolve("a/blob-" + (files - 1))).doesNotExist();
  }
}

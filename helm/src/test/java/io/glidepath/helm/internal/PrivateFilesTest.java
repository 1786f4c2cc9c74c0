package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path tmp;

  @Test
  void aNewDirectoryIsOwnerOnlyAndNewEachTime() throws IOException {
    Path a = PrivateFiles.newDirectory(tmp, "glidepath-chart-");
    Path b = PrivateFiles.newDirectory(tmp, "glidepath-chart-");

    assertThat(a).isDirectory().isEmptyDirectory().hasParent(tmp).isNotEqualTo(b);
    assertThat(a.getFileName().toString())
        .startsWith("glidepath-chart-" + ProcessHandle.current().pid() + "-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a)))
        .isEqualTo("rwx------");
  }

  @Test
  void aNewFileIsEmptyOwnerOnlyInTheTemporaryDirectoryAndNewEachTime() throws IOException {
    Path a = PrivateFiles.newFile("glidepath-values-", ".yaml");
    Path b = PrivateFiles.newFile("glidepath-values-", ".yaml");
    try {
      assertThat(a)
          .isRegularFile()
          .isEmptyFile()
          .hasParent(Path.of(System.getProperty("java.io.tmpdir")))
          .isNotEqualTo(b);
      assertThat(a.getFileName().toString())
          .startsWith("glidepath-values-" + ProcessHandle.current().pid() + "-")
          .endsWith(".yaml");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a)))
          .isEqualTo("rw-------");
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }
}

package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryCacheTest {
  private static final byte[] LIBRARY = "not really a library".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private URL resource;
  private String cachedName;

  @BeforeEach
  void jarWithALibrary() throws IOException {
    Path jar = tmp.resolve("platform.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("helm-test.so"));
      j.write(LIBRARY);
      j.closeEntry();
    }
    resource = new URL("jar:" + jar.toUri() + "!/helm-test.so");
    CRC32 crc = new CRC32();
    crc.update(LIBRARY);
    cachedName = LibraryCache.versioned("helm-test.so", LIBRARY.length, crc.getValue());
  }

  @Test
  void namesTheCopyBySizeAndChecksum() {
    assertThat(LibraryCache.versioned("helm-linux-amd64.so", 97911168, 0xab12L))
        .isEqualTo("helm-linux-amd64-97911168-ab12.so");
  }

  @Test
  void copiesOnceAndLoadsTheCopyFromThenOn() throws IOException {
    Path dir = tmp.resolve("cache").resolve("helm");
    LibraryCache cache = new LibraryCache(Optional.of(dir));

    Path first = cache.fileOf(resource, "helm-test.so");
    Files.setLastModifiedTime(first, FileTime.fromMillis(0));
    Path second = cache.fileOf(resource, "helm-test.so");

    assertThat(first).isEqualTo(dir.resolve(cachedName)).isEqualTo(second);
    assertThat(Files.readAllBytes(second)).isEqualTo(LIBRARY);
    assertThat(Files.getLastModifiedTime(second).toMillis()).isZero(); // not written again
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(second); // no partial files left behind
    }
  }

  @Test
  void aLibraryNamedBySizeAndChecksumIsFoundInTheCacheWithoutOpeningItsJar() throws IOException {
    Path dir = tmp.resolve("cache").resolve("helm");
    LibraryCache cache = new LibraryCache(Optional.of(dir));
    CRC32 crc = new CRC32();
    crc.update(LIBRARY);
    WorkerJar.NativeLibraryEntry named =
        new WorkerJar.NativeLibraryEntry(
            "helm-test.so", LIBRARY.length, crc.getValue(), "platform.jar");

    Path copied = cache.fileOf(named, resource);
    Files.delete(tmp.resolve("platform.jar")); // from now on only the cache can answer
    Path found = cache.fileOf(named, resource);

    assertThat(copied).isEqualTo(dir.resolve(cachedName)).isEqualTo(found);
    assertThat(Files.readAllBytes(found)).isEqualTo(LIBRARY);
  }

  @Test
  void aNamedLibraryWhoseBytesDoNotMatchItsChecksumIsNotCached() throws IOException {
    Path dir = tmp.resolve("cache").resolve("helm");
    LibraryCache cache = new LibraryCache(Optional.of(dir));
    WorkerJar.NativeLibraryEntry wrong =
        new WorkerJar.NativeLibraryEntry("helm-test.so", LIBRARY.length, 0x1234L, "platform.jar");

    Path file = cache.fileOf(wrong, resource);

    assertThat(file.getParent()).isNotEqualTo(dir); // a temporary copy, as helm-java makes
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aDirectoryHoldsTheCopyUnderItsPlainNameOncePerVersion() throws IOException {
    Path dir = tmp.resolve("cache").resolve("helm");
    LibraryCache cache = new LibraryCache(Optional.of(dir));

    Path first = cache.directoryOf(resource, "libjnidispatch.so").orElseThrow();
    Files.setLastModifiedTime(first.resolve("libjnidispatch.so"), FileTime.fromMillis(0));
    Path second = cache.directoryOf(resource, "libjnidispatch.so").orElseThrow();

    assertThat(first)
        .isEqualTo(second)
        .isEqualTo(
            dir.resolve(
                LibraryCache.versioned("libjnidispatch.so", LIBRARY.length, crcOf(LIBRARY))
                    .replace('.', '-')));
    assertThat(Files.readAllBytes(second.resolve("libjnidispatch.so"))).isEqualTo(LIBRARY);
    assertThat(Files.getLastModifiedTime(second.resolve("libjnidispatch.so")).toMillis())
        .isZero(); // not written again
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(second)))
        .isEqualTo("rwx------");
    try (var files = Files.list(second)) {
      assertThat(files).containsExactly(second.resolve("libjnidispatch.so"));
    }
  }

  @Test
  void noDirectoryWithoutACache() {
    assertThat(LibraryCache.OFF.directoryOf(resource, "libjnidispatch.so")).isEmpty();
  }

  private static long crcOf(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  @Test
  void aTornCopyIsWrittenAgain() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("cache"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.write(dir.resolve(cachedName), new byte[] {1, 2, 3});

    Path file = new LibraryCache(Optional.of(dir)).fileOf(resource, "helm-test.so");

    assertThat(file).isEqualTo(dir.resolve(cachedName));
    assertThat(Files.readAllBytes(file)).isEqualTo(LIBRARY);
  }

  @Test
  void aDirectoryOthersCanWriteIsNotTrusted() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    Path file = new LibraryCache(Optional.of(dir)).fileOf(resource, "helm-test.so");

    assertThat(file.startsWith(dir)).isFalse();
    assertThat(Files.readAllBytes(file)).isEqualTo(LIBRARY);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aCopyOthersCanWriteIsReplaced() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("cache"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path planted = Files.write(dir.resolve(cachedName), "evil but same size!!".getBytes());
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));

    Path file = new LibraryCache(Optional.of(dir)).fileOf(resource, "helm-test.so");

    assertThat(Files.readAllBytes(file)).isEqualTo(LIBRARY);
  }

  @Test
  void anUnwritableCacheFallsBackToATemporaryCopy() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("file"), "x");

    Path file = new LibraryCache(Optional.of(notADir.resolve("helm"))).fileOf(resource, "x.so");

    assertThat(file.getFileName().toString()).isEqualTo("x.so");
    assertThat(Files.readAllBytes(file)).isEqualTo(LIBRARY);
  }

  @Test
  void offCopiesToATemporaryDirectoryEveryTime() {
    LibraryCache off = new LibraryCache(Optional.empty());

    Path a = off.fileOf(resource, "helm-test.so");
    Path b = off.fileOf(resource, "helm-test.so");

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aLibraryThatIsAFileAlreadyIsUsedWhereItIs() throws IOException {
    Path plain = Files.write(tmp.resolve("helm-plain.so"), LIBRARY);

    Path file =
        new LibraryCache(Optional.of(tmp.resolve("unused")))
            .fileOf(plain.toUri().toURL(), "helm-plain.so");

    assertThat(file).isEqualTo(plain);
    assertThat(tmp.resolve("unused")).doesNotExist();
  }

  @Test
  void theSystemPropertyNamesTheDirectoryOrTurnsTheCacheOff() {
    String before = System.getProperty(LibraryCache.PROPERTY);
    try {
      System.setProperty(LibraryCache.PROPERTY, "off");
      Path a = LibraryCache.configured().fileOf(resource, "helm-test.so");
      assertThat(a.getParent().getFileName().toString()).startsWith("glidepath-helm-");

      System.setProperty(LibraryCache.PROPERTY, tmp.resolve("mine").toString());
      Path b = LibraryCache.configured().fileOf(resource, "helm-test.so");
      assertThat(b).isEqualTo(tmp.resolve("mine").resolve(cachedName));
    } finally {
      if (before == null) {
        System.clearProperty(LibraryCache.PROPERTY);
      } else {
        System.setProperty(LibraryCache.PROPERTY, before);
      }
    }
  }
}

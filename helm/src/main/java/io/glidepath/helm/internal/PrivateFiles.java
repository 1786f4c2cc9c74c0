package io.glidepath.helm.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New owner-only temporary directories and files, as {@link Files#createTempDirectory} and {@link
 * Files#createTempFile} make them, but named without a {@link java.security.SecureRandom}: the
 * JDK's temporary names start one, which costs a fresh JVM (every command-line render of a chart)
 * the start of the security providers before the Helm process gets its request. The name needs no
 * secret: the entry is created atomically and only when nothing of that name exists (a name taken
 * by anyone, a symlink included, is passed over and another one tried).
 */
public final class PrivateFiles {
  private static final int ATTEMPTS = 100;

  private PrivateFiles() {}

  /** A new directory {@code PREFIX<pid>-<random>} in {@code parent}, {@code rwx------}. */
  public static Path newDirectory(Path parent, String prefix) throws IOException {
    FileAttribute<?>[] ownerOnly = ownerOnly("rwx------");
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createDirectory(parent.resolve(name(prefix, "")), ownerOnly);
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= ATTEMPTS) {
          throw taken;
        }
      }
    }
  }

  /** A new directory in the JVM's temporary directory ({@code java.io.tmpdir}). */
  public static Path newDirectory(String prefix) throws IOException {
    return newDirectory(temporaryDirectory(), prefix);
  }

  /**
   * A new empty file {@code PREFIX<pid>-<random>SUFFIX} in the JVM's temporary directory, {@code
   * rw-------}.
   */
  public static Path newFile(String prefix, String suffix) throws IOException {
    FileAttribute<?>[] ownerOnly = ownerOnly("rw-------");
    Path parent = temporaryDirectory();
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createFile(parent.resolve(name(prefix, suffix)), ownerOnly);
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= ATTEMPTS) {
          throw taken;
        }
      }
    }
  }

  private static Path temporaryDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static String name(String prefix, String suffix) {
    return prefix
        + ProcessHandle.current().pid()
        + "-"
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
        + suffix;
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        }
        : new FileAttribute<?>[0];
  }
}

package io.glidepath.git.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File tree helpers: read-only marking, deletion of read-only trees, path containment. */
final class FileTrees {
  private static final Set<PosixFilePermission> READ_ONLY_DIR =
      PosixFilePermissions.fromString("r-xr-xr-x");
  private static final Set<PosixFilePermission> READ_ONLY_FILE =
      PosixFilePermissions.fromString("r--r--r--");
  private static final Set<PosixFilePermission> WRITABLE_DIR =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private FileTrees() {}

  /** Removes write permission from every file and directory (links are left alone). */
  static void makeReadOnly(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              boolean exec = Files.isExecutable(file);
              setPermissions(file, exec ? READ_ONLY_DIR : READ_ONLY_FILE);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            setPermissions(dir, READ_ONLY_DIR);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            setPermissions(dir, WRITABLE_DIR);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void deleteQuietly(Path root) {
    try {
      deleteRecursively(root);
    } catch (IOException e) {
      // best effort: a tree left behind is removed when the cache next opens
    }
  }

  /**
   * {@code relative} inside {@code root}, refusing absolute paths, {@code ..} that climbs out, and
   * links that lead out.
   */
  static Path resolveInside(Path root, String relative) {
    if (relative == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    Path rel = root.getFileSystem().getPath(relative);
    if (rel.isAbsolute()) {
      throw new IllegalArgumentException("path must be relative, but was " + relative);
    }
    Path raw = root.resolve(rel);
    Path resolved = raw.normalize();
    if (!resolved.startsWith(root)) {
      throw new IllegalArgumentException("path must stay inside the snapshot, but was " + relative);
    }
    // the real path of the path as written: "link/.." climbs from the link's target, not its name
    if (Files.exists(raw)) {
      try {
        if (!raw.toRealPath().startsWith(root.toRealPath())) {
          throw new IllegalArgumentException(
              "path must stay inside the snapshot, but " + relative + " leads out through a link");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return resolved;
  }

  private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, perms);
    } catch (UnsupportedOperationException notPosix) {
      p.toFile().setWritable(perms.contains(PosixFilePermission.OWNER_WRITE));
    }
  }
}

package io.glidepath.helm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.zip.CRC32;

/**
 * Where the embedded Helm engine's native library is loaded from: a file outside the jar, since a
 * library is loaded from a file. helm-java copies the library (about 95 MB) out of its jar into a
 * new temporary directory at every start, which cost a fresh process about 0.6 s of CPU; this cache
 * copies it once per user and library version and loads the copy from then on.
 *
 * <p>The copy is named by the jar entry's size and CRC-32 ({@code
 * helm-linux-amd64-<size>-<crc>.so}), so another helm-java version gets its own file. It is written
 * to a temporary file in the cache directory and moved into place, so no process sees a
 * half-written library. On POSIX systems the directory is created owner-only and is used only when
 * it and the library are owned by this user and writable by nobody else; otherwise, and whenever
 * the cache cannot be written, the library is copied to a new temporary directory deleted on exit,
 * as helm-java does.
 *
 * <p>Directory: the system property {@value #PROPERTY} ({@code off} disables the cache), else
 * {@code $XDG_CACHE_HOME/glidepath/helm}, else {@code ~/.cache/glidepath/helm}.
 */
final class LibraryCache {
  /** The system property naming the cache directory, or {@code off}. */
  static final String PROPERTY = "glidepath.helm.libraryCache";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  /** No cache: a new temporary copy each time. */
  static final LibraryCache OFF = new LibraryCache(Optional.empty());

  private final Optional<Path> dir;

  LibraryCache(Optional<Path> dir) {
    this.dir = dir;
  }

  /** The cache this process's settings name. */
  static LibraryCache configured() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return new LibraryCache(
          property.strip().equalsIgnoreCase("off")
              ? Optional.empty()
              : Optional.of(Path.of(property.strip())));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return new LibraryCache(Optional.of(base.resolve("glidepath").resolve("helm")));
  }

  /** This cache as the value of {@link #PROPERTY}, for a process that should use the same one. */
  String asProperty() {
    return dir.map(Path::toString).orElse("off");
  }

  /**
   * A file holding {@code resource} (a library named {@code fileName}, such as {@code
   * helm-linux-amd64.so}): the resource itself when it is a plain file, else the cached copy, else
   * a new temporary copy.
   */
  Path fileOf(URL resource, String fileName) {
    if ("file".equals(resource.getProtocol())) {
      try {
        return Path.of(resource.toURI());
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a path after all: copy it below
      }
    }
    Optional<Path> cached = dir.flatMap(d -> cachedCopy(d, resource, fileName));
    return cached.orElseGet(() -> temporaryCopy(resource, fileName));
  }

  /**
   * A file holding the library {@code library} names (its file name, size and CRC-32), which {@code
   * source} holds: the cached copy, found by name alone without opening {@code source}'s jar, else
   * a copy made from {@code source} now (into the cache, else a new temporary directory).
   */
  Path fileOf(WorkerJar.NativeLibraryEntry library, URL source) {
    Optional<Path> cached =
        dir.flatMap(
            d ->
                cachedCopy(
                    d,
                    library.size(),
                    library.crc(),
                    versioned(library.file(), library.size(), library.crc()),
                    source::openStream));
    return cached.orElseGet(() -> temporaryCopy(source, library.file()));
  }

  /**
   * A directory of this cache holding {@code resource} as a file named {@code fileName} (for a
   * loader that looks a library up by its plain name in a directory, as JNA does its own): the
   * subdirectory named by the resource's size and CRC-32, so that another version gets its own;
   * empty when there is no cache or the copy cannot be made.
   */
  Optional<Path> directoryOf(URL resource, String fileName) {
    return dir.flatMap(
            d ->
                cachedCopy(
                    d,
                    resource,
                    (size, crc) ->
                        versioned(fileName, size, crc).replace('.', '-') + "/" + fileName))
        .map(Path::getParent);
  }

  private static Optional<Path> cachedCopy(Path dir, URL resource, String fileName) {
    return cachedCopy(dir, resource, (size, crc) -> versioned(fileName, size, crc));
  }

  /**
   * The copy of {@code resource} at {@code name(size, crc)} in {@code dir} (one level of
   * subdirectory at most, made owner-only too), written when missing.
   */
  private static Optional<Path> cachedCopy(
      Path dir, URL resource, BiFunction<Long, Long, String> name) {
    try {
      URLConnection c = resource.openConnection();
      if (!(c instanceof JarURLConnection jar)) {
        return Optional.empty(); // no size and checksum to name the copy by
      }
      long size = jar.getJarEntry().getSize();
      long crc = jar.getJarEntry().getCrc();
      return cachedCopy(dir, size, crc, name.apply(size, crc), jar::getInputStream);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return Optional.empty(); // a read-only or full home: the temporary copy will do
    }
  }

  /** Where the bytes of a library come from, opened only when the cache has no copy yet. */
  private interface Bytes {
    InputStream open() throws IOException;
  }

  /**
   * The copy, at {@code name} in {@code dir} (one level of subdirectory at most, made owner-only
   * too), of a library of {@code size} bytes and CRC-32 {@code crc}, copied from {@code bytes} when
   * missing.
   */
  private static Optional<Path> cachedCopy(
      Path dir, long size, long crc, String name, Bytes bytes) {
    try {
      if (size < 0 || crc < 0) {
        return Optional.empty();
      }
      if (!ownDirectory(dir)) {
        return Optional.empty();
      }
      Path target = dir.resolve(name);
      if (!target.getParent().equals(dir) && !ownDirectory(target.getParent())) {
        return Optional.empty();
      }
      String fileName = target.getFileName().toString();
      if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.size(target) == size && safe(target)) {
          return Optional.of(target);
        }
        Files.delete(target); // torn or tampered: write it again
      }
      Path partial = Files.createTempFile(target.getParent(), fileName + ".", ".partial");
      try {
        long crcCopied;
        try (InputStream in = bytes.open()) {
          crcCopied = copy(in, partial);
        }
        if (crcCopied != crc || Files.size(partial) != size) {
          return Optional.empty();
        }
        move(partial, target);
      } finally {
        Files.deleteIfExists(partial);
      }
      return Optional.of(target);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return Optional.empty(); // a read-only or full home: the temporary copy will do
    }
  }

  /** {@code helm-linux-amd64.so} with size 12 and CRC ab: {@code helm-linux-amd64-12-ab.so}. */
  static String versioned(String fileName, long size, long crc) {
    int dot = fileName.lastIndexOf('.');
    String stem = dot < 0 ? fileName : fileName.substring(0, dot);
    String ext = dot < 0 ? "" : fileName.substring(dot);
    return stem + "-" + size + "-" + Long.toHexString(crc).toLowerCase(Locale.ROOT) + ext;
  }

  /** Creates {@code dir} owner-only; whether it is this user's and writable by nobody else. */
  private static boolean ownDirectory(Path dir) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another process made it: checked below like any existing directory
        }
      } else {
        Files.createDirectories(dir);
      }
    }
    return safe(dir);
  }

  /** Whether {@code path} is this user's and, on POSIX, not writable by group or others. */
  private static boolean safe(Path path) throws IOException {
    if (Files.isSymbolicLink(path)) {
      return false;
    }
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return true;
    }
    String me = System.getProperty("user.name");
    String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    return owner.equals(me)
        && !perms.contains(PosixFilePermission.GROUP_WRITE)
        && !perms.contains(PosixFilePermission.OTHERS_WRITE);
  }

  private static long copy(InputStream in, Path to) throws IOException {
    CRC32 crc = new CRC32();
    try (var out = Files.newOutputStream(to)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** helm-java's way: a new temporary directory, deleted when the JVM exits. */
  private static Path temporaryCopy(URL resource, String fileName) {
    try {
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      FileAttribute<?>[] attrs =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      Path tmp = Files.createTempDirectory("glidepath-helm-", attrs);
      tmp.toFile().deleteOnExit();
      Path file = tmp.resolve(fileName);
      file.toFile().deleteOnExit();
      try (InputStream in = resource.openStream()) {
        Files.copy(in, file);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the Helm library " + fileName + " out", e);
    }
  }
}

package io.glidepath.helm.repo;

import io.glidepath.helm.internal.ChartArchive;
import io.glidepath.helm.internal.ChartDigests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of fetched chart archives, by repository, chart and version: a chart is
 * downloaded once and served from disk afterwards, also after a restart.
 *
 * <pre>{@code
 * ChartCache cache = ChartCache.open(Path.of("/var/cache/glidepath/charts"));
 * ChartFetcher fetcher = ChartFetcher.builder(cache).credentials(store).build();
 * }</pre>
 *
 * <p>Layout: {@code archives/KEY/chart.tgz} with {@code archives/KEY/entry.properties} (the
 * repository, chart, version and the archive's SHA-256), KEY a hash of repository, chart and
 * version; {@code unpacked/} holds this process's unpacked copies and is emptied when the cache
 * opens. Only archives that passed verification (the index's or manifest's digest, a safe and valid
 * chart) are stored; a stored archive whose bytes no longer hash to its recorded digest is corrupt:
 * it is deleted, logged, and fetched again. Writes go to a temporary file first and are moved into
 * place, so a crash never leaves half an entry. Thread-safe; use one {@code ChartCache} per
 * directory per process (like {@code GitCache}).
 */
public final class ChartCache {
  private static final Logger LOG = LoggerFactory.getLogger(ChartCache.class);

  private final Path dir;
  private final Map<String, Path> unpacked = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private ChartCache(Path dir) {
    this.dir = dir;
  }

  /** The cache in {@code dir} (created when absent). */
  public static ChartCache open(Path dir) {
    try {
      Path abs = dir.toAbsolutePath().normalize();
      Files.createDirectories(abs.resolve("archives"));
      Path unpackedDir = abs.resolve("unpacked");
      if (Files.exists(unpackedDir)) {
        deleteTree(unpackedDir);
      }
      Files.createDirectories(unpackedDir);
      return new ChartCache(abs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open chart cache " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The cache directory. */
  public Path directory() {
    return dir;
  }

  /** A cached chart: its archive's digest and its unpacked directory. */
  record Hit(String digest, Path unpacked) {}

  /**
   * The cached chart, unpacked, when its archive is stored and intact (and has {@code
   * expectedDigest} when given).
   */
  Optional<Hit> get(
      String repository, String chart, String version, Optional<String> expectedDigest) {
    String key = key(repository, chart, version);
    synchronized (lock(key)) {
      Path entryDir = dir.resolve("archives").resolve(key);
      Path archive = entryDir.resolve("chart.tgz");
      Path meta = entryDir.resolve("entry.properties");
      if (!Files.isRegularFile(archive) || !Files.isRegularFile(meta)) {
        return Optional.empty();
      }
      try {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
          p.load(in);
        }
        String digest = p.getProperty("digest", "");
        if (!repository.equals(p.getProperty("repository"))
            || !chart.equals(p.getProperty("chart"))
            || !version.equals(p.getProperty("version"))) {
          return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(archive);
        String actual = sha256(bytes);
        if (!actual.equals(digest)) {
          LOG.warn(
              "chart cache entry {} {} {} is corrupt (its archive no longer has digest {}); fetching"
                  + " it again",
              repository,
              chart,
              version,
              digest);
          deleteTree(entryDir);
          unpacked.remove(key);
          return Optional.empty();
        }
        if (expectedDigest.isPresent() && !sameDigest(expectedDigest.get(), digest)) {
          // the repository now names another archive for this version: fetch it again
          return Optional.empty();
        }
        Path dirOut = unpacked.get(key + digest);
        if (dirOut == null || !Files.isRegularFile(dirOut.resolve("Chart.yaml"))) {
          dirOut = unpack(key, digest, bytes);
        }
        return Optional.of(new Hit(digest, dirOut));
      } catch (IOException e) {
        LOG.warn("chart cache entry {} cannot be read ({}); fetching it again", key, e.toString());
        return Optional.empty();
      }
    }
  }

  /**
   * Stores a verified archive and returns it unpacked.
   *
   * @throws ChartArchive.ArchiveException when the archive is not a safe, valid chart (nothing is
   *     stored)
   */
  Hit put(String repository, String chart, String version, byte[] archive) throws IOException {
    String key = key(repository, chart, version);
    synchronized (lock(key)) {
      String digest = sha256(archive);
      // unpack first: an archive that is not a valid chart is never stored
      Path out = unpack(key, digest, archive);
      Path entryDir = dir.resolve("archives").resolve(key);
      Path staging = Files.createTempDirectory(dir.resolve("archives"), ".staging-");
      try {
        Files.write(staging.resolve("chart.tgz"), archive);
        Properties p = new Properties();
        p.setProperty("repository", repository);
        p.setProperty("chart", chart);
        p.setProperty("version", version);
        p.setProperty("digest", digest);
        try (var w = Files.newBufferedWriter(staging.resolve("entry.properties"))) {
          p.store(w, "glidepath chart cache entry");
        }
        if (Files.exists(entryDir)) {
          deleteTree(entryDir);
        }
        move(staging, entryDir);
      } finally {
        if (Files.exists(staging)) {
          deleteTree(staging);
        }
      }
      return new Hit(digest, out);
    }
  }

  private Path unpack(String key, String digest, byte[] archive) throws IOException {
    Path target = dir.resolve("unpacked").resolve(key + "-" + digest.substring(7, 19));
    if (Files.isRegularFile(target.resolve("Chart.yaml"))) {
      unpacked.put(key + digest, target);
      return target;
    }
    Path staging = Files.createTempDirectory(dir.resolve("unpacked"), ".staging-");
    try {
      Path chartDir = staging.resolve("chart");
      ChartArchive.unpack(archive, chartDir);
      if (Files.exists(target)) {
        deleteTree(target);
      }
      move(chartDir, target);
    } finally {
      deleteTree(staging);
    }
    unpacked.put(key + digest, target);
    return target;
  }

  private Object lock(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  static String key(String repository, String chart, String version) {
    return sha256((repository + "\n" + chart + "\n" + version).getBytes(StandardCharsets.UTF_8))
        .substring(7, 39);
  }

  static String sha256(byte[] bytes) {
    return ChartDigests.sha256(bytes);
  }

  static boolean sameDigest(String a, String b) {
    return ChartDigests.same(a, b);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }

  @Override
  public String toString() {
    return "ChartCache[" + dir + "]";
  }
}

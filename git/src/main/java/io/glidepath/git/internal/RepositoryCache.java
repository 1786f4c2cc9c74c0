package io.glidepath.git.internal;

import io.glidepath.git.GitException;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The implementation behind {@link io.glidepath.git.GitCache}. */
public final class RepositoryCache implements AutoCloseable {
  private final Path directory;
  private final Duration timeout;
  private final int shallowDepth;
  private final SnapshotStore snapshots;
  private final Map<String, CachedRepository> repositories = new ConcurrentHashMap<>();

  public RepositoryCache(Path directory, int maxSnapshots, Duration timeout, int shallowDepth) {
    this.directory = directory;
    this.timeout = timeout;
    this.shallowDepth = shallowDepth;
    try {
      Files.createDirectories(directory.resolve("repos"));
      this.snapshots = new SnapshotStore(directory.resolve("snapshots"), maxSnapshots);
    } catch (IOException e) {
      throw new GitException(directory.toString(), "cannot open the git cache " + directory, e);
    }
  }

  public GitSource source(GitRemote remote) {
    String url = remote.url();
    String key = key(url);
    CachedRepository repo =
        repositories.computeIfAbsent(
            key,
            k -> {
              try {
                return new CachedRepository(url, k, directory.resolve("repos").resolve(k + ".git"));
              } catch (IOException e) {
                throw new GitException(
                    url, "cannot open the cached clone of " + url + ": " + e.getMessage());
              }
            });
    return new DefaultGitSource(
        remote, repo, snapshots, timeout, shallowDepth, directory.resolve("ssh").resolve(key));
  }

  @Override
  public void close() {
    snapshots.close();
    repositories.values().forEach(CachedRepository::close);
    repositories.clear();
  }

  /**
   * A short stable name for a URL: a trailing slash or {@code .git} does not make another clone.
   */
  static String key(String url) {
    String normal = url.strip();
    while (normal.endsWith("/")) {
      normal = normal.substring(0, normal.length() - 1);
    }
    if (normal.toLowerCase(Locale.ROOT).endsWith(".git")) {
      normal = normal.substring(0, normal.length() - 4);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
      String name = normal.replaceAll("^.*[/:]", "").replaceAll("[^A-Za-z0-9._-]", "_");
      if (name.length() > 40) {
        name = name.substring(0, 40);
      }
      return name + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}

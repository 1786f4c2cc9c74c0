package io.glidepath.git;

import io.glidepath.git.internal.RepositoryCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The local store of bare clones and commit snapshots, shared by every application that uses the
 * same repositories.
 *
 * <pre>{@code
 * GitCache cache = GitCache.builder(Path.of("/var/cache/glidepath")).maxSnapshots(16).build();
 * GitSource source = cache.source(GitRemote.of("https://git.example.com/org/gitops-configs.git"));
 * }</pre>
 *
 * <p>Layout: {@code repos/KEY.git} (one bare clone per URL; KEY is a hash of the URL without
 * credentials) and {@code snapshots/} (recreated when the cache opens). Use one {@code GitCache}
 * per directory per process; share it between threads (thread-safe). Defaults: {@value
 * #DEFAULT_MAX_SNAPSHOTS} snapshots, a {@link #DEFAULT_TIMEOUT} network timeout, full history.
 */
public final class GitCache implements AutoCloseable {
  /** How many snapshot trees are kept on disk when no one holds them. */
  public static final int DEFAULT_MAX_SNAPSHOTS = 32;

  /** The network timeout of one fetch or push. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Builder settings;
  private final RepositoryCache repositories;

  private GitCache(Builder b) {
    this.settings = b.copy();
    this.repositories = new RepositoryCache(b.directory, b.maxSnapshots, b.timeout, b.shallowDepth);
  }

  /** A cache in {@code directory} (created when absent) with default settings. */
  public static GitCache open(Path directory) {
    return builder(directory).build();
  }

  /** A builder for a cache in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** A builder holding this cache's settings, to open another cache like it. */
  public Builder newBuilder() {
    return settings.copy();
  }

  /** The source of {@code remote}; sources of the same URL share one clone. */
  public GitSource source(GitRemote remote) {
    return repositories.source(Objects.requireNonNull(remote, "remote"));
  }

  /** The source of a URL without credentials (HTTP(S) credentials in the URL are moved out). */
  public GitSource source(String url) {
    return source(GitRemote.of(url));
  }

  /** The cache directory. */
  public Path directory() {
    return settings.directory;
  }

  /** Closes the clones and deletes the snapshot trees; the clones stay on disk for next time. */
  @Override
  public void close() {
    repositories.close();
  }

  /** Settings of a {@link GitCache}. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private int maxSnapshots = DEFAULT_MAX_SNAPSHOTS;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int shallowDepth;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    private Builder copy() {
      Builder b = new Builder(directory);
      b.maxSnapshots = maxSnapshots;
      b.timeout = timeout;
      b.shallowDepth = shallowDepth;
      return b;
    }

    /** How many unused snapshot trees to keep (least recently used go first); at least 1. */
    public Builder maxSnapshots(int maxSnapshots) {
      if (maxSnapshots < 1) {
        throw new IllegalArgumentException("maxSnapshots must be >= 1, but was " + maxSnapshots);
      }
      this.maxSnapshots = maxSnapshots;
      return this;
    }

    /** The network timeout of one fetch or push, whole seconds, at least 1 s. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.getSeconds() < 1) {
        throw new IllegalArgumentException("timeout must be >= 1s, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Fetch only the last {@code depth} commits of each branch (0, the default, fetches all).
     * Shallow clones cannot tell a force-push from a long fast-forward nor diff against commits
     * beyond the depth.
     */
    public Builder shallowDepth(int depth) {
      if (depth < 0) {
        throw new IllegalArgumentException("shallowDepth must be >= 0, but was " + depth);
      }
      this.shallowDepth = depth;
      return this;
    }

    /** Opens the cache. */
    public GitCache build() {
      return new GitCache(this);
    }
  }
}

package io.glidepath.git.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** One bare clone in the cache, with the lock that lets one fetch or push run on it at a time. */
public final class CachedRepository implements AutoCloseable {
  private final String url;
  private final String key;
  private final Repository repository;
  private final ReentrantLock lock = new ReentrantLock();
  // what revisions resolved to, valid while no ref of the clone moved since (see refsChanged)
  private final java.util.concurrent.atomic.AtomicLong refsVersion =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.Map<String, Resolved> resolved =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Resolved(long version, String commit) {}

  CachedRepository(String url, String key, Path gitDir) throws IOException {
    this.url = url;
    this.key = key;
    boolean exists = Files.isDirectory(gitDir.resolve("objects"));
    this.repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
    if (!exists) {
      repository.create(true);
    }
    StoredConfig config = repository.getConfig();
    // a cache, not a workspace: no reflogs, and no automatic gc, which JGit would otherwise run
    // in a background thread after fetches and pushes, racing with the cache's own cleanup
    config.setBoolean("core", null, "logAllRefUpdates", false);
    config.setInt("gc", null, "auto", 0);
    config.setInt("gc", null, "autoPackLimit", 0);
    config.setBoolean("gc", null, "autoDetach", false);
    config.save();
  }

  /** The URL without credentials. */
  public String url() {
    return url;
  }

  /** The cache key (hash of the URL). */
  public String key() {
    return key;
  }

  public Repository repository() {
    return repository;
  }

  /** Held during a fetch or a write-back cycle. */
  public ReentrantLock lock() {
    return lock;
  }

  /**
   * The version of the clone's refs: moves whenever this process writes a ref (a fetch, a push's
   * local branch), which forgets every revision resolved before.
   */
  long refsVersion() {
    return refsVersion.get();
  }

  /** Called after any write to the clone's refs. */
  void refsChanged() {
    refsVersion.incrementAndGet();
    resolved.clear();
  }

  /** The commit {@code revision} resolved to at refs version {@code version}, or null. */
  String resolved(String revision, long version) {
    Resolved r = resolved.get(revision);
    return r != null && r.version() == version ? r.commit() : null;
  }

  /** Remembers what {@code revision} resolved to, read at refs version {@code version}. */
  void remember(String revision, long version, String commit) {
    if (resolved.size() > 1024) {
      resolved.clear();
    }
    resolved.put(revision, new Resolved(version, commit));
  }

  /** Whether a fetch has ever brought refs in. */
  public boolean isCloned() {
    try {
      return !repository.getRefDatabase().getRefs().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}

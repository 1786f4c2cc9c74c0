package io.glidepath.git.internal;

import io.glidepath.git.CommitId;
import io.glidepath.git.Snapshot;
import io.glidepath.git.SymlinkViolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Snapshot trees on disk, shared per commit, with leases: a tree is deleted only when no {@link
 * Snapshot} holds it and more than {@code max} trees exist (least recently used first).
 *
 * <p>An evicted tree is renamed out of the way at once (so its key can be built again) and deleted
 * by one background thread: deleting a whole repository's tree (thousands of files) took most of a
 * second, in the middle of the reconcile whose new snapshot evicted it and with every other
 * snapshot's lease waiting on this store's lock.
 */
final class SnapshotStore implements AutoCloseable {
  /** Builds a tree into a fresh directory and returns the links it refused. */
  interface Builder {
    List<SymlinkViolation> build(Path target) throws IOException;
  }

  private final Path directory;
  private final int max;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Object> buildLocks = new ConcurrentHashMap<>();
  private final ExecutorService deleter;
  private long evicted; // names the renamed trees apart

  SnapshotStore(Path directory, int max) throws IOException {
    this(directory, max, backgroundDeleter());
  }

  /** With the executor that deletes evicted trees (tests hold its tasks back). */
  SnapshotStore(Path directory, int max, ExecutorService deleter) throws IOException {
    this.directory = directory;
    this.max = max;
    this.deleter = deleter;
    // trees of an earlier process are not trusted to be complete: start afresh
    FileTrees.deleteRecursively(directory);
    Files.createDirectories(directory);
  }

  Snapshot acquire(String repoKey, CommitId commit, Builder builder) throws IOException {
    return acquire(repoKey, commit, "", builder);
  }

  /**
   * The tree of {@code commit} in the form {@code variant} names ("" the whole tree; another name
   * for a partial one), built by {@code builder} the first time.
   */
  Snapshot acquire(String repoKey, CommitId commit, String variant, Builder builder)
      throws IOException {
    String name = variant.isEmpty() ? commit.sha() : commit.sha() + "-" + variant;
    String key = repoKey + "/" + name;
    Snapshot held = lease(key);
    if (held != null) {
      return held;
    }
    Object buildLock = buildLocks.computeIfAbsent(key, k -> new Object());
    synchronized (buildLock) {
      held = lease(key);
      if (held != null) {
        return held;
      }
      Path target = directory.resolve(repoKey).resolve(name);
      Files.createDirectories(target.getParent());
      // built beside its final name, so that the move is a rename within one directory
      Path tree = Files.createTempDirectory(target.getParent(), ".building-");
      try {
        List<SymlinkViolation> violations = builder.build(tree);
        FileTrees.makeReadOnly(tree);
        FileTrees.deleteRecursively(target);
        Files.move(tree, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Entry entry = new Entry(key, commit, target, List.copyOf(violations));
        synchronized (this) {
          entries.put(key, entry);
          entry.leases++;
          evict();
        }
        return new Handle(entry);
      } finally {
        FileTrees.deleteQuietly(tree);
        buildLocks.remove(key);
      }
    }
  }

  private synchronized Snapshot lease(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    e.leases++;
    return new Handle(e);
  }

  private synchronized void release(Entry e) {
    e.leases--;
    evict();
  }

  private void evict() {
    Iterator<Entry> it = entries.values().iterator();
    int size = entries.size();
    while (size > max && it.hasNext()) {
      Entry e = it.next();
      if (e.leases == 0) {
        it.remove();
        size--;
        deleteLater(e.root);
      }
    }
  }

  /**
   * Renames {@code root} beside itself and deletes it on the background thread; deletes it here
   * when it cannot be renamed or the store is closing.
   */
  private void deleteLater(Path root) {
    Path renamed = root.resolveSibling(".evicted-" + evicted++ + "-" + root.getFileName());
    try {
      // within one directory: a rename that does not touch the (read-only) tree itself
      Files.move(root, renamed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      FileTrees.deleteQuietly(root);
      return;
    }
    try {
      deleter.execute(() -> FileTrees.deleteQuietly(renamed));
    } catch (RejectedExecutionException closing) {
      FileTrees.deleteQuietly(renamed);
    }
  }

  private static ExecutorService backgroundDeleter() {
    // one thread, started when a tree is evicted and gone 10 s after the last one is deleted
    return new ThreadPoolExecutor(
        0,
        1,
        10,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "glidepath-git-snapshot-delete");
          t.setDaemon(true);
          return t;
        });
  }

  /** How many trees are on disk (for tests and metrics). */
  synchronized int size() {
    return entries.size();
  }

  @Override
  public void close() {
    synchronized (this) {
      entries.clear();
    }
    // the deletions under way first: deleting the directory beside them could leave a tree half
    // deleted (the walk stops at a file the other deletion removed)
    deleter.shutdown();
    try {
      deleter.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    FileTrees.deleteQuietly(directory);
  }

  private static final class Entry {
    final String key;
    final CommitId commit;
    final Path root;
    final List<SymlinkViolation> violations;
    int leases;

    Entry(String key, CommitId commit, Path root, List<SymlinkViolation> violations) {
      this.key = key;
      this.commit = commit;
      this.root = root;
      this.violations = violations;
    }
  }

  private final class Handle implements Snapshot {
    private final Entry entry;
    private final AtomicBoolean closed = new AtomicBoolean();

    Handle(Entry entry) {
      this.entry = entry;
    }

    @Override
    public CommitId commit() {
      return entry.commit;
    }

    @Override
    public Path root() {
      return entry.root;
    }

    @Override
    public Path resolve(String relativePath) {
      return FileTrees.resolveInside(entry.root, relativePath);
    }

    @Override
    public List<SymlinkViolation> symlinkViolations() {
      return entry.violations;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(entry);
      }
    }

    @Override
    public String toString() {
      return "Snapshot[" + entry.commit.abbreviated() + " at " + entry.root + "]";
    }
  }
}

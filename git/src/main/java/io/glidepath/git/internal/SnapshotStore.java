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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Snapshot trees on disk, shared per commit, with leases: a tree is deleted only when no {@link
 * Snapshot} holds it and more than {@code max} trees exist (least recently used first).
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

  SnapshotStore(Path directory, int max) throws IOException {
    this.directory = directory;
    this.max = max;
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
        FileTrees.deleteQuietly(e.root);
      }
    }
  }

  /** How many trees are on disk (for tests and metrics). */
  synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized void close() {
    entries.clear();
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

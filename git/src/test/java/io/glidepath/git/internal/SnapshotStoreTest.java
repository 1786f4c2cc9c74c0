package io.glidepath.git.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.git.CommitId;
import io.glidepath.git.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  private static final CommitId ONE = CommitId.of("1".repeat(40));
  private static final CommitId TWO = CommitId.of("2".repeat(40));

  @TempDir Path tmp;

  @Test
  void anEvictedTreeLeavesItsPlaceAtOnceAndIsDeletedInTheBackground() throws IOException {
    HeldTasks deleter = new HeldTasks();
    try (SnapshotStore store = new SnapshotStore(tmp.resolve("s"), 1, deleter)) {
      Path first;
      try (Snapshot s = store.acquire("repo", ONE, tree("one"))) {
        first = s.root();
      }
      try (Snapshot s = store.acquire("repo", TWO, tree("two"))) {
        assertThat(first).as("evicted: gone from its place before the deletion ran").doesNotExist();
        assertThat(deleter.tasks).as("its deletion waits for the background thread").hasSize(1);
        assertThat(entries(first.getParent())).hasSize(2); // the new tree and the renamed old one

        deleter.runAll();
        assertThat(entries(first.getParent())).containsExactly(s.root());
        assertThat(s.root().resolve("content.txt")).hasContent("two");
      }
    }
  }

  @Test
  void aTreeBuiltAgainWhileItsEvictedCopyAwaitsDeletionIsWholeAndSurvivesThatDeletion()
      throws IOException {
    HeldTasks deleter = new HeldTasks();
    try (SnapshotStore store = new SnapshotStore(tmp.resolve("s"), 1, deleter)) {
      store.acquire("repo", ONE, tree("one")).close();
      store.acquire("repo", TWO, tree("two")).close(); // evicts ONE: its deletion is held back
      try (Snapshot again = store.acquire("repo", ONE, tree("one again"))) {
        deleter.runAll(); // the old ONE and now TWO
        assertThat(again.root().resolve("content.txt")).hasContent("one again");
        assertThat(entries(again.root().getParent())).containsExactly(again.root());
      }
    }
  }

  @Test
  void closeWaitsForTheDeletionsUnderWayAndLeavesNothing() throws IOException {
    Path dir = tmp.resolve("s");
    SnapshotStore store = new SnapshotStore(dir, 1);
    for (int i = 0; i < 5; i++) {
      CommitId commit = CommitId.of(String.valueOf(i).repeat(40));
      store.acquire("repo", commit, tree("tree " + i, 200)).close();
    }
    store.close();
    assertThat(dir).doesNotExist();
  }

  private static SnapshotStore.Builder tree(String content) {
    return tree(content, 0);
  }

  /** A tree with {@code content.txt} and {@code files} more files in a subdirectory. */
  private static SnapshotStore.Builder tree(String content, int files) {
    return target -> {
      Files.writeString(target.resolve("content.txt"), content);
      Path sub = Files.createDirectories(target.resolve("sub"));
      for (int i = 0; i < files; i++) {
        Files.writeString(sub.resolve("f" + i), content);
      }
      return List.of();
    };
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Keeps what it is given until told to run it. */
  private static final class HeldTasks extends AbstractExecutorService {
    final List<Runnable> tasks = new ArrayList<>();
    private boolean shutdown;

    void runAll() {
      List<Runnable> now = new ArrayList<>(tasks);
      tasks.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
    }

    @Override
    public void shutdown() {
      shutdown = true;
      runAll();
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}

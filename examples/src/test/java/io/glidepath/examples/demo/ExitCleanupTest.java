package io.glidepath.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCleanupTest {

  @Test
  void theHookClosesWhatWasRegisteredLastFirstThenDeletesTheDirectoryOnce(@TempDir Path temp)
      throws Exception {
    Path work = Files.createDirectories(temp.resolve("glidepath-demo-1/git-cache/snap"));
    Files.writeString(work.resolve("HEAD"), "ref");
    work.toFile().setWritable(false);
    Path root = temp.resolve("glidepath-demo-1");
    List<String> closed = new ArrayList<>();
    ExitCleanup cleanup = ExitCleanup.install(root);
    try {
      cleanup.onExit(() -> closed.add("git daemon"));
      cleanup.onExit(
          () -> {
            closed.add("prometheus");
            throw new IllegalStateException("already stopped");
          });

      cleanup.runNow();
      cleanup.runNow();

      assertThat(closed).containsExactly("prometheus", "git daemon");
      assertThat(root).doesNotExist();
    } finally {
      cleanup.close();
    }
  }

  @Test
  void closeRemovesTheHookAndLeavesEverythingAlone(@TempDir Path temp) throws Exception {
    Path root = Files.createDirectories(temp.resolve("glidepath-demo-2"));
    List<String> closed = new ArrayList<>();
    ExitCleanup cleanup = ExitCleanup.install(root);
    cleanup.onExit(() -> closed.add("git daemon"));
    assertThat(Runtime.getRuntime().removeShutdownHook(cleanup.hook())).isTrue();
    Runtime.getRuntime().addShutdownHook(cleanup.hook());

    cleanup.close();

    assertThat(closed).isEmpty();
    assertThat(root).exists();
    // the hook is no longer registered: removing it again says so
    assertThat(Runtime.getRuntime().removeShutdownHook(cleanup.hook())).isFalse();
  }
}

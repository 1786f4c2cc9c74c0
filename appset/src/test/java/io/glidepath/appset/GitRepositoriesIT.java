package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.git.GitCache;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which watcher reports reach {@link GitRepositories#onChange} listeners; polls run by hand. */
class GitRepositoriesIT {
  private LocalGitServer git;

  @BeforeEach
  void start() {
    ExternalTool.require(ExternalTool.GIT);
    git = LocalGitServer.start();
  }

  @AfterEach
  void close() {
    if (git != null) {
      git.close();
    }
  }

  @Test
  void onlyACommitNotYetReadCallsTheListeners(@TempDir Path dir) throws Exception {
    Path content = Files.createDirectories(dir.resolve("content/apps/payments"));
    Files.writeString(content.resolve("config.yaml"), "a: 1\n");
    git.seed("deploy", dir.resolve("content"), "first");
    String url = git.url("deploy");
    List<GitWatcher> made = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    try (GitCache cache = GitCache.open(dir.resolve("cache"));
        GitRepositories repos =
            GitRepositories.builder(cache::source)
                .watch(
                    (source, revision) -> {
                      GitWatcher w =
                          GitWatcher.builder(source, revision)
                              .scheduler((delay, task) -> () -> {}) // polled by hand below
                              .build();
                      made.add(w);
                      return w;
                    })
                .build()) {
      repos.onChange(calls::incrementAndGet);
      String first = repos.checkout(url, "main").revision();
      assertThat(made).hasSize(1);

      made.get(0).poll(); // the watcher's first report: the commit the checkout just read
      assertThat(calls).as("a report of the commit already read").hasValue(0);

      String second =
          git.commitFiles("deploy", Map.of("apps/trade-service/config.yaml", "a: 2\n"), "second");
      made.get(0).poll();
      assertThat(calls).as("a new commit").hasValue(1);

      assertThat(repos.checkout(url, "main").revision()).isEqualTo(second).isNotEqualTo(first);
      made.get(0).poll();
      assertThat(calls).as("nothing moved").hasValue(1);
    }
  }
}

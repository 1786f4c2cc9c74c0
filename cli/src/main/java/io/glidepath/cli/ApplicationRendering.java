package io.glidepath.cli;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.app.RenderedApplication;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.git.GitCache;
import io.glidepath.git.RepoCheckouts;
import io.glidepath.helm.repo.ChartCache;
import io.glidepath.helm.repo.ChartFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An Argo CD Application rendered from its sources as the controller renders it ({@link
 * ApplicationRenderer}): Git sources cloned, charts fetched, with Argo CD's repository Secrets, in
 * a cache directory kept for the next run or a temporary one deleted afterwards. Shared by {@code
 * render --application} and {@code diff --application}.
 */
final class ApplicationRendering {
  private ApplicationRendering() {}

  static RenderedApplication render(Application app, List<Path> repoCredentials, Path cacheDir)
      throws IOException {
    RepoCredentialStore credentials =
        repoCredentials.isEmpty()
            ? RepoCredentialStore.EMPTY
            : RepoCredentialStore.read(repoCredentials.toArray(new Path[0]));
    Path cache = cacheDir != null ? cacheDir : Files.createTempDirectory("glidepath-render-");
    try (GitCache git = GitCache.open(cache.resolve("git"))) {
      return ApplicationRenderer.builder()
          .git(RepoCheckouts.of(git, credentials))
          .charts(
              ChartFetcher.builder(ChartCache.open(cache.resolve("charts")))
                  .credentials(credentials)
                  .build())
          .build()
          .render(app);
    } finally {
      if (cacheDir == null) {
        delete(cache);
      }
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}

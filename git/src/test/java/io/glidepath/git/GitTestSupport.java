package io.glidepath.git;

import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts a {@link LocalGitServer}, skipping locally (failing on CI) when git is missing. */
public final class GitTestSupport {
  private GitTestSupport() {}

  public static LocalGitServer startServer() {
    ExternalTool.require(ExternalTool.GIT);
    return LocalGitServer.start();
  }

  /** Writes {@code files} (relative path to content) under {@code dir}. */
  public static Path writeTree(Path dir, Map<String, String> files) {
    try {
      for (Map.Entry<String, String> e : files.entrySet()) {
        Path file = dir.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The seed's trade-service files (copied from shared/seed into the test resources) laid out as
   * the GitOps repository of its CI step: {@code apps/trade-service/values*.yaml}.
   */
  public static Path seedGitopsRepo(Path dir) {
    try {
      Path app = Files.createDirectories(dir.resolve("apps/trade-service"));
      for (String f :
          new String[] {
            "values.yaml", "values-staging.yaml", "values-production.yaml", "rollout.yaml"
          }) {
        try (var in = GitTestSupport.class.getResourceAsStream("/seed/trade-service/" + f)) {
          Files.copy(in, app.resolve(f));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.glidepath.benchmarks.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps JGit's per-user files (its file system probe results, its own config) of a benchmark JVM in
 * a folder of the benchmark's, instead of the user's {@code ~/.config}.
 */
public final class JGitUserConfig {
  private JGitUserConfig() {}

  /** Makes {@code work/xdg-config} JGit's XDG_CONFIG_HOME for the rest of this JVM. */
  public static void keepUnder(Path work) throws IOException {
    Path xdg = Files.createDirectories(work.resolve("xdg-config"));
    SystemReader.setInstance(
        new SystemReader.Delegate(SystemReader.getInstance()) {
          @Override
          public String getenv(String variable) {
            return "XDG_CONFIG_HOME".equals(variable) ? xdg.toString() : super.getenv(variable);
          }

          @Override
          public Path getXdgConfigDirectory(FS fs) {
            return xdg;
          }

          @Override
          public FileBasedConfig openJGitConfig(Config parent, FS fs) {
            // the delegate would resolve XDG_CONFIG_HOME with its own getenv
            return new FileBasedConfig(parent, xdg.resolve("jgit/config").toFile(), fs);
          }
        });
  }
}

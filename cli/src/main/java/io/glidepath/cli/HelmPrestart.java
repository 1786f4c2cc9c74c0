package io.glidepath.cli;

import io.glidepath.helm.HelmRenderer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Starts the Helm render process ({@link HelmRenderer#prestart}) before picocli builds and parses
 * the command line, when the arguments are a render of a chart: {@code render}, {@code diff} or
 * {@code env-diff} whose first argument after the command that is not an option is a directory
 * holding {@code Chart.yaml}. The process then starts and loads the Helm engine while this JVM
 * builds the command and reads the chart, instead of after.
 *
 * <p>It only guesses from the words: a guess that is wrong starts a process that renders nothing
 * and is ended at exit; one that is missed (a chart given after an option's value) leaves the
 * render to start the process, as it always does. Help, version and {@code @FILE} arguments start
 * nothing.
 */
final class HelmPrestart {
  private static final Set<String> COMMANDS = Set.of("render", "diff", "env-diff");
  private static final Set<String> NOT_A_RUN = Set.of("--help", "-h", "--version", "-V");

  private HelmPrestart() {}

  /** Starts the Helm render process if {@code args} render a chart; whether it did. */
  static boolean forArguments(String[] args) {
    Path chart = chartOf(args);
    if (chart == null) {
      return false;
    }
    HelmRenderer.create().prestart();
    return true;
  }

  /** The chart directory {@code args} render, or null. */
  static Path chartOf(String[] args) {
    for (String a : args) {
      if (NOT_A_RUN.contains(a) || a.startsWith("@")) {
        return null;
      }
    }
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      i++; // options of glidepath itself (--verbose)
    }
    if (i >= args.length || !COMMANDS.contains(args[i])) {
      return null;
    }
    for (int j = i + 1; j < args.length; j++) {
      if (args[j].startsWith("-")) {
        continue;
      }
      try {
        Path dir = Path.of(args[j]);
        return Files.isRegularFile(dir.resolve("Chart.yaml")) ? dir : null;
      } catch (InvalidPathException e) {
        return null;
      }
    }
    return null;
  }
}

package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the README's command-line recipes as a user would: each {@code sh} block after a {@code <!--
 * cli-recipe: cwd=DIR -->} marker, every {@code glidepath ...} line in it (continuations joined)
 * run by the launcher {@code bin/glidepath} (on Windows, which has no launcher: {@code java -jar
 * cli/target/glidepath-cli.jar}) from DIR, expecting exit 0 or the code a trailing {@code # exit N}
 * names.
 */
class ReadmeRecipesIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = ROOT.resolve("cli/target/glidepath-cli.jar");
  private static final Path LAUNCHER = ROOT.resolve("bin/glidepath");
  private static final boolean WINDOWS =
      System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  private static final Pattern RECIPE =
      Pattern.compile("<!-- cli-recipe: cwd=(\\S+) -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+)\\s*$");

  record Recipe(String cwd, String command, int exit) {}

  static List<Recipe> recipes() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<Recipe> out = new ArrayList<>();
    Matcher m = RECIPE.matcher(readme);
    while (m.find()) {
      String block = m.group(2).replace("\\\n", " ");
      for (String line : block.lines().map(String::strip).toList()) {
        if (!line.startsWith("glidepath ")) {
          continue;
        }
        Matcher exit = EXIT.matcher(line);
        int code = 0;
        if (exit.find()) {
          code = Integer.parseInt(exit.group(1));
        }
        String command = line.replaceAll("\\s+#.*$", "").strip();
        out.add(new Recipe(m.group(1), command, code));
      }
    }
    return out;
  }

  @TestFactory
  List<DynamicTest> everyRecipeRunsAsTheReadmeSays() throws IOException {
    List<Recipe> recipes = recipes();
    assertThat(recipes).as("cli-recipe blocks in README.md").isNotEmpty();
    return recipes.stream()
        .map(
            r ->
                DynamicTest.dynamicTest(
                    "(cd " + r.cwd() + " && " + r.command() + ")", () -> run(r)))
        .toList();
  }

  private static void run(Recipe recipe) throws IOException, InterruptedException {
    List<String> command =
        WINDOWS
            ? new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()))
            : new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(words(recipe.command().substring("glidepath ".length())));
    Path log = Files.createTempFile("glidepath-recipe-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(ROOT.resolve(recipe.cwd()).toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process p = pb.start();
      boolean done = p.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done).as("finished within 180 s: %s", output).isTrue();
      assertThat(p.exitValue()).as(output).isEqualTo(recipe.exit());
      assertThat(output).as("no stack trace").doesNotContain("\tat ");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Shell words: whitespace-separated, single or double quotes keep spaces. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }
}

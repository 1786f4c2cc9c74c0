package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Help.Ansi;

/**
 * The usage stored beside the jar is the one picocli renders from the commands, and it is printed
 * only when it is there and newer than the jar (the launcher test checks the texts of the built
 * jar).
 */
class UsageTextTest {
  @TempDir Path dir;
  Path jar;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void aJarWithItsTexts() throws IOException {
    jar = Files.writeString(dir.resolve("glidepath-cli.jar"), "not read");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    UsageText.main(new String[] {jar.toString()});
  }

  private boolean print(String... args) {
    return UsageText.print(args, new PrintStream(out, true), new PrintStream(err, true), jar);
  }

  /**
   * What {@code glidepath ARGS} prints through picocli, without ANSI (tests run on no terminal).
   */
  private static String throughPicocli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
    return o + "" + e;
  }

  @Test
  void theTextsAreWhatPicocliRendersFromTheCommands() throws IOException {
    String plain = Files.readString(dir.resolve("glidepath-cli-usage.txt"), StandardCharsets.UTF_8);
    String coloured =
        Files.readString(dir.resolve("glidepath-cli-usage-ansi.txt"), StandardCharsets.UTF_8);

    assertThat(plain).isEqualTo(UsageText.render(Ansi.OFF)).isEqualTo(throughPicocli("--help"));
    assertThat(coloured).isEqualTo(UsageText.render(Ansi.ON)).contains("\u001b[");
  }

  @Test
  void helpPrintsWhatPicocliPrints() {
    assertThat(print("--help")).isTrue();
    assertThat(print("-h")).isTrue();

    String once = throughPicocli("--help");
    assertThat(once).contains("Usage: glidepath").contains("render").contains("Exit codes:");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(once + once);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void noArgumentsPrintTheUsageOnStderr() {
    assertThat(print()).isTrue();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(throughPicocli());
  }

  @Test
  void anythingElseGoesThroughPicocli() {
    for (String[] args :
        new String[][] {
          {"render", "--help"}, {"--help", "--verbose"}, {"--version"}, {"help"}, {"-hv"}
        }) {
      assertThat(print(args)).as(String.join(" ", args)).isFalse();
    }
    assertThat(out.size() + err.size()).isZero();
  }

  @Test
  void picocliSettingsGoThroughPicocli() {
    System.setProperty("picocli.usage.width", "120");
    try {
      assertThat(print("--help")).isFalse();
    } finally {
      System.clearProperty("picocli.usage.width");
    }
  }

  @Test
  void theSettingThatSparesAJarScanIsNotAUsageSetting() {
    String before = System.getProperty(JarScans.NO_GROOVY_CLOSURES);
    System.setProperty(JarScans.NO_GROOVY_CLOSURES, "true");
    try {
      assertThat(print("--help")).isTrue();
    } finally {
      if (before == null) {
        System.clearProperty(JarScans.NO_GROOVY_CLOSURES);
      } else {
        System.setProperty(JarScans.NO_GROOVY_CLOSURES, before);
      }
    }
  }

  @Test
  void textsOlderThanTheJarOrMissingAreNotUsed() throws IOException {
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    assertThat(print("--help")).isFalse();

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(600)));
    assertThat(print("--help")).isTrue();

    Files.delete(dir.resolve("glidepath-cli-usage.txt"));
    assertThat(print("--help")).isFalse();
  }
}

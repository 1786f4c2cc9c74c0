package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Commands built only when a command line names them, with the same usage and help as before. */
class SubcommandsTest {
  private static final PrintWriter NOWHERE = new PrintWriter(new StringWriter());

  static Stream<String> commands() {
    return CliContractTest.commands();
  }

  private static Map<String, Boolean> builtInFull(String... args) {
    return Main.commandLine(NOWHERE, NOWHERE, args).getSubcommands().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> !Subcommands.isStandIn(e.getValue()),
                (a, b) -> a,
                LinkedHashMap::new));
  }

  private static String output(boolean eager, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    CommandLine cli = eager ? Main.commandLine(o, e) : Main.commandLine(o, e, args);
    int code = Main.run(cli, args);
    return code + "\n" + out + "\n" + err;
  }

  @Test
  void aRunBuildsOnlyTheCommandItNames() {
    Map<String, Boolean> full = builtInFull("--verbose", "render", "apps/x", "-o", "summary");

    assertThat(full).containsEntry("render", true);
    assertThat(full.entrySet().stream().filter(Map.Entry::getValue)).hasSize(1);
    assertThat(full.keySet()).containsExactlyElementsOf(commands().toList());
  }

  @Test
  void helpAndNoCommandBuildNone() {
    assertThat(builtInFull("--help").values()).containsOnly(false);
    assertThat(builtInFull().values()).containsOnly(false);
  }

  @Test
  void argumentsFromAFileBuildEveryCommand() {
    assertThat(builtInFull("@args.txt").values()).containsOnly(true);
  }

  @Test
  void theUsageListsTheStandInsAsTheFullCommands() {
    assertThat(output(false, "--help")).isEqualTo(output(true, "--help"));
    assertThat(output(false)).isEqualTo(output(true)).contains("Usage: glidepath");
  }

  @Test
  void aMistypedCommandIsStillSuggested() {
    String lazy = output(false, "rendr", "apps/x");

    assertThat(lazy).isEqualTo(output(true, "rendr", "apps/x")).startsWith("2\n");
    assertThat(lazy).contains("render");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandsHelpIsTheSameBuiltAlone(String command) {
    assertThat(output(false, command, "--help")).isEqualTo(output(true, command, "--help"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandsUsageErrorIsTheSameBuiltAlone(String command) {
    assertThat(output(false, command, "--no-such-option"))
        .isEqualTo(output(true, command, "--no-such-option"));
  }

  @Test
  void aClassWithoutCommandAnnotationIsRefusedWhenTheCommandLineIsBuilt() {
    Subcommands subcommands = Subcommands.of(String.class);

    assertThatThrownBy(() -> subcommands.addFor(new CommandLine(new Main()), new String[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String has no @Command annotation");
  }
}

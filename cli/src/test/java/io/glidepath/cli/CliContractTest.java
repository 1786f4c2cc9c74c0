package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.GlidepathException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The exit-code table of {@link ExitCodes}, for every registered command (new ones included: the
 * parameterized tests take the list from {@link Main}), and the way failures are reported.
 */
class CliContractTest {
  record Run(int code, String out, String err) {}

  private static Run run(CommandLine cli, StringWriter out, StringWriter err, String... args) {
    int code = Main.run(cli, args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    return run(
        Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)), out, err, args);
  }

  static Stream<String> commands() {
    return Main.commandLine(
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
        .getSubcommands()
        .keySet()
        .stream();
  }

  @Test
  void noArgumentsPrintUsageOnStderrAndExitTwo() {
    Run run = run();

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("Usage: glidepath").contains("Exit codes:");
  }

  @Test
  void topLevelHelpListsTheWholeTable() {
    Run run = run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("Exit codes:")
        .containsPattern("(?m)^  0 +success")
        .containsPattern("(?m)^  1 +a result that is not good")
        .containsPattern("(?m)^  2 +usage or input error")
        .containsPattern("(?m)^  3-69 +an outcome of one command")
        .containsPattern("(?m)^  70 +internal error");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Run run = run("frobnicate");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument at index 0: 'frobnicate'");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandsHelpListsItsExitCodes(String command) {
    Run run = run(command, "--help");

    assertThat(run.code()).isZero();
    Map<Integer, String> outcomes = Main.outcomesOf(commandObject(command));
    assertThat(outcomes).containsKey(0);
    assertThat(run.out()).contains("Exit codes:");
    for (Map.Entry<Integer, String> e : outcomes.entrySet()) {
      assertThat(run.out()).contains(e.getKey() + "    " + e.getValue().split(" ")[0]);
    }
    assertThat(run.out())
        .containsPattern("(?m)^  2 +usage or input error")
        .containsPattern("(?m)^  70 +internal error");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandExitsTwoWithItsUsageOnAnUnknownOption(String command) {
    Run run = run(command, "--no-such-option");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    // picocli names the option, or shows the usage when a required one is missing first
    assertThat(run.err())
        .containsAnyOf("Unknown option: '--no-such-option'", "Usage: glidepath " + command);
  }

  private static Object commandObject(String command) {
    return Main.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
        .getSubcommands()
        .get(command)
        .getCommand();
  }

  @Test
  void outcomesOutsideTheCommandsRangeAreRefused() {
    ExitCodes claimsTwo =
        new ExitCodes() {
          @Override
          public Map<Integer, String> outcomes() {
            return Map.of(0, "ok", 2, "mine");
          }
        };

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.outcomesOf(claimsTwo))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declares exit code 2");
  }

  /** A command that throws what it is given, to see how each kind of failure is reported. */
  @Command(name = "fail")
  static final class Fail implements Callable<Integer> {
    private final Throwable error;

    Fail(Throwable error) {
      this.error = error;
    }

    @Override
    public Integer call() throws Exception {
      if (error instanceof Exception e) {
        throw e;
      }
      throw (Error) error;
    }
  }

  private static Run failWith(Throwable error, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    cli.addSubcommand("fail", new Fail(error));
    cli.setOut(new PrintWriter(out, true)); // reaches the command added last too
    cli.setErr(new PrintWriter(err, true));
    String[] all = Stream.concat(Stream.of(args), Stream.of("fail")).toArray(String[]::new);
    return run(cli, out, err, all);
  }

  @Test
  void aGlidepathErrorIsOneLineAndExitTwo() {
    Run run = failWith(new GlidepathException("apps/x/values.yaml:3: bad indentation"));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: apps/x/values.yaml:3: bad indentation" + System.lineSeparator());
  }

  @Test
  void aNetworkFailureNamesItsCauseInWords() {
    Run run =
        failWith(
            new UncheckedIOException(
                "fetch of http://git.example.com/r.git failed", new ConnectException()));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: fetch of http://git.example.com/r.git failed: connection refused (nothing"
                + " listens on that port)"
                + System.lineSeparator());
  }

  @Test
  void aCrashIsOneLineWithTheCauseAndExitSeventy() {
    Run run = failWith(new NullPointerException("Cannot invoke \"String.length()\""));

    assertThat(run.code()).isEqualTo(70);
    List<String> lines = run.err().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("internal error: NullPointerException: Cannot invoke \"String.length()\" at ")
        .endsWith("(run with --verbose for the stack trace)");
  }

  @Test
  void anErrorEscapingACommandIsACrashToo() {
    Run run = failWith(new StackOverflowError());

    assertThat(run.code()).isEqualTo(70);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("internal error: stack overflow");
  }

  @Test
  void verbosePrintsTheStackTraceOfACrash() {
    Run run = failWith(new IllegalStateException("broken invariant"), "--verbose");

    assertThat(run.code()).isEqualTo(70);
    assertThat(run.err())
        .startsWith("internal error: IllegalStateException: broken invariant at ")
        .contains("java.lang.IllegalStateException: broken invariant")
        .contains("\tat io.glidepath.cli.CliContractTest");
  }

  @Test
  void noErrorLineOrStackTracePrintsAPasswordInAUrl() {
    Run input =
        failWith(new GlidepathException("fetch of ssh://git:hunter2@git.example.com/r failed"));
    assertThat(input.code()).isEqualTo(2);
    assertThat(input.err()).contains("ssh://git:***@git.example.com/r").doesNotContain("hunter2");

    Run crash =
        failWith(
            new IllegalStateException(
                "cannot parse https://bot:p@ss-hunter2@git.example.com/org/r.git"),
            "--verbose");
    assertThat(crash.code()).isEqualTo(70);
    assertThat(crash.err())
        .contains("https://bot:***@git.example.com/org/r.git", "\tat io.glidepath.cli")
        .doesNotContain("hunter2");
  }
}

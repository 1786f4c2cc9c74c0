package io.glidepath.cli;

import java.util.Map;

/**
 * The exit-code table every {@code glidepath} command follows, and what one command's codes mean.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>{@value #OK}</td><td>success: done, in sync, promoted, honoured</td></tr>
 *   <tr><td>{@value #NOT_GOOD}</td><td>a result that is not good: drift, a Failed analysis, a
 *       rollback, something refused by {@code validate}</td></tr>
 *   <tr><td>{@value #INPUT_ERROR}</td><td>usage or input error: bad arguments, an unreadable or
 *       invalid file, any Glidepath error</td></tr>
 *   <tr><td>3 to 69</td><td>outcomes of one command (its {@link #outcomes()})</td></tr>
 *   <tr><td>{@value #INTERNAL_ERROR}</td><td>internal error: a crash; one line on stderr, the
 *       stack trace only with {@code --verbose}</td></tr>
 * </table>
 *
 * <p>How a new command plugs in:
 *
 * <ol>
 *   <li>A class in this package, {@code @Command(name = "...", mixinStandardHelpOptions = true)},
 *       that {@code implements Callable<Integer>, ExitCodes}.
 *   <li>{@code call()} returns {@link #OK}, {@link #NOT_GOOD} or one of its own codes (3 to 69).
 *       Bad input is thrown, never returned: a {@code GlidepathException} (any subclass), an {@code
 *       IllegalArgumentException}, an {@code UncheckedIOException} or a picocli {@code
 *       ParameterException} exits {@value #INPUT_ERROR} with one line {@code error: <message>}.
 *       Anything else thrown is an internal error ({@value #INTERNAL_ERROR}).
 *   <li>It overrides {@link #outcomes()} to say what its 0, 1 and own codes mean, in a few words
 *       each; {@link Main} adds 2 and 70 and shows the list under "Exit codes:" in the command's
 *       {@code --help}. Do not repeat the codes in the description.
 *   <li>One line in {@link Main#SUBCOMMANDS} ({@code FooCommand.class,}); picocli builds the
 *       command only when a command line names it. {@code CliContractTest} then checks the command
 *       against this table (help lists the codes, a bad option exits 2 with usage on stderr,
 *       outcomes use only 0, 1 and 3 to 69).
 * </ol>
 */
public interface ExitCodes {
  /** Success: done, in sync, promoted, honoured. */
  int OK = 0;

  /** A result that is not good: drift, a Failed analysis, a rollback, a refusal. */
  int NOT_GOOD = 1;

  /** Usage or input error: bad arguments, an unreadable or invalid input, a Glidepath error. */
  int INPUT_ERROR = 2;

  /** An unexpected internal failure (a crash). */
  int INTERNAL_ERROR = 70;

  /**
   * What this command's exit codes mean, code to a few words ("in sync"), for its {@code --help};
   * only 0, 1 and 3 to 69 belong here ({@link Main} adds 2 and 70). Default: 0 "success".
   */
  default Map<Integer, String> outcomes() {
    return Map.of(OK, "success");
  }

  /**
   * The exit code of a bad input: {@link #INPUT_ERROR} for every command. Prefer throwing the
   * error; this remains for commands that report bad input they found themselves.
   */
  default int onError() {
    return INPUT_ERROR;
  }
}

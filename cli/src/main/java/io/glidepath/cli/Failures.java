package io.glidepath.cli;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.NetworkFailure;
import io.glidepath.core.Redaction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * How the command line reports what went wrong: one line on stderr, the exit code of {@link
 * ExitCodes}, and a stack trace only when asked for with {@code --verbose}.
 */
final class Failures {
  private Failures() {}

  /**
   * Whether {@code error} is bad input (exit 2): a Glidepath error, an illegal argument or an I/O
   * failure reading or writing a file the user named. Anything else is a crash.
   */
  static boolean isInputError(Throwable error) {
    return error instanceof GlidepathException
        || error instanceof IllegalArgumentException
        || error instanceof UncheckedIOException
        || error instanceof java.io.IOException;
  }

  /**
   * Prints {@code error} as one line ({@code error: ...} for bad input, {@code internal error: ...}
   * for a crash), with its network cause in words when it has one, and the stack trace when {@code
   * verbose}; returns the exit code.
   */
  static int report(Throwable error, PrintWriter err, boolean verbose) {
    boolean input = isInputError(error);
    String line =
        input
            ? "error: " + withNetworkCause(message(error), error)
            : "internal error: "
                + describeCrash(error)
                + (verbose ? "" : " (run with --verbose for the stack trace)");
    // the last guard for credentials in URLs: whatever an error says, its line and trace do not
    // print them (Redaction.urls leaves text without credentials unchanged)
    err.println(Redaction.urls(line));
    if (verbose) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      err.print(Redaction.urls(trace.toString()));
    }
    err.flush();
    return input ? ExitCodes.INPUT_ERROR : ExitCodes.INTERNAL_ERROR;
  }

  private static String message(Throwable error) {
    String m = error.getMessage();
    if (m == null || m.isBlank()) {
      Throwable cause = error.getCause();
      return cause != null && cause != error ? message(cause) : error.getClass().getSimpleName();
    }
    return m.strip();
  }

  /** The message with the network cause in words appended unless it says so already. */
  static String withNetworkCause(String message, Throwable error) {
    String words = NetworkFailure.describe(error).orElse(null);
    if (words == null) {
      return message;
    }
    int hint = words.indexOf(" (");
    String key = (hint < 0 ? words : words.substring(0, hint)).toLowerCase(Locale.ROOT);
    return message.toLowerCase(Locale.ROOT).contains(key) ? message : message + ": " + words;
  }

  /** The crash in words: the error's kind and message, and where it came from. */
  static String describeCrash(Throwable error) {
    String kind =
        error instanceof OutOfMemoryError
            ? "out of memory"
            : error instanceof StackOverflowError
                ? "stack overflow (input nested too deeply?)"
                : error.getClass().getSimpleName();
    String m = error.getMessage();
    StackTraceElement[] trace = error.getStackTrace();
    String where =
        trace.length == 0 ? "" : " at " + trace[0].getClassName() + "." + trace[0].getMethodName();
    return kind
        + (m == null || m.isBlank() ? "" : ": " + m.strip().lines().findFirst().orElse(""))
        + where;
  }
}

package io.glidepath.cli;

import io.glidepath.core.GlidepathException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code glidepath} command.
 *
 * <p>Each subcommand is a class in this package; register new ones in {@code subcommands} below. A
 * {@link GlidepathException} from a command is printed as one line on stderr (no stack trace) and
 * exits with the command's {@link ExitCodes#onError()} code.
 */
@Command(
    name = "glidepath",
    mixinStandardHelpOptions = true,
    version = "glidepath 0.1.0-SNAPSHOT",
    description = "GitOps sync and progressive delivery, from Git to cluster.",
    subcommands = {
      RenderCommand.class,
      DemoCommand.class,
      WindowsCommand.class,
      AnalyzeCommand.class,
      SetImageCommand.class,
      DiffCommand.class,
      EnvDiffCommand.class,
      SimulateCommand.class,
      BackfillCommand.class,
      ValidateCommand.class,
      SyncCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line wired with Glidepath's error handling, for {@link #main} and tests. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Object command = commandLine.getCommand();
          int code = command instanceof ExitCodes codes ? codes.onError() : 1;
          if (e instanceof GlidepathException
              || e instanceof IllegalArgumentException
              || e instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return code;
          }
          throw e;
        });
    return cli;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(commandLine(out, err).execute(args));
  }
}

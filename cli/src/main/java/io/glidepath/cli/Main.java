package io.glidepath.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code glidepath} command.
 *
 * <p>Each subcommand is a class in this package, registered by one line in {@link #SUBCOMMANDS}
 * below (picocli builds only the command a run names: {@link Subcommands}); {@link ExitCodes} says
 * how a command plugs into the exit-code table (0 success, 1 not good, 2 usage or input error, 3 to
 * 69 the command's own outcomes, 70 internal error), which this class enforces for all of them: a
 * bad input is one line {@code error: ...} on stderr and exit 2; anything else thrown is one line
 * {@code internal error: ...} and exit 70, with the stack trace only under {@code --verbose}.
 * {@code glidepath} with no command prints the usage on stderr and exits 2.
 */
@Command(
    name = "glidepath",
    mixinStandardHelpOptions = true,
    version = "glidepath 0.1.0-SNAPSHOT",
    description = "GitOps sync and progressive delivery, from Git to cluster.",
    footerHeading = "%n",
    footer = "Run 'glidepath COMMAND --help' for a command's options and exit codes.")
public final class Main implements Callable<Integer> {
  /** Every subcommand, one line each, in the order the usage lists them. */
  static final Subcommands SUBCOMMANDS =
      Subcommands.of(
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
          SyncCommand.class,
          HealthCommand.class,
          AppsetCommand.class);

  /** The meaning of every code of the table, as the top-level help lists it. */
  static final Map<String, String> TABLE =
      tableOf(
          "0",
          "success: done, in sync, promoted, honoured",
          "1",
          "a result that is not good: drift, a Failed analysis, a rollback, a refusal",
          "2",
          "usage or input error: bad arguments, an unreadable or invalid input",
          "3-69",
          "an outcome of one command (see its --help)",
          "70",
          "internal error (a crash): one line on stderr, the stack trace with --verbose");

  @CommandLine.Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On an internal error, print the stack trace too.")
  boolean verbose;

  @Override
  public Integer call() {
    // no command: the usage, on stderr, as a usage error
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().flush();
    return ExitCodes.INPUT_ERROR;
  }

  /**
   * A command line wired with Glidepath's exit codes and error reporting, every subcommand built in
   * full, for tests.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    SUBCOMMANDS.addAll(cli);
    return wire(cli, out, err);
  }

  /**
   * The command line that runs {@code args}: like {@link #commandLine(PrintWriter, PrintWriter)},
   * but only the subcommands that {@code args} name are built (the rest are {@link Subcommands}
   * stand-ins, enough for the usage).
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    CommandLine cli = new CommandLine(new Main());
    SUBCOMMANDS.addFor(cli, args);
    return wire(cli, out, err);
  }

  private static CommandLine wire(CommandLine cli, PrintWriter out, PrintWriter err) {
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ReportFailure());
    describeExitCodes(cli);
    return cli;
  }

  /**
   * Reports what a command threw ({@link Failures}). A class rather than a lambda: picocli's
   * handler interface is compiled for Java 5, and the class-data archive leaves out a class of that
   * age once a lambda has linked it (and with it every class implementing it), so a lambda here
   * made every command open the jar to load them.
   */
  private static final class ReportFailure implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception e, CommandLine commandLine, ParseResult parseResult) {
      return Failures.report(e, commandLine.getErr(), verbose(parseResult));
    }
  }

  /**
   * Runs {@code glidepath args}: the exit code of {@link ExitCodes}, whatever happens, including an
   * {@link Error} that escapes a command.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(commandLine(out, err, args), args);
  }

  /**
   * Runs {@code args} on {@code cli} (a {@link #commandLine}, perhaps with test commands added).
   */
  static int run(CommandLine cli, String[] args) {
    try {
      return cli.execute(args);
    } catch (Throwable t) { // the last line of defence: one line, exit 70
      return Failures.report(t, cli.getErr(), Arrays.asList(args).contains("--verbose"));
    } finally {
      cli.getOut().flush();
    }
  }

  public static void main(String[] args) {
    // glidepath --help: the usage rendered when the jar was built, without building the model
    if (UsageText.print(args, System.out, System.err)) {
      System.exit(args.length == 0 ? ExitCodes.INPUT_ERROR : ExitCodes.OK);
    }
    JarScans.avoid();
    // a render of a chart: the Helm render process starts while picocli builds the command
    HelmPrestart.forArguments(args);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Puts the exit-code table into the help of the command and of every subcommand. */
  private static void describeExitCodes(CommandLine cli) {
    cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
    cli.getCommandSpec().usageMessage().exitCodeList(TABLE);
    describeSubcommands(cli);
  }

  private static void describeSubcommands(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (Subcommands.isStandIn(sub)) {
        continue; // its help is never shown: a command line that names it builds it in full
      }
      describeSubcommands(sub);
      Map<Integer, String> codes = new TreeMap<>(outcomesOf(sub.getCommand()));
      codes.put(ExitCodes.INPUT_ERROR, "usage or input error");
      codes.put(ExitCodes.INTERNAL_ERROR, "internal error (stack trace with --verbose)");
      sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
      sub.getCommandSpec().usageMessage().exitCodeList(asHelp(codes));
    }
  }

  /** A command's own outcomes, checked against the table. */
  static Map<Integer, String> outcomesOf(Object command) {
    Map<Integer, String> outcomes =
        command instanceof ExitCodes codes ? codes.outcomes() : Map.of(ExitCodes.OK, "success");
    for (int code : outcomes.keySet()) {
      if (code == ExitCodes.INPUT_ERROR
          || code == ExitCodes.INTERNAL_ERROR
          || code < 0
          || code > 69) {
        throw new IllegalStateException(
            command.getClass().getSimpleName()
                + " declares exit code "
                + code
                + ": a command's outcomes are 0, 1 and 3 to 69 (2 and 70 are the table's)");
      }
    }
    return outcomes;
  }

  private static Map<String, String> asHelp(Map<Integer, String> codes) {
    Map<String, String> help = new LinkedHashMap<>();
    new TreeMap<>(codes).forEach((code, meaning) -> help.put(String.valueOf(code), meaning));
    return help;
  }

  private static Map<String, String> tableOf(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}

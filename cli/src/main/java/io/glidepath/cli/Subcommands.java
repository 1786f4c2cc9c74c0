package io.glidepath.cli;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The subcommands of a command line, built by picocli only when a command line may run them.
 *
 * <p>picocli builds a command's model by reflection over its fields, mixins and option types; for
 * every command of {@code glidepath} that was most of a short run's start. {@link #addFor} builds
 * in full only the commands an argument names (by name or alias) and adds for each other one a
 * stand-in that carries what the parent's usage lists (name, aliases, header, description, hidden)
 * and what picocli's "did you mean" needs (the name), read from its {@code @Command} annotation
 * without building a model. A stand-in is never run: a command line that names a command gets the
 * real one.
 *
 * <p>Arguments that picocli expands from a file ({@code @FILE}) could name anything, so they get
 * every command in full, as {@link #addAll} does.
 */
final class Subcommands {
  /** The user object of a stand-in: the command class it stands in for. */
  record StandIn(Class<?> type) {}

  private final List<Class<?>> types;

  private Subcommands(List<Class<?>> types) {
    // the annotations are read when a command line is built, not here: glidepath --help prints
    // its stored usage (UsageText) without reading any
    this.types = List.copyOf(types);
  }

  private static Command annotation(Class<?> type) {
    Command c = type.getAnnotation(Command.class);
    if (c == null) {
      throw new IllegalArgumentException(type.getName() + " has no @Command annotation");
    }
    return c;
  }

  /** The subcommands {@code types}, in the order the usage lists them. */
  static Subcommands of(Class<?>... types) {
    return new Subcommands(Arrays.asList(types));
  }

  /** The command classes, in order. */
  List<Class<?>> types() {
    return types;
  }

  /** Adds every subcommand to {@code parent}, built in full. */
  void addAll(CommandLine parent) {
    for (Class<?> type : types) {
      add(parent, type, true);
    }
  }

  /**
   * Adds every subcommand to {@code parent}: built in full when one of {@code args} is its name or
   * an alias (or {@code args} come from a file), a stand-in otherwise.
   */
  void addFor(CommandLine parent, String[] args) {
    Set<String> named = new HashSet<>();
    for (String a : args) {
      if (a.startsWith("@")) {
        addAll(parent);
        return;
      }
      named.add(a);
    }
    for (Class<?> type : types) {
      add(parent, type, isNamed(annotation(type), named));
    }
  }

  // plain loops: a stream here would cost a short command the start of the stream machinery
  private static boolean isNamed(Command c, Set<String> named) {
    if (named.contains(c.name())) {
      return true;
    }
    for (String alias : c.aliases()) {
      if (named.contains(alias)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code sub} is a stand-in rather than a command that runs. */
  static boolean isStandIn(CommandLine sub) {
    return sub.getCommand() instanceof StandIn;
  }

  private static void add(CommandLine parent, Class<?> type, boolean full) {
    Command c = annotation(type);
    if (full) {
      parent.addSubcommand(c.name(), new CommandLine(type), c.aliases());
      return;
    }
    CommandSpec spec = CommandSpec.wrapWithoutInspection(new StandIn(type));
    spec.usageMessage().header(c.header()).description(c.description()).hidden(c.hidden());
    parent.addSubcommand(c.name(), new CommandLine(spec), c.aliases());
  }
}

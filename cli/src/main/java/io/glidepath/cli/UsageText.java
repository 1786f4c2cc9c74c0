package io.glidepath.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The usage of {@code glidepath} itself ({@code glidepath --help}), rendered by picocli from the
 * command model when the jar is built and kept beside the jar, so that printing it needs no model.
 *
 * <p>Building picocli's model of the commands (reflection over the annotations of every class and
 * option) is most of what {@code glidepath --help} costs once the JVM has started, and reading a
 * resource would open the jar (tens of thousands of entries). {@code mvn package} runs {@link
 * #main} right after the jar is built: it writes {@code glidepath-cli-usage.txt} and {@code
 * glidepath-cli-usage-ansi.txt} (the same with colours) beside the jar. {@link #print} prints the
 * one picocli would choose ({@link Ansi#AUTO}) when both are newer than the jar this class was
 * loaded from. Anything else (a command's help, picocli settings given as system properties, a jar
 * without the texts or newer than them) goes through picocli as before. Tests check that the texts
 * are what picocli renders from the current model.
 */
final class UsageText {
  static final String PLAIN = "-usage.txt";
  static final String COLOURED = "-usage-ansi.txt";

  private UsageText() {}

  /** Writes both texts beside the jar {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    Files.writeString(text(jar, false), render(Ansi.OFF), StandardCharsets.UTF_8);
    Files.writeString(text(jar, true), render(Ansi.ON), StandardCharsets.UTF_8);
  }

  /** The file of the text with or without colours for {@code jar}. */
  static Path text(Path jar, boolean coloured) {
    String name = jar.getFileName().toString();
    String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    return jar.resolveSibling(base + (coloured ? COLOURED : PLAIN));
  }

  /** The usage of {@code glidepath}, as picocli renders it from the model with or without ANSI. */
  static String render(Ansi ansi) {
    PrintWriter none = new PrintWriter(Writer.nullWriter());
    CommandLine cli = Main.commandLine(none, none, new String[] {"--help"});
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    cli.usage(out, ansi);
    out.flush();
    return text.toString();
  }

  /**
   * Prints the stored usage when {@code args} ask for nothing else: {@code --help} or {@code -h} on
   * {@code out}, no argument at all on {@code err}; whether it did. It does not when picocli's own
   * settings are given ({@code picocli.*} properties, but the one {@link JarScans} sets, which does
   * not touch the usage) or the texts of the jar this class came from are missing or older than it.
   */
  static boolean print(String[] args, PrintStream out, PrintStream err) {
    if (!(args.length == 0
        || (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))))) {
      return false;
    }
    try {
      CodeSource source = UsageText.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return false;
      }
      return print(args, out, err, Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  /** {@link #print(String[], PrintStream, PrintStream)} with the texts of {@code jar}. */
  static boolean print(String[] args, PrintStream out, PrintStream err, Path jar) {
    PrintStream to;
    if (args.length == 0) {
      to = err;
    } else if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      to = out;
    } else {
      return false;
    }
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("picocli.") && !key.equals(JarScans.NO_GROOVY_CLOSURES)) {
        return false;
      }
    }
    Path file = text(jar, Ansi.AUTO.enabled());
    byte[] text;
    try {
      if (!Files.isRegularFile(jar)
          || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) < 0) {
        return false;
      }
      text = Files.readAllBytes(file);
    } catch (IOException e) {
      return false; // no text
    }
    // the charset Main's own writers use
    PrintWriter writer = new PrintWriter(to);
    writer.print(new String(text, StandardCharsets.UTF_8));
    writer.flush();
    return true;
  }
}

package io.glidepath.cli;

import io.glidepath.core.Origin;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationException;
import io.glidepath.core.project.Project;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.rollout.load.ArgoDocument;
import io.glidepath.rollout.load.ArgoRollouts;
import io.glidepath.rollout.load.CheckedDocument;
import io.glidepath.rollout.load.Refusal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath validate FILE...}: loads every Argo CD (Application, AppProject) and Argo
 * Rollouts (Rollout, AnalysisTemplate, ClusterAnalysisTemplate, AnalysisRun, Experiment) document
 * of the files and prints, per document, OK or each refused field with file:line and the reason.
 *
 * <p>The files are checked together: a Rollout may name templates of another file. Exit codes: 0
 * every document is OK (other kinds are listed as skipped), 1 a field was refused, 2 a file could
 * not be read or is not YAML (the other files are still checked). Metrics are checked against every
 * provider on the class path ({@link ArgoRollouts#defaultProviders()}).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check Argo CD (Application, AppProject) and Argo Rollouts (Rollout, AnalysisTemplate,"
          + " ClusterAnalysisTemplate, AnalysisRun, Experiment) files: every field is honoured, or"
          + " refused with file:line and the reason. Files are checked together, so a Rollout"
          + " may name templates of another file; an unreadable file does not stop the others."
    })
final class ValidateCommand implements Callable<Integer>, ExitCodes {
  private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field ([A-Za-z0-9_.]+)");

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML files to check.")
  List<Path> files;

  /** The loader for Argo Rollouts kinds: its metric providers decide which metrics are refused. */
  ArgoRollouts loader = ArgoRollouts.ofDefaults();

  @Override
  public Map<Integer, String> outcomes() {
    return Map.of(OK, "every document is honoured", NOT_GOOD, "a field or document is refused");
  }

  /** One readable file: its text and documents. */
  private record Source(String text, List<YamlDocument> documents) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Source> sources = new LinkedHashMap<>();
    List<Path> readable = new ArrayList<>();
    int unreadable = 0;
    for (Path f : files) {
      try {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        sources.put(f.toString(), new Source(text, Yaml.readDocuments(text, f.toString())));
        readable.add(f);
      } catch (NoSuchFileException e) {
        out.println(f + ": UNREADABLE: no such file");
        unreadable++;
      } catch (MalformedInputException e) {
        out.println(f + ": UNREADABLE: not UTF-8 text");
        unreadable++;
      } catch (IOException e) {
        out.println(f + ": UNREADABLE: " + e.getMessage());
        unreadable++;
      } catch (YamlException e) {
        out.println(e.getMessage().startsWith(f.toString()) ? e.getMessage() : f + ": " + e);
        out.println("  UNREADABLE: not valid YAML");
        unreadable++;
      }
    }
    int ok = 0;
    int refused = 0;
    int skipped = 0;
    List<CheckedDocument> checked = readable.isEmpty() ? List.of() : loader.check(readable);
    for (CheckedDocument c : checked) {
      String head =
          c.origin().source()
              + ":"
              + Math.max(1, c.origin().line())
              + ": "
              + c.kind()
              + " "
              + c.name()
              + ": ";
      if (c.isRefused()) {
        refused++;
        out.println(head + "REFUSED");
        for (Refusal r : c.refusals()) {
          out.println("  " + r);
        }
        continue;
      }
      ArgoDocument d = c.document().orElseThrow();
      if (!(d instanceof ArgoDocument.Other other)) {
        ok++;
        out.println(head + "OK");
        continue;
      }
      boolean argoCd = other.resource().apiVersion().startsWith("argoproj.io/");
      if (argoCd && (c.kind().equals("Application") || c.kind().equals("AppProject"))) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        argoCd(c, sources.get(c.origin().source()), problems, notes);
        if (problems.isEmpty()) {
          ok++;
          out.println(head + "OK");
        } else {
          refused++;
          out.println(head + "REFUSED");
          problems.forEach(p -> out.println("  " + p));
        }
        notes.forEach(n -> out.println("  note: " + n));
      } else {
        skipped++;
        out.println(head + "skipped (not an Argo CD or Argo Rollouts kind)");
      }
    }
    out.println(
        checked.size()
            + " document(s): "
            + ok
            + " OK, "
            + refused
            + " refused, "
            + skipped
            + " skipped"
            + (unreadable == 0 ? "" : "; " + unreadable + " file(s) unreadable"));
    if (unreadable > 0) {
      // reported above, one line per file, after checking the readable ones
      return onError();
    }
    return refused > 0 ? NOT_GOOD : OK;
  }

  /** Loads an Application or AppProject with core's reader, at its lines in the file. */
  private static void argoCd(
      CheckedDocument c, Source source, List<String> problems, List<String> notes) {
    int index = c.origin().documentIndex();
    List<YamlDocument> docs = source.documents();
    int at = -1;
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i).origin().documentIndex() == index) {
        at = i;
      }
    }
    String[] lines = source.text().split("\n", -1);
    int start = Math.max(1, c.origin().line());
    int end = at >= 0 && at + 1 < docs.size() ? docs.get(at + 1).origin().line() - 1 : lines.length;
    String padded = documentText(lines, start, end);
    String file = c.origin().source();
    if (c.kind().equals("Application")) {
      try {
        Application.parse(padded, file);
      } catch (ApplicationException e) {
        String prefix = e.origin() + ": ";
        String message = e.getMessage();
        problems.add(
            e.origin()
                + " "
                + (message.startsWith(prefix) ? message.substring(prefix.length()) : message));
      } catch (YamlException e) {
        problems.add(e.getMessage());
      }
      return;
    }
    try {
      Project p = Project.parse(padded, file);
      for (String field : p.unenforcedFields()) {
        notes.add(
            file
                + ":"
                + lineOf(lines, start, end, field)
                + " "
                + field
                + ": accepted, not enforced");
      }
    } catch (YamlException e) {
      Matcher m = UNKNOWN_FIELD.matcher(e.problem());
      if (m.find()) {
        problems.add(
            file
                + ":"
                + lineOf(lines, start, end, m.group(1))
                + " "
                + m.group(1)
                + ": unknown field");
      } else {
        problems.add(new Origin(file, index, start, 0) + " " + e.problem());
      }
    }
  }

  /**
   * The lines {@code start..end} (1-based) of the file, after {@code start - 1} empty lines so that
   * a reader's line numbers are the file's; a trailing document separator is dropped.
   */
  private static String documentText(String[] lines, int start, int end) {
    int last = Math.min(end, lines.length);
    while (last >= start && isSeparator(lines[last - 1])) {
      last--;
    }
    StringBuilder b = new StringBuilder();
    b.append("\n".repeat(start - 1));
    for (int i = start; i <= last; i++) {
      b.append(lines[i - 1]).append('\n');
    }
    return b.toString();
  }

  private static boolean isSeparator(String line) {
    String s = line.strip();
    return s.isEmpty() || s.startsWith("---") || s.equals("...") || s.startsWith("#");
  }

  /**
   * Best-effort line of a dotted path ({@code spec.roles}) within lines {@code start..end}: each
   * segment is a key indented deeper than the previous one; the document's first line otherwise.
   */
  static int lineOf(String[] lines, int start, int end, String path) {
    int line = start;
    int indent = -1;
    for (String key : path.split("\\.")) {
      Pattern p = Pattern.compile("^(\\s*)(-\\s+)?\"?" + Pattern.quote(key) + "\"?\\s*:");
      boolean found = false;
      for (int i = line; i <= Math.min(end, lines.length); i++) {
        Matcher m = p.matcher(lines[i - 1]);
        if (m.find() && m.group(1).length() > indent) {
          line = i;
          indent = m.group(1).length();
          found = true;
          break;
        }
      }
      if (!found) {
        return start;
      }
    }
    return line;
  }
}

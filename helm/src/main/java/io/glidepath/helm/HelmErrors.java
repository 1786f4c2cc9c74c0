package io.glidepath.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helm's error texts, made to stand alone: Helm ends a YAML error with "Use --debug flag to render
 * out invalid YAML", a flag of the helm binary that Glidepath has no use for; instead the message
 * quotes the rendered template around the line Helm names, from the output Helm adds in debug mode.
 */
final class HelmErrors {
  private static final String HINT = "Use --debug flag to render out invalid YAML";
  private static final Pattern YAML_ERROR =
      Pattern.compile("YAML parse error on (\\S+): .*?line (\\d+):");
  private static final int CONTEXT = 2;

  private HelmErrors() {}

  /** Whether Helm's message ends with its hint to run it again with {@code --debug}. */
  static boolean asksForDebug(String helmMessage) {
    return helmMessage.contains(HINT);
  }

  /** The chart's name for a message: its path in the repository, or its directory's name. */
  static String chartName(String app, Path chart) {
    if (!app.isEmpty()) {
      return app;
    }
    Path name = chart.toAbsolutePath().normalize().getFileName();
    return name == null ? chart.toString() : name.toString();
  }

  /**
   * Helm's message without the debug hint and the rendered output; for a YAML error, the lines of
   * the rendered template around the one Helm names, numbered as Helm numbers them.
   */
  static String explain(String helmMessage) {
    String text = helmMessage.replace("\r\n", "\n");
    int hint = text.indexOf(HINT);
    int output = text.indexOf("\n---\n");
    int end = Math.min(hint < 0 ? text.length() : hint, output < 0 ? text.length() : output);
    String head = text.substring(0, end).strip();
    Matcher m = YAML_ERROR.matcher(head);
    if (output < 0 || !m.find()) {
      return head;
    }
    String template = m.group(1);
    int line = Integer.parseInt(m.group(2));
    List<String> rendered = renderedTemplate(text.substring(output), template);
    if (rendered.isEmpty() || line > rendered.size()) {
      return head;
    }
    StringBuilder b = new StringBuilder(head).append("\nrendered ").append(template).append(':');
    int from = Math.max(1, line - CONTEXT);
    int to = Math.min(rendered.size(), line + CONTEXT);
    int width = String.valueOf(to).length();
    for (int i = from; i <= to; i++) {
      b.append('\n')
          .append(i == line ? "> " : "  ")
          .append(String.format("%" + width + "d", i))
          .append(" | ")
          .append(rendered.get(i - 1));
    }
    return b.toString();
  }

  /** The lines of one template's output (after its "# Source:" line, as Helm numbers them). */
  private static List<String> renderedTemplate(String output, String template) {
    String marker = "# Source: " + template + "\n";
    int start = output.indexOf(marker);
    if (start < 0) {
      return List.of();
    }
    String rest = output.substring(start + marker.length());
    int next = rest.indexOf("\n---");
    return (next < 0 ? rest : rest.substring(0, next)).lines().toList();
  }
}

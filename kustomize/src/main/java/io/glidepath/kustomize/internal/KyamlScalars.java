package io.glidepath.kustomize.internal;

import java.util.Iterator;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Makes the core YAML reader (kubectl's YAML 1.1 meaning) read resource files the way kustomize
 * does.
 *
 * <p>kustomize reads resources with go-yaml v3 (kyaml), where only {@code true}/{@code false} (in
 * three spellings) are booleans: a plain {@code yes}, {@code no}, {@code on}, {@code off}, {@code
 * y} or {@code n} stays a string, and kustomize prints it quoted. kubectl reads the same words as
 * booleans. Numbers are read alike by both ({@code 0644} is 420 in go-yaml v3 as well). So before
 * handing a resource file to the core reader, every such plain, untagged scalar is quoted in the
 * text; nothing else changes (columns in later positions of that line move by two).
 */
final class KyamlScalars {
  private static final Set<String> YAML11_ONLY_BOOLEANS =
      Set.of(
          "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
          "OFF");
  private static final LoadSettings SETTINGS =
      LoadSettings.builder().setUseMarks(true).setAllowDuplicateKeys(true).build();

  private KyamlScalars() {}

  /** {@code text} with YAML 1.1-only booleans quoted; unchanged when there are none. */
  static String quoteYaml11Booleans(String text) {
    if (!mayContain(text)) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    int cpIndex = 0;
    int charIndex = 0;
    try {
      Iterator<Event> events = new ParserImpl(SETTINGS, new StreamReader(SETTINGS, text));
      while (events.hasNext()) {
        Event e = events.next();
        if (!(e instanceof ScalarEvent s)
            || !s.isPlain()
            || s.getTag().isPresent()
            || !YAML11_ONLY_BOOLEANS.contains(s.getValue())) {
          continue;
        }
        Mark start = s.getStartMark().orElse(null);
        if (start == null) {
          continue;
        }
        charIndex = text.offsetByCodePoints(charIndex, start.getIndex() - cpIndex);
        cpIndex = start.getIndex();
        int end = charIndex + s.getValue().length();
        if (end > text.length() || !text.startsWith(s.getValue(), charIndex)) {
          continue;
        }
        if (out == null) {
          out = new StringBuilder(text.length() + 16);
        }
        out.append(text, copied, charIndex).append('"').append(s.getValue()).append('"');
        copied = end;
      }
    } catch (YamlEngineException e) {
      // invalid YAML: the core reader reports it with file, line and column
      return text;
    }
    if (out == null) {
      return text;
    }
    out.append(text, copied, text.length());
    return out.toString();
  }

  private static boolean mayContain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 'o' || c == 'O') {
        char before = i == 0 ? ' ' : text.charAt(i - 1);
        if (!Character.isLetterOrDigit(before)) {
          return true;
        }
      }
    }
    return false;
  }
}

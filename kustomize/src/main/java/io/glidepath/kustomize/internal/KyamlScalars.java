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
 * booleans. go-yaml v3 also reads a plain timestamp ({@code 2024-01-02}) as a time, which kustomize
 * prints in RFC 3339 ({@code 2024-01-02T00:00:00Z}); kubectl keeps the text. Numbers are read alike
 * by both ({@code 0644} is 420 in go-yaml v3 as well). So before handing a resource file to the
 * core reader, every such plain, untagged scalar is replaced in the text by the quoted string
 * kustomize would print; nothing else changes (later columns of that line move a little).
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
        if (!(e instanceof ScalarEvent s) || !s.isPlain() || s.getTag().isPresent()) {
          continue;
        }
        String replacement =
            YAML11_ONLY_BOOLEANS.contains(s.getValue()) ? s.getValue() : timestamp(s.getValue());
        if (replacement == null) {
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
        out.append(text, copied, charIndex).append('"').append(replacement).append('"');
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

  private static final java.util.regex.Pattern DATE =
      java.util.regex.Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
  private static final java.util.regex.Pattern DATE_TIME =
      java.util.regex.Pattern.compile(
          "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[Tt](\\d{1,2}):(\\d{1,2}):(\\d{1,2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})"
              + "| (\\d{1,2}):(\\d{1,2}):(\\d{1,2})(\\.\\d{1,9})?)");

  /**
   * The RFC 3339 text Go prints for a YAML timestamp (go-yaml v3's formats), or null when {@code v}
   * is not one.
   */
  static String timestamp(String v) {
    if (v.length() < 8 || v.length() > 40 || !Character.isDigit(v.charAt(0))) {
      return null;
    }
    java.util.regex.Matcher d = DATE.matcher(v);
    java.util.regex.Matcher t = DATE_TIME.matcher(v);
    int h = 0;
    int mi = 0;
    int sec = 0;
    String frac = "";
    String zone = "Z";
    if (d.matches()) {
      t = d;
    } else if (t.matches()) {
      int base = t.group(4) != null ? 4 : 9;
      h = Integer.parseInt(t.group(base));
      mi = Integer.parseInt(t.group(base + 1));
      sec = Integer.parseInt(t.group(base + 2));
      frac = t.group(base + 3) == null ? "" : t.group(base + 3).replaceAll("0+$", "");
      if (frac.equals(".")) {
        frac = "";
      }
      if (base == 4) {
        zone = t.group(8).equals("+00:00") || t.group(8).equals("-00:00") ? "Z" : t.group(8);
      }
    } else {
      return null;
    }
    try {
      java.time.LocalDate date =
          java.time.LocalDate.of(
              Integer.parseInt(t.group(1)),
              Integer.parseInt(t.group(2)),
              Integer.parseInt(t.group(3)));
      java.time.LocalTime time = java.time.LocalTime.of(h, mi, sec);
      return date
          + "T"
          + time.format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"))
          + frac
          + zone;
    } catch (java.time.DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  /**
   * A fast check that a replacement may be needed, so most files are parsed only once: is there a
   * token (a run of letters, digits, {@code _ . - /}) that is one of the YAML 1.1-only booleans or
   * a date {@code dddd-d[d]-d[d]}? A hand-written scan: a regular expression with look-around over
   * a 200-object file cost an eighth of a render.
   */
  static boolean mayContain(String text) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!inToken(text.charAt(i))) {
        i++;
        continue;
      }
      int j = i + 1;
      while (j < n && inToken(text.charAt(j))) {
        j++;
      }
      if (candidate(text, i, j)) {
        return true;
      }
      i = j;
    }
    return false;
  }

  private static boolean inToken(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-'
        || c == '/';
  }

  private static boolean candidate(String t, int from, int to) {
    int len = to - from;
    if (len <= 3) {
      return YAML11_ONLY_BOOLEANS.contains(t.substring(from, to));
    }
    return len >= 8 && len <= 10 && isDate(t, from, to);
  }

  /** {@code dddd-d[d]-d[d]}, exactly from {@code from} to {@code to}. */
  private static boolean isDate(String t, int from, int to) {
    int p = from;
    for (int k = 0; k < 4; k++) {
      if (!isDigit(t.charAt(p++))) {
        return false;
      }
    }
    if (t.charAt(p++) != '-') {
      return false;
    }
    int d = 0;
    while (p < to && d < 2 && isDigit(t.charAt(p))) {
      p++;
      d++;
    }
    if (d == 0 || p >= to || t.charAt(p++) != '-') {
      return false;
    }
    d = 0;
    while (p < to && d < 2 && isDigit(t.charAt(p))) {
      p++;
      d++;
    }
    return d > 0 && p == to;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}

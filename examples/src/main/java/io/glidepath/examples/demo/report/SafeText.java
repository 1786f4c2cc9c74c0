package io.glidepath.examples.demo.report;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Turns any text into something safe to put in HTML or SVG, as element content or a quoted
 * attribute: known secret values are masked first, then {@code & < > " '} become character
 * references and control characters (invalid in XML) become U+FFFD.
 */
final class SafeText {
  static final String MASK = "********";

  private final List<String> secrets;

  SafeText(Set<String> secrets) {
    // longest first, so that a secret containing another is masked whole
    this.secrets =
        secrets.stream()
            .filter(s -> !s.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /** {@code raw} masked and escaped. */
  String of(String raw) {
    String masked = raw;
    for (String s : secrets) {
      masked = masked.replace(s, MASK);
    }
    return escape(masked);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c == 0xfffe || c == 0xffff) {
            out.append('\ufffd');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}

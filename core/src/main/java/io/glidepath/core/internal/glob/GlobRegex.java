package io.glidepath.core.internal.glob;

import com.google.re2j.Pattern;

/**
 * Translates a glob into an RE2 regular expression. What both glob dialects share lives here:
 * {@code {a,b}} alternatives, {@code ,} literal outside braces, an unmatched {@code }} literal,
 * {@code \} escaping the next character, every other character literal. A {@link Dialect} says what
 * {@code *}, {@code ?} and {@code [...]} mean and what happens to groups left open.
 */
final class GlobRegex {
  /** What differs between glob dialects. */
  interface Dialect {
    /**
     * Appends the expression of the {@code *} at {@code g[i]}; returns the index of the last
     * character it consumed.
     */
    int star(String g, int i, StringBuilder re);

    /** The expression of {@code ?}. */
    String anyOne();

    /**
     * Appends the expression of the class opened by the {@code [} at {@code g[i]}; returns the
     * index of the last character it consumed.
     */
    int charClass(String g, int i, StringBuilder re);

    /** At the end of {@code g}, {@code open} groups are still open (at least one). */
    void unclosedGroups(String g, int open, StringBuilder re);
  }

  private GlobRegex() {}

  static String toRegex(String g, Dialect dialect) {
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> i = dialect.star(g, i, re);
        case '?' -> re.append(dialect.anyOne());
        case '[' -> i = dialect.charClass(g, i, re);
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            re.append(')');
          } else {
            re.append("\\}");
          }
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 < g.length()) {
            re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
          } else {
            re.append("\\\\");
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces > 0) {
      dialect.unclosedGroups(g, braces, re);
    }
    return re.toString();
  }
}

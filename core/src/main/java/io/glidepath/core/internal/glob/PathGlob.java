package io.glidepath.core.internal.glob;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.glidepath.core.render.RenderException;

/**
 * A file path glob, with the syntax of {@code java.nio}'s {@code glob:} matcher: {@code *} matches
 * within one path segment, {@code **} across segments, {@code ?} one character but {@code /},
 * {@code [abc]}/{@code [!abc]} a class, {@code {a,b}} alternatives, {@code \} escapes.
 *
 * <p>Matched with RE2/J in time linear in the path, whatever the pattern (the JDK's matcher
 * backtracks: {@code *a*a*a*a*a*b} against a long name takes exponential time).
 */
public final class PathGlob {
  private final String glob;
  private final Pattern pattern;

  private PathGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /**
   * @throws RenderException when the glob is malformed
   */
  public static PathGlob of(String glob) {
    try {
      return new PathGlob(glob, Pattern.compile(toRegex(glob), Pattern.DOTALL));
    } catch (PatternSyntaxException e) {
      throw new RenderException("directory glob \"" + glob + "\" is malformed: " + e.getMessage());
    }
  }

  /** Whether {@code path} (segments separated by {@code /}) matches. */
  public boolean matches(String path) {
    return pattern.matches(path);
  }

  private static String toRegex(String g) {
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int close = g.indexOf(']', i + 1);
          if (close < 0) {
            throw new PatternSyntaxException("missing ']'", g);
          }
          String cls = g.substring(i + 1, close);
          StringBuilder set = new StringBuilder("[");
          int from = 0;
          if (cls.startsWith("!") || cls.startsWith("^")) {
            set.append('^');
            from = 1;
          }
          for (int k = from; k < cls.length(); k++) {
            char x = cls.charAt(k);
            if (x == '-' || x >= 128 || Character.isLetterOrDigit(x)) {
              set.append(x);
            } else {
              set.append('\\').append(x);
            }
          }
          re.append(set).append(']');
          i = close;
        }
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
      throw new PatternSyntaxException("missing '}'", g);
    }
    return re.toString();
  }

  @Override
  public String toString() {
    return glob;
  }
}

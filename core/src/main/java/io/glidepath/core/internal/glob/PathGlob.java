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
      return new PathGlob(glob, Pattern.compile(GlobRegex.toRegex(glob, JAVA_NIO), Pattern.DOTALL));
    } catch (PatternSyntaxException e) {
      throw new RenderException("directory glob \"" + glob + "\" is malformed: " + e.getMessage());
    }
  }

  /** Whether {@code path} (segments separated by {@code /}) matches. */
  public boolean matches(String path) {
    return pattern.matches(path);
  }

  /**
   * java.nio's glob syntax: {@code *} within a segment, {@code **} across; unclosed is an error.
   */
  private static final GlobRegex.Dialect JAVA_NIO =
      new GlobRegex.Dialect() {
        @Override
        public int star(String g, int i, StringBuilder re) {
          if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
            re.append(".*");
            return i + 1;
          }
          re.append("[^/]*");
          return i;
        }

        @Override
        public String anyOne() {
          return "[^/]";
        }

        @Override
        public int charClass(String g, int i, StringBuilder re) {
          int close = g.indexOf(']', i + 1);
          if (close < 0) {
            throw new PatternSyntaxException("missing ']'", g);
          }
          String cls = g.substring(i + 1, close);
          re.append('[');
          int from = 0;
          if (cls.startsWith("!") || cls.startsWith("^")) {
            re.append('^');
            from = 1;
          }
          for (int k = from; k < cls.length(); k++) {
            char x = cls.charAt(k);
            if (x == '-' || x >= 128 || Character.isLetterOrDigit(x)) {
              re.append(x);
            } else {
              re.append('\\').append(x);
            }
          }
          re.append(']');
          return close;
        }

        @Override
        public void unclosedGroups(String g, int open, StringBuilder re) {
          throw new PatternSyntaxException("missing '}'", g);
        }
      };

  @Override
  public String toString() {
    return glob;
  }
}

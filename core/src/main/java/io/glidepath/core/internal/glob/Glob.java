package io.glidepath.core.internal.glob;

import com.google.re2j.Pattern;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Argo CD's glob matching for project rules (gobwas/glob without separators): {@code *} matches any
 * run of characters, {@code /} included; {@code ?} one character; {@code [abc]} and {@code [a-z]} a
 * class; {@code {a,b}} alternatives. Everything else is literal.
 *
 * <p>Matched with RE2/J, in time linear in the value, whatever the glob: a project or sync window
 * written by a hostile author cannot make a check slow.
 */
public final class Glob {
  /** The most compiled globs kept; the cache starts afresh when full (globs come from settings). */
  static final int CACHE_LIMIT = 1024;

  private static final ConcurrentHashMap<String, Glob> CACHE = new ConcurrentHashMap<>();

  private final String glob;
  // null for the two common globs matched without a pattern: "*" and a literal
  private final Pattern pattern;
  private final boolean any;

  private Glob(String glob) {
    this.glob = glob;
    this.any = glob.equals("*");
    this.pattern =
        any || isLiteral(glob)
            ? null
            : Pattern.compile(GlobRegex.toRegex(glob, ARGO_CD), Pattern.DOTALL);
  }

  /** Whether {@code glob} has no character that {@link #toRegex} treats specially. */
  private static boolean isLiteral(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      if ("*?[]{},\\".indexOf(glob.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The glob {@code glob}, compiled once: projects, sync windows, resource filters and health
   * checks ask for the same few globs on every reconcile.
   */
  public static Glob of(String glob) {
    Glob g = CACHE.get(glob);
    if (g != null) {
      return g;
    }
    g = new Glob(glob);
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
    }
    Glob raced = CACHE.putIfAbsent(glob, g);
    return raced != null ? raced : g;
  }

  static int cached() {
    return CACHE.size();
  }

  public boolean matches(String value) {
    if (pattern == null) {
      return any || glob.equals(value);
    }
    return pattern.matcher(value).matches();
  }

  /** gobwas/glob without separators: {@code *} crosses {@code /}; a lone {@code [} is literal. */
  private static final GlobRegex.Dialect ARGO_CD =
      new GlobRegex.Dialect() {
        @Override
        public int star(String g, int i, StringBuilder re) {
          re.append(".*");
          return i;
        }

        @Override
        public String anyOne() {
          return ".";
        }

        @Override
        public int charClass(String g, int i, StringBuilder re) {
          int close = g.indexOf(']', i + 1);
          if (close < 0) {
            re.append("\\[");
            return i;
          }
          String cls = g.substring(i + 1, close);
          re.append('[').append(cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
          return close;
        }

        @Override
        public void unclosedGroups(String g, int open, StringBuilder re) {
          re.append(")".repeat(open));
        }
      };

  @Override
  public String toString() {
    return glob;
  }
}

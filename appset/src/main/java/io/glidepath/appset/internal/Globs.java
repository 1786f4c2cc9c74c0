package io.glidepath.appset.internal;

/**
 * Go's {@code path.Match} (git directories: {@code *} and {@code ?} stay within a path segment,
 * {@code [...]} classes) and doublestar matching (git files: {@code **} spans segments).
 */
final class Globs {
  private Globs() {}

  /** Go's {@code path.Match(pattern, name)}; a malformed pattern matches nothing. */
  static boolean pathMatch(String pattern, String name) {
    return match(pattern, 0, name, 0, false);
  }

  /** doublestar's Match: like path.Match, and {@code **} as a whole segment spans segments. */
  static boolean doubleStar(String pattern, String name) {
    return match(pattern, 0, name, 0, true);
  }

  private static boolean match(String p, int pi, String s, int si, boolean globstar) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        boolean dbl = globstar && pi + 1 < p.length() && p.charAt(pi + 1) == '*';
        if (dbl) {
          int next = pi + 2;
          // "**/" matches zero or more whole segments
          if (next < p.length() && p.charAt(next) == '/') {
            for (int k = si; k <= s.length(); k++) {
              if ((k == si || s.charAt(k - 1) == '/') && match(p, next + 1, s, k, true)) {
                return true;
              }
            }
            return false;
          }
          for (int k = s.length(); k >= si; k--) {
            if (match(p, next, s, k, true)) {
              return true;
            }
          }
          return false;
        }
        for (int k = si; k <= s.length(); k++) {
          if (match(p, pi + 1, s, k, globstar)) {
            return true;
          }
          if (k < s.length() && s.charAt(k) == '/') {
            return false;
          }
        }
        return false;
      }
      if (si >= s.length()) {
        return false;
      }
      char sc = s.charAt(si);
      if (c == '?') {
        if (sc == '/') {
          return false;
        }
        pi++;
        si++;
        continue;
      }
      if (c == '[') {
        int end = p.indexOf(']', pi + 1);
        if (end < 0 || sc == '/') {
          return false;
        }
        String cls = p.substring(pi + 1, end);
        boolean negate = cls.startsWith("^") || cls.startsWith("!");
        if (negate) {
          cls = cls.substring(1);
        }
        boolean in = false;
        for (int k = 0; k < cls.length(); k++) {
          if (k + 2 < cls.length() && cls.charAt(k + 1) == '-') {
            if (sc >= cls.charAt(k) && sc <= cls.charAt(k + 2)) {
              in = true;
            }
            k += 2;
          } else if (cls.charAt(k) == '\\' && k + 1 < cls.length()) {
            in |= cls.charAt(++k) == sc;
          } else if (cls.charAt(k) == sc) {
            in = true;
          }
        }
        if (in == negate) {
          return false;
        }
        pi = end + 1;
        si++;
        continue;
      }
      if (c == '\\' && pi + 1 < p.length()) {
        pi++;
        c = p.charAt(pi);
      }
      if (c != sc) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }
}

package io.glidepath.core;

/**
 * Removes credentials from URLs before a URL reaches a message, a log line, a status or an
 * exception. Every Glidepath module uses this one function.
 *
 * <pre>{@code
 * Redaction.url("https://bot:s3cr3t@git.example.com/org/repo.git");
 * // https://bot:***@git.example.com/org/repo.git
 * Redaction.urls("fetch of ssh://git:pw@host/r failed"); // fetch of ssh://git:***@host/r failed
 * }</pre>
 *
 * <p>The rules, for every form a repository or endpoint URL takes:
 *
 * <ul>
 *   <li>The user info of a URL with a scheme ({@code https://}, {@code ssh://}, {@code git://},
 *       {@code oci://}, ...) runs from after {@code ://} to the <em>last</em> {@code @} before the
 *       query or fragment, so a password with an unencoded {@code @} or {@code /} is masked whole.
 *   <li>{@code user:password}: the password is masked ({@code user:***}); a user name alone is
 *       masked too ({@code ***}, it is often a token: {@code https://TOKEN@host}), except for ssh,
 *       where it is the login name ({@code ssh://git@host/org/repo}).
 *   <li>scp-like {@code [user@]host:path}: a user part with a {@code :} (a password) is masked;
 *       {@code git@github.com:org/repo.git} stays as it is.
 * </ul>
 *
 * <p>When in doubt it masks too much: {@code https://host/repo@v1} reads {@code https://***@v1}.
 * Thread-safe (no state).
 */
public final class Redaction {
  /** What replaces a secret. */
  public static final String MASK = "***";

  private Redaction() {}

  /** The most characters of an input value {@link #excerpt(String)} quotes. */
  public static final int EXCERPT_LENGTH = 32;

  /**
   * An input value as a message may quote it: in double quotes, and when longer than {@value
   * #EXCERPT_LENGTH} characters only its start and its length ({@code
   * "12345678901234567890123456789012..." (1500000 characters)}), so that an error about a huge
   * value stays short.
   */
  public static String excerpt(String value) {
    if (value == null) {
      return "null";
    }
    if (value.length() <= EXCERPT_LENGTH) {
      return "\"" + value + "\"";
    }
    return "\"" + value.substring(0, EXCERPT_LENGTH) + "...\" (" + value.length() + " characters)";
  }

  /** {@code url} with the credentials in it masked; null stays null. */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    int sep = url.indexOf("://");
    if (sep > 0 && isScheme(url, 0, sep)) {
      String scheme = url.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
      int start = sep + 3;
      int end = url.length();
      for (int i = start; i < url.length(); i++) {
        char c = url.charAt(i);
        if (c == '?' || c == '#') {
          end = i;
          break;
        }
      }
      int at = url.lastIndexOf('@', end - 1);
      if (at < start) {
        return url;
      }
      boolean ssh = scheme.equals("ssh") || scheme.equals("git+ssh") || scheme.equals("ssh+git");
      return url.substring(0, start) + mask(url.substring(start, at), !ssh) + url.substring(at);
    }
    if (sep < 0) {
      // scp-like: [user@]host:path, the user part ending at the last @ before the first /
      int slash = url.indexOf('/');
      int limit = slash < 0 ? url.length() : slash;
      int at = url.lastIndexOf('@', limit - 1);
      if (at > 0 && url.indexOf(':', at) > at) {
        return mask(url.substring(0, at), false) + url.substring(at);
      }
    }
    return url;
  }

  /**
   * {@code text} with every URL in it redacted by {@link #url(String)}: each run of non-blank
   * characters that holds {@code ://}, or that has the scp-like form {@code user:pw@host:path}.
   */
  public static String urls(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (isBoundary(c)) {
        out.append(c);
        i++;
        continue;
      }
      int end = i;
      while (end < text.length() && !isBoundary(text.charAt(end))) {
        end++;
      }
      out.append(token(text.substring(i, end)));
      i = end;
    }
    return out.toString();
  }

  private static String token(String token) {
    if (token.indexOf('@') < 0) {
      return token;
    }
    int sep = token.indexOf("://");
    if (sep > 0) {
      int schemeStart = sep;
      while (schemeStart > 0 && isSchemeChar(token.charAt(schemeStart - 1))) {
        schemeStart--;
      }
      // the scheme starts with a letter
      while (schemeStart < sep && !Character.isLetter(token.charAt(schemeStart))) {
        schemeStart++;
      }
      if (schemeStart < sep) {
        return token.substring(0, schemeStart) + url(token.substring(schemeStart));
      }
      return token;
    }
    return url(token);
  }

  private static String mask(String userInfo, boolean maskUserAlone) {
    int colon = userInfo.indexOf(':');
    if (colon >= 0) {
      return userInfo.substring(0, colon) + ":" + MASK;
    }
    return maskUserAlone ? MASK : userInfo;
  }

  private static boolean isBoundary(char c) {
    return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
  }

  private static boolean isScheme(String s, int from, int to) {
    if (!Character.isLetter(s.charAt(from))) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isSchemeChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSchemeChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.');
  }
}

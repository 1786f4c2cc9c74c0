package io.glidepath.kustomize.internal;

import io.glidepath.core.Redaction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kustomize remote base URL taken apart as kustomize v5 does: {@code git::} prefix, scheme
 * ({@code https}, {@code http}, {@code ssh}, {@code git}, {@code file}) or scp-like {@code
 * user@host:path}, the {@code github.com/} shorthand, the repository path ending at {@code //}, at
 * {@code .git} or after {@code org/repo}, and the query ({@code ref} over {@code version}, {@code
 * submodules}, {@code timeout}; values kustomize cannot read fall back to its defaults).
 *
 * @param raw the entry as written
 * @param cloneUrl the URL git clones, without credentials
 * @param host the host, lower case
 * @param port the port, or null for the scheme's default
 * @param repoPath the repository path ({@code org/repo.git})
 * @param subPath the kustomization directory inside the repository ({@code ""} for its root)
 * @param ref the ref, empty for the default branch
 * @param submodules kustomize's {@code submodules} (default true)
 * @param timeout kustomize's {@code timeout} (default 27 s)
 * @param notes what kustomize ignores in the URL (unknown query keys, unreadable values)
 */
record RemoteUrl(
    String raw,
    String cloneUrl,
    String host,
    Integer port,
    String repoPath,
    String subPath,
    Optional<String> ref,
    boolean submodules,
    Duration timeout,
    List<String> notes) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(27);

  private static final Pattern SCHEME =
      Pattern.compile("^(https|http|ssh|git|file)://([^/]*)(/.*)?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCP = Pattern.compile("^([^@/:\\s]+)@([^/:\\s]+):(.*)$");
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  /** Thrown when the entry is not a URL kustomize (or Glidepath) reads. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** Whether {@code raw} is an HTTP(S) URL to a single YAML or JSON file, not a repository. */
  static boolean isSingleFile(String raw) {
    String n = raw.split("\\?", 2)[0];
    Matcher m = SCHEME.matcher(n);
    if (!m.matches() || !m.group(1).toLowerCase(Locale.ROOT).startsWith("http")) {
      return false;
    }
    String path = m.group(3) == null ? "" : m.group(3).substring(1);
    String lower = path.toLowerCase(Locale.ROOT);
    return !path.contains("//")
        && !lower.contains(".git")
        && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"));
  }

  /** The entry with its credentials masked ({@link Redaction#url}), for messages. */
  static String redact(String raw) {
    return raw.regionMatches(true, 0, "git::", 0, 5)
        ? raw.substring(0, 5) + Redaction.url(raw.substring(5))
        : Redaction.url(raw);
  }

  static RemoteUrl parse(String raw) throws Invalid {
    String n = raw;
    String query = "";
    int q = n.indexOf('?');
    if (q >= 0) {
      query = n.substring(q + 1);
      n = n.substring(0, q);
    }
    if (n.regionMatches(true, 0, "git::", 0, 5)) {
      n = n.substring(5);
    }
    if (n.regionMatches(true, 0, "gh:", 0, 3)) {
      throw new Invalid(
          "the gh: shorthand depends on the user's git configuration; write"
              + " https://github.com/ORG/REPO");
    }
    String scheme;
    String user = null;
    String host;
    Integer port = null;
    String path;
    Matcher m = SCHEME.matcher(n);
    Matcher scp = SCP.matcher(n);
    if (m.matches()) {
      scheme = m.group(1).toLowerCase(Locale.ROOT);
      String authority = m.group(2);
      path = m.group(3) == null ? "" : m.group(3).substring(1);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        user = authority.substring(0, at);
        authority = authority.substring(at + 1);
        if (user.contains(":")) {
          throw new Invalid(
              "the URL carries a password; give credentials through the credential store, never"
                  + " in a kustomization");
        }
      }
      int colon = authority.lastIndexOf(':');
      host = authority;
      if (colon >= 0 && !authority.endsWith("]")) {
        host = authority.substring(0, colon);
        try {
          port = Integer.valueOf(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new Invalid("the port \"" + authority.substring(colon + 1) + "\" is not a number");
        }
      }
      if (scheme.equals("file")) {
        if (!host.isEmpty()) {
          throw new Invalid("a file:// URL must have no host");
        }
      } else if (host.isEmpty()) {
        throw new Invalid("the URL has no host");
      }
    } else if (scp.matches()) {
      scheme = "scp";
      user = scp.group(1);
      host = scp.group(2);
      path = scp.group(3);
    } else if (n.regionMatches(true, 0, "github.com/", 0, 11)) {
      scheme = "https";
      host = "github.com";
      path = n.substring(11);
    } else {
      throw new Invalid(
          "is not a git URL kustomize reads (https://, http://, ssh://, git://, file://,"
              + " user@host:path, github.com/...)");
    }
    host = host.toLowerCase(Locale.ROOT);
    String repoPath;
    String subPath;
    int dbl = path.indexOf("//");
    int dotGit = path.indexOf(".git/");
    if (dbl >= 0) {
      repoPath = path.substring(0, dbl);
      subPath = path.substring(dbl + 2);
    } else if (path.endsWith(".git")) {
      repoPath = path;
      subPath = "";
    } else if (dotGit >= 0) {
      repoPath = path.substring(0, dotGit + 4);
      subPath = path.substring(dotGit + 5);
    } else if (scheme.equals("file")) {
      repoPath = path;
      subPath = "";
    } else {
      String[] seg = path.split("/", 3);
      if (seg.length < 2 || seg[0].isEmpty() || seg[1].isEmpty()) {
        throw new Invalid("has no ORG/REPO path");
      }
      repoPath = seg[0] + "/" + seg[1];
      subPath = seg.length > 2 ? seg[2] : "";
    }
    while (repoPath.endsWith("/")) {
      repoPath = repoPath.substring(0, repoPath.length() - 1);
    }
    if (repoPath.isEmpty()) {
      throw new Invalid("has no repository path");
    }
    while (subPath.startsWith("/")) {
      subPath = subPath.substring(1);
    }
    String cloneUrl =
        switch (scheme) {
          case "scp" -> user + "@" + host + ":" + repoPath;
          case "file" -> "file:///" + stripLeadingSlash(repoPath);
          default ->
              scheme
                  + "://"
                  + (user == null ? "" : user + "@")
                  + host
                  + (port == null ? "" : ":" + port)
                  + "/"
                  + repoPath;
        };
    List<String> notes = new ArrayList<>();
    String version = null;
    String ref = null;
    boolean submodules = true;
    Duration timeout = DEFAULT_TIMEOUT;
    if (!query.isEmpty()) {
      for (String pair : query.split("[&;]")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (key) {
          case "ref" -> ref = ref == null || ref.isEmpty() ? value : ref;
          case "version" -> version = version == null || version.isEmpty() ? value : version;
          case "submodules" -> {
            Boolean b = goBool(value);
            if (b == null) {
              if (!value.isEmpty()) {
                notes.add("submodules=" + value + " is not a boolean; kustomize's default true");
              }
            } else {
              submodules = b;
            }
          }
          case "timeout" -> {
            Duration d = goDuration(value);
            if (d == null) {
              if (!value.isEmpty()) {
                notes.add("timeout=" + value + " is not a duration; kustomize's default 27s");
              }
            } else {
              timeout = d;
            }
          }
          default -> notes.add("query parameter \"" + key + "\" is not one kustomize reads");
        }
      }
    }
    String chosen = ref != null && !ref.isEmpty() ? ref : version;
    return new RemoteUrl(
        raw,
        cloneUrl,
        host,
        port,
        repoPath,
        subPath,
        Optional.ofNullable(chosen == null || chosen.isEmpty() ? null : chosen),
        submodules,
        timeout,
        List.copyOf(notes));
  }

  /** {@code cloneUrl} with the ref, for messages and cycle chains. */
  String display() {
    return cloneUrl
        + (subPath.isEmpty() ? "" : "//" + subPath)
        + ref.map(r -> "?ref=" + r).orElse("");
  }

  private static String stripLeadingSlash(String s) {
    return s.startsWith("/") ? s.substring(1) : s;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** Go's strconv.ParseBool. */
  private static Boolean goBool(String v) {
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> null;
    };
  }

  /** kustomize's timeout: whole seconds, else a Go duration; must be positive. */
  private static Duration goDuration(String v) {
    if (v.matches("\\d{1,9}")) {
      long s = Long.parseLong(v);
      return s > 0 ? Duration.ofSeconds(s) : null;
    }
    if (v.isEmpty() || !v.matches("(\\d+(\\.\\d+)?(ms|s|m|h))+")) {
      return null;
    }
    Matcher m = GO_DURATION.matcher(v);
    double nanos = 0;
    while (m.find()) {
      double x = Double.parseDouble(m.group(1));
      nanos +=
          switch (m.group(2)) {
            case "ms" -> x * 1e6;
            case "s" -> x * 1e9;
            case "m" -> x * 60e9;
            default -> x * 3600e9;
          };
    }
    return nanos > 0 && nanos < 1e18 ? Duration.ofNanos((long) nanos) : null;
  }
}

package io.glidepath.core.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts and repositories Kustomize remote bases may be fetched from ({@link
 * KustomizeOptions#allowedRemoteBases()}). An entry is {@code HOST} (every repository of the host),
 * {@code HOST/ORG} (every repository under that path) or {@code HOST/ORG/REPO} (one repository);
 * {@code HOST} may carry a port ({@code git.example.com:8443}), and then only that port matches.
 * Hosts compare without case, paths with case, whole segments only, and a trailing {@code .git} is
 * ignored on both sides.
 *
 * <pre>{@code
 * RemoteBaseAllowList list = RemoteBaseAllowList.of(List.of("github.com/acme"));
 * list.allows("github.com", null, "acme/base.git");   // true
 * list.allows("github.com", null, "other/base");      // false
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RemoteBaseAllowList {
  private record Entry(String host, Integer port, List<String> path) {}

  private final List<String> entries;
  private final List<Entry> parsed;

  private RemoteBaseAllowList(List<String> entries) {
    this.entries = List.copyOf(entries);
    List<Entry> p = new ArrayList<>();
    for (String e : this.entries) {
      p.add(parse(e));
    }
    this.parsed = List.copyOf(p);
  }

  /**
   * The allow-list of these entries.
   *
   * @throws IllegalArgumentException naming an entry that is not {@code HOST[:PORT][/PATH]}
   */
  public static RemoteBaseAllowList of(List<String> entries) {
    return new RemoteBaseAllowList(entries);
  }

  /** The entries, as given. */
  public List<String> entries() {
    return entries;
  }

  /** Whether nothing is allowed. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Whether the repository at {@code host} (with {@code port}, or null for the scheme's default)
   * and {@code repoPath} ({@code org/repo.git}) is allowed.
   */
  public boolean allows(String host, Integer port, String repoPath) {
    List<String> segments = segments(repoPath);
    for (Entry e : parsed) {
      if (!e.host.equalsIgnoreCase(host)) {
        continue;
      }
      if (e.port != null && !e.port.equals(port)) {
        continue;
      }
      if (e.path.size() <= segments.size() && segments.subList(0, e.path.size()).equals(e.path)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks one entry.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  public static void checkEntry(String entry) {
    parse(entry);
  }

  private static Entry parse(String entry) {
    if (entry == null || entry.isBlank()) {
      throw new IllegalArgumentException("a remote base allow-list entry must not be blank");
    }
    if (entry.contains("://")
        || entry.contains("?")
        || entry.contains("@")
        || entry.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "remote base allow-list entry must be HOST, HOST/ORG or HOST/ORG/REPO (no scheme, user,"
              + " query or spaces), but was \""
              + entry
              + "\"");
    }
    int slash = entry.indexOf('/');
    String hostPort = slash < 0 ? entry : entry.substring(0, slash);
    String path = slash < 0 ? "" : entry.substring(slash + 1);
    String host = hostPort;
    Integer port = null;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.substring(0, colon);
      try {
        port = Integer.valueOf(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "remote base allow-list entry \"" + entry + "\" has a port that is not 1-65535");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException(
          "remote base allow-list entry \"" + entry + "\" has no host");
    }
    List<String> segments = segments(path);
    for (String s : segments) {
      if (s.equals("..") || s.equals(".")) {
        throw new IllegalArgumentException(
            "remote base allow-list entry \"" + entry + "\" must not hold . or .. segments");
      }
    }
    return new Entry(host.toLowerCase(Locale.ROOT), port, segments);
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    if (path == null) {
      return out;
    }
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    if (!out.isEmpty()) {
      String last = out.get(out.size() - 1);
      if (last.endsWith(".git") && last.length() > 4) {
        out.set(out.size() - 1, last.substring(0, last.length() - 4));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}

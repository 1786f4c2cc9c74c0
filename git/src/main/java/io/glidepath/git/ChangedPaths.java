package io.glidepath.git;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files that differ between two commits, to skip re-rendering an application whose directory a
 * commit did not touch (Argo CD's {@code manifest-generate-paths}).
 *
 * <pre>{@code
 * ChangedPaths changed = source.changedPaths(previous, current);
 * if (changed.touches("apps/trade-service")) { render(); }
 * }</pre>
 *
 * @param from the older commit
 * @param to the newer commit
 * @param paths repository-relative paths with {@code /} separators, sorted; a rename lists both
 *     names
 */
public record ChangedPaths(CommitId from, CommitId to, Set<String> paths) {
  public ChangedPaths {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    paths = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(paths));
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return paths.isEmpty();
  }

  /**
   * Whether a changed file is {@code directoryOrFile} or lies below it. {@code ""}, {@code "."} and
   * {@code "/"} mean the whole repository.
   */
  public boolean touches(String directoryOrFile) {
    String prefix = normalize(directoryOrFile);
    if (prefix.isEmpty()) {
      return !paths.isEmpty();
    }
    for (String p : paths) {
      if (p.equals(prefix) || p.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Whether any of the directories or files is touched. */
  public boolean touchesAny(Collection<String> directoriesOrFiles) {
    return directoriesOrFiles.stream().anyMatch(this::touches);
  }

  private static String normalize(String path) {
    String p = Objects.requireNonNull(path, "path").replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }
}

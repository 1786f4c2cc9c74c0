package io.glidepath.core.render;

import io.glidepath.core.Redaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Path safety for everything read out of a repository: every path, after resolving {@code ..} and
 * every symlink, must stay inside the repository root.
 *
 * <pre>{@code
 * RepositoryPaths paths = RepositoryPaths.of(repoRoot);
 * Path values = paths.resolve(appDir, "values-production.yaml", "value file");
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class RepositoryPaths {
  private static final Pattern URL =
      Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*|^[a-zA-Z]+:[^\\\\/].*");

  private final Path root;

  private RepositoryPaths(Path root) {
    this.root = root;
  }

  /**
   * Paths checked against {@code repoRoot}, which must be an existing directory.
   *
   * @throws RenderException when it is not
   */
  public static RepositoryPaths of(Path repoRoot) {
    Objects.requireNonNull(repoRoot, "repoRoot");
    try {
      Path real = repoRoot.toAbsolutePath().normalize().toRealPath();
      if (!Files.isDirectory(real)) {
        throw new RenderException("repository root " + repoRoot + " is not a directory");
      }
      return new RepositoryPaths(real);
    } catch (IOException e) {
      throw new RenderException("repository root " + repoRoot + " does not exist", null, e);
    }
  }

  /** The real path of the repository root. */
  public Path root() {
    return root;
  }

  /**
   * Resolves {@code requested} (relative to {@code base}, or absolute) to an existing file or
   * directory inside the root.
   *
   * @param what what the path is for, used in messages ("value file")
   * @throws PathEscapeException when it is a URL or leads outside the root
   * @throws RenderException when it does not exist
   */
  public Path resolve(Path base, String requested, String what) {
    Path path = resolveUnchecked(base, requested, what);
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new RenderException(
          what + " \"" + Redaction.url(requested) + "\" not found (" + relative(path) + ")",
          Redaction.url(requested),
          null);
    }
    return checkReal(path, requested, what);
  }

  /** Like {@link #resolve} for a path that may not exist yet; no symlink in it may escape. */
  public Path resolveNew(Path base, String requested, String what) {
    Path path = resolveUnchecked(base, requested, what);
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      checkReal(existing, requested, what);
    }
    return path;
  }

  private Path resolveUnchecked(Path base, String requested, String what) {
    Objects.requireNonNull(requested, what);
    if (requested.isBlank()) {
      throw new PathEscapeException(requested, what + " path is empty");
    }
    if (URL.matcher(requested).matches() && !looksLikeWindowsDrive(requested)) {
      throw new PathEscapeException(
          requested, what + " must be a file in the repository, not a URL");
    }
    Path given;
    try {
      given = Path.of(requested);
    } catch (InvalidPathException e) {
      throw new PathEscapeException(requested, "not a valid path: " + e.getReason());
    }
    Path path =
        (given.isAbsolute() ? given : root.resolve(base).resolve(given))
            .toAbsolutePath()
            .normalize();
    if (!path.startsWith(root)) {
      throw new PathEscapeException(
          requested, what + " resolves to " + path + ", outside the repository root " + root);
    }
    return path;
  }

  private static boolean looksLikeWindowsDrive(String s) {
    return s.length() > 2
        && Character.isLetter(s.charAt(0))
        && s.charAt(1) == ':'
        && (s.charAt(2) == '\\' || s.charAt(2) == '/');
  }

  /**
   * The real path of {@code path}, which must exist and, with every symlink followed, stay inside
   * the root.
   */
  public Path checkReal(Path path, String requested, String what) {
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(root)) {
        throw new PathEscapeException(
            requested,
            what
                + " is a symlink (or lies under one) that resolves to "
                + real
                + ", outside the repository root");
      }
      return real;
    } catch (IOException e) {
      if (Files.isSymbolicLink(path)) {
        throw new PathEscapeException(requested, what + " is a dangling symlink");
      }
      throw new RenderException(
          what + " \"" + Redaction.url(requested) + "\" cannot be read: " + e.getMessage(),
          Redaction.url(requested),
          e);
    }
  }

  /** {@code path} relative to the root, with forward slashes, for messages and origins. */
  public String relative(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    String rel = abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    return rel.replace('\\', '/');
  }
}

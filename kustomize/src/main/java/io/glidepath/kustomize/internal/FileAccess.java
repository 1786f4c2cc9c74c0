package io.glidepath.kustomize.internal;

import io.glidepath.core.NotUtf8Exception;
import io.glidepath.core.Redaction;
import io.glidepath.core.Utf8;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads the files a kustomization names, with kustomize's load restriction: by default a file must
 * be inside the kustomization's own directory ({@code LoadRestrictionsRootOnly}); with {@code
 * LoadRestrictionsNone} anywhere, but never outside the repository. Other kustomization directories
 * may be anywhere in the repository. Remote bases ({@link RemoteBases}) are allowed in {@code
 * resources} and {@code components} only; inside a remote base's checkout the same rules hold with
 * the checkout as the repository. Other URLs are refused.
 */
final class FileAccess {
  private static final Pattern REMOTE =
      Pattern.compile(
          "^(?:[a-zA-Z][a-zA-Z0-9+.-]*://.*|git::.*|gh:.*|git@.*|(?:github|gitlab|bitbucket)\\.(?:com|org)/.*)");

  final RepositoryPaths paths;
  private final boolean rootOnly;
  private final RemoteBases remote;

  FileAccess(RepositoryPaths paths, boolean rootOnly, RemoteBases remote) {
    this.paths = paths;
    this.rootOnly = rootOnly;
    this.remote = remote;
  }

  /**
   * The paths files under {@code dir} are checked against: the remote base checkout it lies in, or
   * the application's repository.
   */
  RepositoryPaths pathsFor(Path dir) {
    RemoteBases.Root r = remote.rootOf(dir);
    return r == null ? paths : r.paths();
  }

  /** {@code path} for messages and origins, relative to its repository. */
  String relative(Path path) {
    RemoteBases.Root r = remote.rootOf(path);
    return r == null ? paths.relative(path) : remote.relative(r, path);
  }

  /**
   * Resolves a {@code resources} or {@code components} entry, which may be a remote base: fetched
   * when the allow-list lets it, else refused.
   */
  Path resolveBase(Kust k, String entry, String value, boolean fileMustBeInRoot) {
    if (!value.isBlank() && looksRemote(value)) {
      return remote.resolve(k, entry, value);
    }
    return resolve(k, entry, value, fileMustBeInRoot);
  }

  static boolean looksRemote(String value) {
    return REMOTE.matcher(value).matches();
  }

  /** Resolves an entry to an existing file or directory. */
  Path resolve(Kust k, String entry, String value, boolean fileMustBeInRoot) {
    if (value.isBlank()) {
      throw k.error(entry, Problem.INVALID_VALUE, "is empty", null);
    }
    if (looksRemote(value)) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote resource \""
              + Redaction.url(value)
              + "\" refused: only resources and components may be remote, and only git"
              + " repositories",
          null);
    }
    Path p;
    try {
      p = pathsFor(k.dir).resolve(k.dir, value, "file");
    } catch (PathEscapeException e) {
      throw k.error(entry, Problem.PATH_ESCAPE, e.getMessage(), e);
    } catch (RenderException e) {
      String first = value.split("/", 2)[0];
      if (first.contains(".") && !first.startsWith(".") && value.contains("/")) {
        throw k.error(
            entry,
            Problem.REMOTE_RESOURCE,
            "\""
                + Redaction.url(value)
                + "\" is not a file here and looks like a remote repository without a scheme;"
                + " write it as https://HOST/ORG/REPO.git//PATH?ref=REF",
            e);
      }
      throw k.error(entry, Problem.MISSING_FILE, "\"" + value + "\" does not exist", e);
    }
    if (rootOnly && fileMustBeInRoot && !Files.isDirectory(p)) {
      Path root;
      try {
        root = k.dir.toRealPath();
      } catch (IOException e) {
        root = k.dir;
      }
      if (!p.startsWith(root)) {
        throw k.error(
            entry,
            Problem.PATH_ESCAPE,
            "file \""
                + value
                + "\" is outside the kustomization's directory "
                + (relative(k.dir).isEmpty() ? "." : relative(k.dir))
                + " (kustomize's LoadRestrictionsRootOnly; --load-restrictor LoadRestrictionsNone"
                + " allows files elsewhere in the repository)",
            null);
      }
    }
    return p;
  }

  Path resolveFile(Kust k, String entry, String value) {
    Path p = resolve(k, entry, value, true);
    if (Files.isDirectory(p)) {
      throw k.error(
          entry, Problem.INVALID_VALUE, "\"" + value + "\" is a directory, not a file", null);
    }
    return p;
  }

  byte[] readBytes(Kust k, String entry, Path file) {
    try {
      long max = Yaml.reader().limits().maxBytes();
      if (Files.size(file) > max) {
        throw k.error(entry, Problem.INVALID_VALUE, "file is larger than " + max + " bytes", null);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw k.error(
          entry, Problem.MISSING_FILE, "cannot read " + relative(file) + ": " + e.getMessage(), e);
    }
  }

  String readText(Kust k, String entry, Path file) {
    byte[] bytes = readBytes(k, entry, file);
    try {
      return Utf8.decode(bytes, paths.relative(file));
    } catch (NotUtf8Exception e) {
      throw k.error(entry, Problem.INVALID_VALUE, e.getMessage(), e);
    }
  }

  /** The text of a path entry, or the entry itself when it is inline content. */
  String textOf(Kust k, String entry, String value) {
    return readText(k, entry, resolveFile(k, entry, value));
  }
}

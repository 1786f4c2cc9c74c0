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
 * may be anywhere in the repository. URLs are refused.
 */
final class FileAccess {
  private static final Pattern REMOTE =
      Pattern.compile(
          "^(?:[a-zA-Z][a-zA-Z0-9+.-]*://.*|git::.*|gh:.*|git@.*|(?:github|gitlab|bitbucket)\\.(?:com|org)/.*)");

  final RepositoryPaths paths;
  private final boolean rootOnly;

  FileAccess(RepositoryPaths paths, boolean rootOnly) {
    this.paths = paths;
    this.rootOnly = rootOnly;
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
              + "\" refused: remote bases are off (allow their hosts in the build options)",
          null);
    }
    Path p;
    try {
      p = paths.resolve(k.dir, value, "file");
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
                + "\" is not a file here and looks like a remote repository; remote bases are off",
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
                + (paths.relative(k.dir).isEmpty() ? "." : paths.relative(k.dir))
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
          entry,
          Problem.MISSING_FILE,
          "cannot read " + paths.relative(file) + ": " + e.getMessage(),
          e);
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

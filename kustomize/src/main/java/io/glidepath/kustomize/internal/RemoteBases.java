package io.glidepath.kustomize.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.render.PathEscapeException;
import io.glidepath.core.render.RemoteBaseAllowList;
import io.glidepath.core.render.RemoteBaseLoader;
import io.glidepath.core.render.RemoteRefNotFoundException;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RepositoryPaths;
import io.glidepath.kustomize.KustomizeException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote bases of one build: checks each URL against the allow-list, fetches it once per URL
 * and ref through the request's {@link RemoteBaseLoader} (so the whole build sees one commit per
 * ref), and keeps the checkouts' roots so that a remote kustomization reads files only inside its
 * own checkout. Each fetch is bounded by the URL's {@code timeout} (kustomize's 27 s by default). A
 * repository with submodules is refused unless the URL says {@code submodules=false}: kustomize
 * would check them out, Glidepath does not. Closes every checkout when the build ends.
 */
final class RemoteBases implements AutoCloseable {
  /** At most this many repositories per build, so a chain of remote bases cannot run forever. */
  static final int MAX_CHECKOUTS = 64;

  /** A fetched repository: its paths and how it is shown in messages. */
  record Root(RepositoryPaths paths, String label) {}

  private final RemoteBaseAllowList allowList;
  private final RemoteBaseLoader loader;
  private final List<String> warnings;
  private final Map<String, Root> byKey = new LinkedHashMap<>();
  private final List<Root> roots = new ArrayList<>();
  private final List<RemoteBaseLoader.Checkout> open = new ArrayList<>();

  RemoteBases(RemoteBaseAllowList allowList, RemoteBaseLoader loader, List<String> warnings) {
    this.allowList = allowList;
    this.loader = loader;
    this.warnings = warnings;
  }

  /** The checkout {@code dir} lies in, or null when it is in the application's repository. */
  Root rootOf(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    for (Root r : roots) {
      if (abs.startsWith(r.paths.root())) {
        return r;
      }
    }
    return null;
  }

  /** The directory a remote base entry names, fetched. */
  Path resolve(Kust k, String entry, String value) {
    String shown = RemoteUrl.redact(value);
    if (RemoteUrl.isSingleFile(value)) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote resource \""
              + shown
              + "\" refused: an HTTP(S) URL to a single file is never fetched; remote bases"
              + " must be git repositories",
          null);
    }
    if (allowList.isEmpty()) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote resource \""
              + shown
              + "\" refused: remote bases are off (allow their hosts with"
              + " KustomizeOptions.allowedRemoteBases or glidepath render --allow-remote-base)",
          null);
    }
    RemoteUrl url;
    try {
      url = RemoteUrl.parse(value);
    } catch (RemoteUrl.Invalid e) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote resource \"" + shown + "\" refused: " + e.getMessage(),
          null);
    }
    if (!allowList.allows(url.host(), url.port(), url.repoPath())) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote resource \""
              + shown
              + "\" refused: "
              + url.host()
              + (url.port() == null ? "" : ":" + url.port())
              + "/"
              + url.repoPath()
              + " is not on the remote base allow-list "
              + allowList,
          null);
    }
    for (String note : url.notes()) {
      warnings.add(
          k.file + ": " + entry + ": " + shown + ": " + note + "; ignored as kustomize does");
    }
    String key = url.cloneUrl() + "\u0000" + url.ref().orElse("");
    Root root = byKey.get(key);
    if (root == null) {
      if (byKey.size() >= MAX_CHECKOUTS) {
        throw k.error(
            entry,
            Problem.REMOTE_RESOURCE,
            "more than " + MAX_CHECKOUTS + " remote repositories in one build",
            null);
      }
      RemoteBaseLoader.Checkout checkout;
      try {
        checkout = loader.checkout(url.cloneUrl(), url.ref(), url.timeout());
      } catch (RemoteRefNotFoundException e) {
        throw k.error(
            entry, Problem.UNKNOWN_REF, "remote base \"" + shown + "\": " + e.getMessage(), e);
      } catch (GlidepathException e) {
        throw k.error(
            entry,
            Problem.REMOTE_FETCH,
            "remote base \"" + shown + "\" cannot be fetched: " + e.getMessage(),
            e);
      }
      open.add(checkout);
      RepositoryPaths paths;
      try {
        paths = RepositoryPaths.of(checkout.root());
      } catch (RenderException e) {
        throw k.error(entry, Problem.REMOTE_FETCH, e.getMessage(), e);
      }
      String commit = checkout.commit();
      root =
          new Root(
              paths,
              url.cloneUrl() + "@" + (commit.length() > 12 ? commit.substring(0, 12) : commit));
      byKey.put(key, root);
      roots.add(root);
    }
    if (url.submodules() && Files.exists(root.paths.root().resolve(".gitmodules"))) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote base \""
              + shown
              + "\" refused: "
              + root.label
              + " has git submodules (.gitmodules), which kustomize checks out and Glidepath does"
              + " not; add submodules=false to the URL's query if the base does not need them",
          null);
    }
    Path dir;
    try {
      dir =
          root.paths.resolve(
              root.paths.root(), url.subPath().isEmpty() ? "." : url.subPath(), "remote base path");
    } catch (PathEscapeException e) {
      throw k.error(
          entry, Problem.PATH_ESCAPE, "remote base \"" + shown + "\": " + e.getMessage(), e);
    } catch (RenderException e) {
      throw k.error(
          entry,
          Problem.MISSING_FILE,
          "remote base \""
              + shown
              + "\": "
              + (url.subPath().isEmpty() ? "." : url.subPath())
              + " does not exist in "
              + root.label,
          e);
    }
    if (!Files.isDirectory(dir)) {
      throw k.error(
          entry,
          Problem.REMOTE_RESOURCE,
          "remote base \""
              + shown
              + "\" names a file; a remote base must be a kustomization directory",
          null);
    }
    return dir;
  }

  /** {@code path} for messages: {@code URL@commit//relative} inside a checkout. */
  String relative(Root r, Path path) {
    String rel = r.paths.relative(path);
    return r.label + "//" + rel;
  }

  @Override
  public void close() {
    for (RemoteBaseLoader.Checkout c : open) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // closing a checkout only releases a cache claim; the build's result stands
      }
    }
    open.clear();
  }
}

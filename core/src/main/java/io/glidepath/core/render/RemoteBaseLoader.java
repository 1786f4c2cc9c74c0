package io.glidepath.core.render;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Fetches the Git repositories that Kustomize remote bases name ({@code
 * https://git.example.com/org/repo.git//base?ref=v1}) and hands the renderer a read-only checkout
 * of the commit the ref resolves to. The Kustomize renderer parses the URL and checks it against
 * {@link KustomizeOptions#allowedRemoteBases()} before it calls a loader; a loader only fetches.
 *
 * <pre>{@code
 * RenderRequest request = RenderRequest.builder(repoRoot, "apps/web")
 *     .kustomize(KustomizeOptions.NONE.withAllowedRemoteBases(List.of("git.example.com/org")))
 *     .remoteBases(GitRemoteBases.of(gitCache, url -> credentials))   // glidepath-git
 *     .build();
 * }</pre>
 *
 * <p>{@link #NONE}, the default of every request, fetches nothing. Implementations must be
 * thread-safe; the checkouts they return are used by one render and closed when it ends.
 */
@FunctionalInterface
public interface RemoteBaseLoader {
  /** The loader that fetches nothing: every remote base is refused. */
  RemoteBaseLoader NONE =
      (url, ref, timeout) -> {
        throw new RenderException(
            "no remote base loader is configured, so " + url + " cannot be fetched");
      };

  /**
   * A read-only checkout of {@code repositoryUrl} at {@code ref} (the repository's default branch
   * when empty).
   *
   * @param repositoryUrl the clone URL, without credentials ({@code https://host/org/repo.git},
   *     {@code ssh://git@host/org/repo.git}, {@code git@host:org/repo.git}, {@code file://...})
   * @param ref a branch, tag or commit id
   * @param timeout how long fetching may take at most (Kustomize's {@code ?timeout=}, 27 s when the
   *     URL gives none); a fetch still running then fails. A ref already in a local cache needs no
   *     fetch.
   * @throws RemoteRefNotFoundException when {@code ref} names no commit of the repository
   * @throws io.glidepath.core.GlidepathException when the repository cannot be fetched (the message
   *     never holds a credential)
   */
  Checkout checkout(String repositoryUrl, Optional<String> ref, Duration timeout);

  /** A checkout of one resolved commit; close it when the render is done with it. */
  interface Checkout extends AutoCloseable {
    /** The root of the working tree (files are read-only). */
    Path root();

    /** The full id of the commit the ref resolved to. */
    String commit();

    @Override
    void close();
  }
}

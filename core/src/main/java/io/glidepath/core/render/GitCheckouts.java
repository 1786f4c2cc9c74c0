package io.glidepath.core.render;

import java.nio.file.Path;

/**
 * Read-only checkouts of Git repositories at a revision, for the sources of an application. The Git
 * module's {@code GitCheckouts.of(GitCache, RepoCredentialStore)} is the implementation: a bare
 * clone per repository, snapshots per commit, Argo CD's repository credentials.
 *
 * <pre>{@code
 * try (GitCheckouts.Checkout c = checkouts.checkout("https://git.example.com/org/config.git", "main")) {
 *   render(c.root().resolve("apps/web"));    // c.revision() is the commit id
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface GitCheckouts {
  /** Checkouts that have no repositories: every checkout is a {@link RenderException}. */
  GitCheckouts NONE =
      (repoUrl, revision) -> {
        throw new RenderException(
            repoUrl
                + " "
                + revision
                + " cannot be checked out: no Git repositories are configured (give the renderer"
                + " GitCheckouts, e.g. the Git module's)");
      };

  /**
   * The repository at {@code targetRevision} (a branch, tag, commit or {@code HEAD}), after a fetch
   * when the implementation fetches.
   *
   * @throws io.glidepath.core.GlidepathException when it cannot be reached or the revision does not
   *     exist
   */
  Checkout checkout(String repoUrl, String targetRevision);

  /**
   * The commit {@code targetRevision} names now, without a working tree (default: a checkout,
   * closed at once).
   */
  default String resolve(String repoUrl, String targetRevision) {
    try (Checkout c = checkout(repoUrl, targetRevision)) {
      return c.revision();
    }
  }

  /** One checkout; its files stay until it is closed. */
  interface Checkout extends AutoCloseable {
    /** The root of the working tree. */
    Path root();

    /** The commit id checked out. */
    String revision();

    @Override
    void close();

    /** A checkout of a directory already on disk (tests, CLI runs on a local checkout). */
    static Checkout of(Path root, String revision) {
      return new Checkout() {
        @Override
        public Path root() {
          return root;
        }

        @Override
        public String revision() {
          return revision;
        }

        @Override
        public void close() {}
      };
    }
  }
}

package io.glidepath.git;

/**
 * One remote repository as seen through a {@link GitCache}: fetch it, resolve revisions, and get
 * read-only working trees of commits for renderers.
 *
 * <pre>{@code
 * GitSource source = cache.source(GitRemote.of("https://git.example.com/org/gitops-configs.git",
 *     GitCredentials.httpsToken("x-access-token", token)));
 * source.fetch();
 * CommitId head = source.resolve("main");
 * try (Snapshot snap = source.snapshot(head)) {
 *   render(snap.resolve("apps/trade-service"));
 * }
 * }</pre>
 *
 * <p>Every source of the same URL in one cache shares one bare clone; at most one fetch (or
 * write-back push cycle) runs on it at a time, others wait. Reads ({@link #resolve}, {@link
 * #snapshot}, {@link #changedPaths}) see the refs of the last completed fetch and never block on a
 * running one. Thread-safe.
 */
public interface GitSource {
  /** The remote (its {@code toString()} shows no credentials). */
  GitRemote remote();

  /**
   * Clones the repository on first use, then fetches every branch and tag (deleted ones are
   * removed) and the remote's {@code HEAD}.
   *
   * @throws GitTransportException when the remote cannot be reached or refuses us; the cache keeps
   *     what it had
   */
  FetchResult fetch();

  /**
   * {@link #fetch()} bounded by {@code timeout} instead of the cache's network timeout: a fetch
   * still running after {@code timeout} (whole seconds, at least 1 s) is stopped. The sources of a
   * {@link GitCache} honour it; the default, for other implementations such as test fakes, is
   * {@link #fetch()} with their own limits.
   *
   * @throws GitTransportException when the remote cannot be reached, refuses us or the fetch runs
   *     out of time; the cache keeps what it had
   */
  default FetchResult fetch(java.time.Duration timeout) {
    return fetch();
  }

  /**
   * The commit {@code revision} names in the last fetched state: a branch, a tag (annotated or
   * lightweight), a full ref name ({@code refs/heads/main}), a full or abbreviated (at least 4
   * digits) commit id, or {@code HEAD} (the remote's default branch).
   *
   * @throws UnknownRevisionException when nothing or more than one commit matches
   */
  CommitId resolve(String revision);

  /** {@link #fetch()} then {@link #resolve(String)}. */
  default CommitId fetchAndResolve(String revision) {
    fetch();
    return resolve(revision);
  }

  /**
   * A read-only working tree of {@code commit}, shared with every other caller of the same commit
   * and kept until evicted by the cache's LRU bound once no one holds it. Close the snapshot when
   * done with it. Symbolic links that would resolve outside the tree are not created and are listed
   * in {@link Snapshot#symlinkViolations()}.
   *
   * @throws UnknownRevisionException when the commit is not in the cache
   */
  Snapshot snapshot(CommitId commit);

  /**
   * A read-only tree of {@code commit} holding only {@code paths} (repository-relative, forward
   * slashes; a directory brings everything under it) and the directories above them: what one app's
   * render reads, instead of the whole repository. A commit whose tree holds a symbolic link
   * anywhere, or a path set naming the root ({@code ""}), gets the whole tree ({@link
   * #snapshot(CommitId)}), so that {@link Snapshot#symlinkViolations()} keeps covering the whole
   * repository. Shared per commit and path set, evicted as whole trees are. This default checks out
   * the whole tree.
   *
   * @throws UnknownRevisionException when the commit is not in the cache
   */
  default Snapshot snapshot(CommitId commit, java.util.Collection<String> paths) {
    return snapshot(commit);
  }

  /** The files that differ between two commits of this repository. */
  ChangedPaths changedPaths(CommitId from, CommitId to);

  /** Whether {@code ancestor} is {@code descendant} or one of its ancestors. */
  boolean isAncestor(CommitId ancestor, CommitId descendant);
}

package io.glidepath.git;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only working tree of one commit, for renderers that need files on disk.
 *
 * <pre>{@code
 * try (Snapshot snap = source.snapshot(commit).requireContainedLinks(url)) {
 *   Path chart = snap.resolve("apps/trade-service");
 * }
 * }</pre>
 *
 * <p>Files and directories are not writable. Snapshots of the same commit are shared; {@link
 * #close()} releases this holder's claim, after which the cache may delete the tree (LRU). Using
 * the paths after closing is undefined. Thread-safe.
 */
public interface Snapshot extends AutoCloseable {
  /** The commit this tree holds. */
  CommitId commit();

  /** The root directory of the tree. */
  Path root();

  /**
   * {@code relativePath} under the root, refused with {@link IllegalArgumentException} when it is
   * absolute, climbs out with {@code ..}, or resolves (through a link) outside the root.
   */
  Path resolve(String relativePath);

  /** Links that were not created because they point outside the tree. */
  List<SymlinkViolation> symlinkViolations();

  /**
   * This snapshot, when every link of the commit could be created; call it before rendering.
   *
   * @param repository the repository's URL, for the message
   * @throws SymlinkEscapeException naming the links that lead outside the repository or nowhere
   */
  default Snapshot requireContainedLinks(String repository) {
    if (!symlinkViolations().isEmpty()) {
      throw new SymlinkEscapeException(repository, commit(), symlinkViolations());
    }
    return this;
  }

  /** Releases this claim on the tree; idempotent. */
  @Override
  void close();
}

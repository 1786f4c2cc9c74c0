/**
 * Git as the source of truth: {@link io.glidepath.git.GitCache} holds one bare clone per remote
 * URL, {@link io.glidepath.git.GitSource} fetches, resolves revisions and gives read-only {@link
 * io.glidepath.git.Snapshot}s of commits, and {@link io.glidepath.git.GitCredentials} carries HTTPS
 * tokens or SSH keys that never appear in messages.
 *
 * <p>Everything in this package is non-null unless documented otherwise.
 */
package io.glidepath.git;

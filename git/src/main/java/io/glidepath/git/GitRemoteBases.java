package io.glidepath.git;

import io.glidepath.core.render.RemoteBaseLoader;
import io.glidepath.core.render.RemoteRefNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@link RemoteBaseLoader} that fetches Kustomize remote bases through a {@link GitCache}: one
 * bare clone per repository URL, one read-only snapshot per resolved commit, both shared with every
 * other user of the cache, so a base fetched once is reused by the next render of the same commit.
 * Credentials come from {@code credentials}, the same lookup (by URL) that gives the application's
 * own repository its credentials.
 *
 * <pre>{@code
 * RemoteBaseLoader bases = GitRemoteBases.of(cache, url -> credentialStore.forUrl(url));
 * RenderRequest request = RenderRequest.builder(snap.root(), "apps/web")
 *     .kustomize(KustomizeOptions.NONE.withAllowedRemoteBases(List.of("git.example.com/platform")))
 *     .remoteBases(bases)
 *     .build();
 * }</pre>
 *
 * <p>A ref that is a full commit id already in the clone is used without a fetch; any other ref
 * (branch, tag, or the remote's default branch when none is given) is fetched first, then pinned:
 * the checkout is of the commit it resolved to. A fetch is bounded by the timeout the renderer
 * passes (Kustomize's {@code ?timeout=}), not the cache's. Submodules are not checked out (their
 * directories stay empty; the Kustomize renderer refuses a base whose repository has a {@code
 * .gitmodules} unless its URL says {@code submodules=false}). Errors name the repository by its URL
 * without credentials. Thread-safe.
 */
public final class GitRemoteBases implements RemoteBaseLoader {
  private static final Pattern FULL_ID = Pattern.compile("[0-9a-fA-F]{40}");

  private final GitCache cache;
  private final Function<String, GitCredentials> credentials;

  private GitRemoteBases(GitCache cache, Function<String, GitCredentials> credentials) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /**
   * A loader over {@code cache} that asks {@code credentials} for each repository URL (return
   * {@link GitCredentials#none()} or null for none).
   */
  public static GitRemoteBases of(GitCache cache, Function<String, GitCredentials> credentials) {
    return new GitRemoteBases(cache, credentials);
  }

  /** A loader over {@code cache} for public repositories (no credentials). */
  public static GitRemoteBases of(GitCache cache) {
    return new GitRemoteBases(cache, url -> GitCredentials.none());
  }

  @Override
  public Checkout checkout(String repositoryUrl, Optional<String> ref, Duration timeout) {
    GitCredentials c = credentials.apply(repositoryUrl);
    GitSource source =
        cache.source(GitRemote.of(repositoryUrl, c == null ? GitCredentials.none() : c));
    String revision = ref.orElse("HEAD");
    CommitId commit = null;
    if (FULL_ID.matcher(revision).matches()) {
      try {
        commit = source.resolve(revision);
      } catch (GitException e) {
        commit = null; // not fetched yet
      }
    }
    if (commit == null) {
      source.fetch(timeout.getSeconds() < 1 ? Duration.ofSeconds(1) : timeout);
      try {
        commit = source.resolve(revision);
      } catch (UnknownRevisionException e) {
        throw new RemoteRefNotFoundException(source.remote().url(), revision, e);
      }
    }
    Snapshot snapshot = source.snapshot(commit);
    String id = commit.sha();
    return new Checkout() {
      @Override
      public Path root() {
        return snapshot.root();
      }

      @Override
      public String commit() {
        return id;
      }

      @Override
      public void close() {
        snapshot.close();
      }
    };
  }

  @Override
  public String toString() {
    return "GitRemoteBases[" + cache.directory() + "]";
  }
}

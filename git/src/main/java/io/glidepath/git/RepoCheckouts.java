package io.glidepath.git;

import io.glidepath.core.render.GitCheckouts;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link GitCheckouts} on a {@link GitCache}: each repository URL gets the credentials Argo CD's
 * repository Secrets give it ({@link RepoCredentialStore}), is fetched, and the revision resolved
 * and checked out as a read-only snapshot.
 *
 * <pre>{@code
 * GitCheckouts checkouts = RepoCheckouts.of(cache, RepoCredentialStore.read(secretsFile));
 * ApplicationRenderer renderer = ApplicationRenderer.builder().git(checkouts).build();
 * }</pre>
 *
 * <p>Credentials map as Argo CD's do: {@code username}/{@code password} for HTTPS (a password alone
 * goes with user {@code x-access-token}), {@code sshPrivateKey} for SSH checked against the known
 * hosts of {@code argocd-ssh-known-hosts-cm} ({@code insecure} skips the host key check). Argo CD
 * settings the Git transport cannot honour ({@code bearerToken}, TLS client certificates, {@code
 * insecure} for HTTPS) are a {@link GitException} naming the Secret, never silently dropped.
 * Thread-safe.
 */
public final class RepoCheckouts implements GitCheckouts {
  private final GitCache cache;
  private final RepoCredentialStore credentials;
  private final boolean fetch;

  private RepoCheckouts(GitCache cache, RepoCredentialStore credentials, boolean fetch) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.fetch = fetch;
  }

  /** Checkouts that fetch the repository before resolving each revision. */
  public static RepoCheckouts of(GitCache cache, RepoCredentialStore credentials) {
    return new RepoCheckouts(cache, credentials, true);
  }

  /**
   * These checkouts without a fetch per checkout: a revision is resolved in what was fetched last
   * (a {@link io.glidepath.git.watch.GitWatcher} fetches), and fetched once when unknown.
   */
  public RepoCheckouts withoutFetch() {
    return new RepoCheckouts(cache, credentials, false);
  }

  /** The source of {@code repoUrl} with its credentials from the store. */
  public GitSource source(String repoUrl) {
    GitRemote plain = GitRemote.of(repoUrl);
    Optional<RepoCredentials> c = credentials.find(plain.url());
    if (c.isEmpty()) {
      return cache.source(plain);
    }
    return cache.source(plain.withCredentials(credentials(c.get(), plain.url())));
  }

  @Override
  public String resolve(String repoUrl, String targetRevision) {
    return commit(source(repoUrl), targetRevision).sha();
  }

  private CommitId commit(GitSource source, String targetRevision) {
    if (fetch) {
      return source.fetchAndResolve(targetRevision);
    }
    try {
      return source.resolve(targetRevision);
    } catch (UnknownRevisionException e) {
      // e.g. a branch the spec names since an edit, not fetched yet
      return source.fetchAndResolve(targetRevision);
    }
  }

  @Override
  public Checkout checkout(String repoUrl, String targetRevision) {
    GitSource source = source(repoUrl);
    CommitId commit = commit(source, targetRevision);
    Snapshot snapshot = source.snapshot(commit);
    try {
      // a link that leads outside the repository, or nowhere, refuses the checkout before rendering
      snapshot.requireContainedLinks(source.remote().url());
    } catch (RuntimeException e) {
      snapshot.close();
      throw e;
    }
    String sha = commit.sha();
    return new Checkout() {
      @Override
      public Path root() {
        return snapshot.root();
      }

      @Override
      public String revision() {
        return sha;
      }

      @Override
      public void close() {
        snapshot.close();
      }
    };
  }

  private GitCredentials credentials(RepoCredentials c, String url) {
    if (c.bearerToken().isPresent()) {
      throw new GitException(
          url, c.source() + ": bearerToken is not supported for Git repositories by Glidepath");
    }
    if (c.tlsClientCertData().isPresent()) {
      throw new GitException(
          url,
          c.source()
              + ": TLS client certificates are not supported for Git repositories by Glidepath");
    }
    if (c.sshPrivateKey().isPresent()) {
      try {
        return new GitCredentials.SshKey(
            c.sshPrivateKey().get(), Optional.empty(), credentials.sshKnownHosts(), c.insecure());
      } catch (IllegalArgumentException e) {
        throw new GitException(
            url,
            c.source()
                + ": sshPrivateKey cannot be used: "
                + e.getMessage()
                + " (known hosts come from argocd-ssh-known-hosts-cm; insecure: \"true\" skips"
                + " the check)");
      }
    }
    if (c.insecure() && url.regionMatches(true, 0, "https://", 0, 8)) {
      throw new GitException(
          url,
          c.source()
              + ": insecure (no TLS verification) is not supported for Git repositories by"
              + " Glidepath");
    }
    if (c.password().isPresent()) {
      return GitCredentials.httpsToken(c.username().orElse("x-access-token"), c.password().get());
    }
    return GitCredentials.none();
  }

  @Override
  public String toString() {
    return "RepoCheckouts[" + cache.directory() + ", " + credentials + "]";
  }
}

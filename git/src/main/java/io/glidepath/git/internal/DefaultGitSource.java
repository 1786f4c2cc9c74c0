package io.glidepath.git.internal;

import io.glidepath.git.ChangedPaths;
import io.glidepath.git.CommitId;
import io.glidepath.git.FetchResult;
import io.glidepath.git.GitException;
import io.glidepath.git.GitRemote;
import io.glidepath.git.GitSource;
import io.glidepath.git.GitTransportException;
import io.glidepath.git.Snapshot;
import io.glidepath.git.UnknownRevisionException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** The {@link GitSource} of one remote over a shared {@link CachedRepository}. */
public final class DefaultGitSource implements GitSource {
  /** Where the remote's HEAD is recorded in the bare clone. */
  public static final String REMOTE_HEAD = "refs/glidepath/remote-HEAD";

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,40}");

  private final GitRemote remote;
  private final CachedRepository cached;
  private final SnapshotStore snapshots;
  private final Duration timeout;
  private final int shallowDepth;
  private final Path sshDir;
  private final Redactor redactor;

  DefaultGitSource(
      GitRemote remote,
      CachedRepository cached,
      SnapshotStore snapshots,
      Duration timeout,
      int shallowDepth,
      Path sshDir) {
    this.remote = remote;
    this.cached = cached;
    this.snapshots = snapshots;
    this.timeout = timeout;
    this.shallowDepth = shallowDepth;
    this.sshDir = sshDir;
    this.redactor = Redactor.of(remote.credentials());
  }

  /** The implementation behind a {@link GitSource}; refuses sources from elsewhere. */
  public static DefaultGitSource from(GitSource source) {
    if (source instanceof DefaultGitSource d) {
      return d;
    }
    throw new IllegalArgumentException(
        "source must come from a GitCache, but was " + source.getClass().getName());
  }

  @Override
  public GitRemote remote() {
    return remote;
  }

  public CachedRepository cached() {
    return cached;
  }

  public Repository repository() {
    return cached.repository();
  }

  public Redactor redactor() {
    return redactor;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Transports carrying this source's credentials; close after use. */
  public Transports transports() {
    return Transports.of(remote.credentials(), sshDir);
  }

  @Override
  public FetchResult fetch() {
    return fetch(timeout);
  }

  @Override
  public FetchResult fetch(Duration limit) {
    if (limit.getSeconds() < 1) {
      throw new IllegalArgumentException("timeout must be >= 1s, but was " + limit);
    }
    cached.lock().lock();
    try {
      return fetchLocked(limit);
    } finally {
      cached.lock().unlock();
    }
  }

  /** A fetch by a caller that holds {@link CachedRepository#lock()}. */
  public FetchResult fetchLocked() {
    return fetchLocked(timeout);
  }

  private FetchResult fetchLocked(Duration limit) {
    try {
      return fetchRefs(limit);
    } finally {
      // refs may have moved, even when the fetch failed half-way
      cached.refsChanged();
    }
  }

  private FetchResult fetchRefs(Duration limit) {
    boolean cloned = !cached.isCloned();
    // JGit's timeout bounds each network read; the monitor bounds the whole fetch (JGit asks it
    // between steps and while receiving objects)
    long deadline = System.nanoTime() + limit.toNanos();
    EmptyProgressMonitor monitor =
        new EmptyProgressMonitor() {
          @Override
          public boolean isCancelled() {
            return System.nanoTime() - deadline > 0;
          }
        };
    try (Transports transports = transports()) {
      FetchCommand fetch =
          Git.wrap(repository())
              .fetch()
              .setRemote(remote.url())
              .setRefSpecs(
                  new RefSpec("+refs/heads/*:refs/heads/*"),
                  new RefSpec("+refs/tags/*:refs/tags/*"))
              .setTagOpt(TagOpt.NO_TAGS)
              .setRemoveDeletedRefs(true)
              .setTimeout((int) Math.min(Integer.MAX_VALUE, limit.getSeconds()))
              .setProgressMonitor(monitor);
      if (shallowDepth > 0) {
        fetch.setDepth(shallowDepth);
      }
      transports.apply(fetch);
      org.eclipse.jgit.transport.FetchResult result = fetch.call();
      Map<String, String> updated = new LinkedHashMap<>();
      for (TrackingRefUpdate u : result.getTrackingRefUpdates()) {
        if (!u.getNewObjectId().equals(ObjectId.zeroId())) {
          updated.put(u.getLocalName(), u.getNewObjectId().name());
        }
      }
      recordRemoteHead(result.getAdvertisedRef(Constants.HEAD), updated);
      return new FetchResult(remote.url(), cloned, updated);
    } catch (TransportException | InvalidRemoteException e) {
      if (monitor.isCancelled()) {
        throw new GitTransportException(
            remote.url(),
            "fetch",
            "did not finish within " + limit.getSeconds() + "s",
            redactor.redact(e));
      }
      throw new GitTransportException(
          remote.url(), "fetch", redactor.describe(e), redactor.redact(e));
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof GitException g) {
        throw g;
      }
      if (monitor.isCancelled()) {
        throw new GitTransportException(
            remote.url(),
            "fetch",
            "did not finish within " + limit.getSeconds() + "s",
            redactor.redact(e));
      }
      throw new GitException(
          remote.url(),
          "fetch of " + remote.url() + " failed: " + redactor.describe(e),
          redactor.redact(e));
    }
  }

  private void recordRemoteHead(Ref advertised, Map<String, String> updated) throws IOException {
    if (advertised == null || advertised.getObjectId() == null) {
      return;
    }
    ObjectId id = advertised.getObjectId();
    Ref current = repository().exactRef(REMOTE_HEAD);
    if (current != null && id.equals(current.getObjectId())) {
      return;
    }
    RefUpdate u = repository().updateRef(REMOTE_HEAD);
    u.setNewObjectId(id);
    u.setForceUpdate(true);
    RefUpdate.Result r = u.update();
    if (r == RefUpdate.Result.LOCK_FAILURE || r == RefUpdate.Result.IO_FAILURE) {
      throw new IOException("cannot record the remote HEAD: " + r);
    }
    updated.put(Constants.HEAD, id.name());
  }

  @Override
  public CommitId resolve(String revision) {
    if (revision == null || revision.isBlank()) {
      throw new IllegalArgumentException("revision must not be blank, but was '" + revision + "'");
    }
    String rev = revision.strip();
    // the refs are read from disk only when they may have moved since the last resolve
    long version = cached.refsVersion();
    String known = cached.resolved(rev, version);
    if (known != null) {
      return CommitId.of(known);
    }
    CommitId commit = resolveFromRefs(rev, revision);
    cached.remember(rev, version, commit.sha());
    return commit;
  }

  /** Called after a write to this clone's refs other than a fetch (a push's local branch). */
  void refsChanged() {
    cached.refsChanged();
  }

  private CommitId resolveFromRefs(String rev, String revision) {
    Repository repo = repository();
    try (RevWalk walk = new RevWalk(repo)) {
      for (String name : candidates(rev)) {
        Ref ref = repo.exactRef(name);
        if (ref != null && ref.getObjectId() != null) {
          return toCommit(walk, ref.getObjectId(), revision);
        }
      }
      if (HEX.matcher(rev).matches()) {
        String hex = rev.toLowerCase(Locale.ROOT);
        if (hex.length() == Constants.OBJECT_ID_STRING_LENGTH) {
          return toCommit(walk, ObjectId.fromString(hex), revision);
        }
        try (ObjectReader reader = repo.newObjectReader()) {
          Collection<ObjectId> matches = reader.resolve(AbbreviatedObjectId.fromString(hex));
          List<ObjectId> commits = matches.stream().filter(id -> isCommitish(walk, id)).toList();
          if (commits.size() > 1) {
            throw new UnknownRevisionException(
                remote.url(), revision, "is ambiguous (" + commits.size() + " commits match)");
          }
          if (commits.size() == 1) {
            return toCommit(walk, commits.get(0), revision);
          }
        }
      }
    } catch (IOException e) {
      throw new GitException(
          remote.url(), "cannot read " + remote.url() + ": " + redactor.describe(e), e);
    }
    throw new UnknownRevisionException(
        remote.url(),
        revision,
        cached.isCloned() ? "names no branch, tag or commit" : "cannot be found: not fetched yet");
  }

  private static List<String> candidates(String rev) {
    if (rev.equals(Constants.HEAD)) {
      return List.of(REMOTE_HEAD);
    }
    if (rev.startsWith("refs/")) {
      return List.of(rev);
    }
    return List.of(Constants.R_HEADS + rev, Constants.R_TAGS + rev);
  }

  private boolean isCommitish(RevWalk walk, ObjectId id) {
    try {
      RevObject o = walk.peel(walk.parseAny(id));
      return o instanceof RevCommit;
    } catch (IOException e) {
      return false;
    }
  }

  private CommitId toCommit(RevWalk walk, ObjectId id, String revision) throws IOException {
    try {
      RevObject o = walk.peel(walk.parseAny(id));
      if (o instanceof RevCommit c) {
        return CommitId.of(c.name());
      }
      throw new UnknownRevisionException(
          remote.url(),
          revision,
          "names a " + Constants.typeString(o.getType()) + ", not a commit");
    } catch (MissingObjectException e) {
      throw new UnknownRevisionException(remote.url(), revision, "is not in the fetched history");
    }
  }

  /** The parsed commit, or an {@link UnknownRevisionException}. */
  public RevCommit parseCommit(RevWalk walk, CommitId commit) {
    try {
      return walk.parseCommit(ObjectId.fromString(commit.sha()));
    } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
      throw new UnknownRevisionException(
          remote.url(), commit.sha(), "is not a commit in the fetched history");
    } catch (IOException e) {
      throw new GitException(remote.url(), "cannot read commit " + commit + ": " + e, e);
    }
  }

  @Override
  public Snapshot snapshot(CommitId commit) {
    Repository repo = repository();
    RevCommit rev;
    try (RevWalk walk = new RevWalk(repo)) {
      rev = parseCommit(walk, commit);
    }
    try {
      return snapshots.acquire(
          cached.key(), commit, target -> TreeCheckout.write(repo, rev, target));
    } catch (IOException e) {
      throw snapshotFailed(commit, e);
    }
  }

  @Override
  public Snapshot snapshot(CommitId commit, Collection<String> paths) {
    Set<String> wanted = new TreeSet<>();
    for (String p : paths) {
      String clean = p.replace('\\', '/');
      while (clean.endsWith("/")) {
        clean = clean.substring(0, clean.length() - 1);
      }
      if (clean.isEmpty() || clean.equals(".") || clean.startsWith("/")) {
        return snapshot(commit); // the root: the whole tree
      }
      wanted.add(clean);
    }
    if (wanted.isEmpty()) {
      return snapshot(commit);
    }
    Repository repo = repository();
    RevCommit rev;
    try (RevWalk walk = new RevWalk(repo)) {
      rev = parseCommit(walk, commit);
    }
    try {
      if (hasLinks(repo, rev)) {
        return snapshot(commit); // links are judged over the whole tree
      }
      return snapshots.acquire(
          cached.key(),
          commit,
          partialName(wanted),
          target -> TreeCheckout.write(repo, rev, target, wanted));
    } catch (IOException e) {
      throw snapshotFailed(commit, e);
    }
  }

  private GitException snapshotFailed(CommitId commit, IOException e) {
    return new GitException(
        remote.url(),
        "cannot write the snapshot of "
            + commit.abbreviated()
            + " of "
            + remote.url()
            + ": "
            + redactor.describe(e),
        e);
  }

  // whether a commit's tree holds a symbolic link, for the last commits asked about
  private final Map<String, Boolean> linksByCommit =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 64;
            }
          });

  private boolean hasLinks(Repository repo, RevCommit rev) throws IOException {
    Boolean known = linksByCommit.get(rev.name());
    if (known != null) {
      return known;
    }
    boolean links = TreeCheckout.hasLinks(repo, rev);
    linksByCommit.put(rev.name(), links);
    return links;
  }

  /** A directory name for a partial tree: a digest of its sorted paths. */
  private static String partialName(Set<String> paths) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String p : paths) {
        sha.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return "p" + java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public ChangedPaths changedPaths(CommitId from, CommitId to) {
    Repository repo = repository();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tw = new TreeWalk(repo)) {
      RevCommit a = parseCommit(walk, from);
      RevCommit b = parseCommit(walk, to);
      tw.addTree(a.getTree());
      tw.addTree(b.getTree());
      tw.setRecursive(true);
      tw.setFilter(TreeFilter.ANY_DIFF);
      Set<String> paths = new TreeSet<>();
      while (tw.next()) {
        paths.add(tw.getPathString());
      }
      return new ChangedPaths(from, to, paths);
    } catch (IOException e) {
      throw new GitException(remote.url(), "cannot diff " + from + ".." + to + ": " + e, e);
    }
  }

  @Override
  public boolean isAncestor(CommitId ancestor, CommitId descendant) {
    try (RevWalk walk = new RevWalk(repository())) {
      RevCommit a = parseCommit(walk, ancestor);
      RevCommit d = parseCommit(walk, descendant);
      return walk.isMergedInto(a, d);
    } catch (IOException e) {
      throw new GitException(remote.url(), "cannot walk history: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "GitSource[" + remote + "]";
  }
}

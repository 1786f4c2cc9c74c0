package io.glidepath.git.internal;

import io.glidepath.git.CommitId;
import io.glidepath.git.GitException;
import io.glidepath.git.GitTransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Commits made straight in the bare clone's object database (no working tree, no index file) and
 * pushed without force.
 */
public final class CommitPlumbing {
  private final DefaultGitSource source;

  public CommitPlumbing(DefaultGitSource source) {
    this.source = source;
  }

  /** The head of {@code branch} in the clone, if the branch exists. */
  public Optional<CommitId> branchHead(String branch) {
    try {
      Ref ref = source.repository().exactRef(Constants.R_HEADS + branch);
      return ref == null || ref.getObjectId() == null
          ? Optional.empty()
          : Optional.of(CommitId.of(ref.getObjectId().name()));
    } catch (IOException e) {
      throw new GitException(source.remote().url(), "cannot read branch " + branch + ": " + e, e);
    }
  }

  /** The UTF-8 text of {@code file} at {@code commit}, if it is a regular file there. */
  public Optional<String> readFile(CommitId commit, String file) {
    Repository repo = source.repository();
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = source.parseCommit(walk, commit);
      try (TreeWalk tw = TreeWalk.forPath(repo, file, c.getTree())) {
        if (tw == null
            || (tw.getFileMode(0) != FileMode.REGULAR_FILE
                && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE)) {
          return Optional.empty();
        }
        byte[] bytes = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new GitException(source.remote().url(), "cannot read " + file + ": " + e, e);
    }
  }

  /** A new commit on {@code parent} whose files are replaced by {@code contents}. */
  public CommitId commit(
      CommitId parent,
      Map<String, String> contents,
      PersonIdent author,
      PersonIdent committer,
      String message) {
    Repository repo = source.repository();
    try (RevWalk walk = new RevWalk(repo);
        ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      RevCommit base = source.parseCommit(walk, parent);
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, String> e : contents.entrySet()) {
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, e.getValue().getBytes(StandardCharsets.UTF_8));
        DirCacheEntry existing = index.getEntry(e.getKey());
        FileMode mode = existing == null ? FileMode.REGULAR_FILE : existing.getFileMode();
        editor.add(
            new DirCacheEditor.PathEdit(e.getKey()) {
              @Override
              public void apply(DirCacheEntry ent) {
                ent.setFileMode(mode);
                ent.setObjectId(blob);
              }
            });
      }
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      CommitBuilder cb = new CommitBuilder();
      cb.setTreeId(tree);
      cb.setParentId(base);
      cb.setAuthor(author);
      cb.setCommitter(committer);
      cb.setMessage(message);
      ObjectId id = inserter.insert(cb);
      inserter.flush();
      return CommitId.of(id.name());
    } catch (IOException e) {
      throw new GitException(source.remote().url(), "cannot write the commit: " + e, e);
    }
  }

  /** The outcome of one push. */
  public record PushOutcome(boolean accepted, boolean raceLost, String reason) {}

  /** Pushes {@code commit} to {@code branch} without force. */
  public PushOutcome push(CommitId commit, String branch) {
    String url = source.remote().url();
    Redactor redactor = source.redactor();
    try (Transports transports = source.transports()) {
      PushCommand push =
          Git.wrap(source.repository())
              .push()
              .setRemote(url)
              .setForce(false)
              .setAtomic(false)
              .setRefSpecs(new RefSpec(commit.sha() + ":" + Constants.R_HEADS + branch))
              .setTimeout((int) Math.min(Integer.MAX_VALUE, source.timeout().getSeconds()));
      transports.apply(push);
      List<String> problems = new ArrayList<>();
      boolean raceLost = false;
      for (PushResult result : push.call()) {
        for (RemoteRefUpdate u : result.getRemoteUpdates()) {
          switch (u.getStatus()) {
            case OK, UP_TO_DATE -> {}
            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
              raceLost = true;
              problems.add(u.getStatus().name());
            }
            case REJECTED_OTHER_REASON -> {
              String msg = String.valueOf(u.getMessage());
              if (isRaceMessage(msg)) {
                raceLost = true;
              }
              problems.add("REJECTED_OTHER_REASON: " + redactor.redact(msg));
            }
            default ->
                problems.add(
                    u.getStatus().name()
                        + (u.getMessage() == null ? "" : ": " + redactor.redact(u.getMessage())));
          }
        }
      }
      if (problems.isEmpty()) {
        moveLocalBranch(branch, commit);
        return new PushOutcome(true, false, "");
      }
      return new PushOutcome(false, raceLost, String.join("; ", problems));
    } catch (TransportException e) {
      throw new GitTransportException(url, "push", redactor.describe(e), redactor.redact(e));
    } catch (GitAPIException | RuntimeException e) {
      if (e instanceof GitException g) {
        throw g;
      }
      throw new GitException(
          url, "push to " + url + " failed: " + redactor.describe(e), redactor.redact(e));
    }
  }

  /**
   * Whether a server's refusal says another push got there first: its own non-fast-forward check
   * ({@code receive.denyNonFastForwards}), or losing the ref lock to a concurrent push.
   */
  static boolean isRaceMessage(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("non-fast-forward")
        || m.contains("fast forward")
        || m.contains("fetch first")
        || m.contains("failed to update ref")
        || m.contains("cannot lock ref")
        || m.contains("failed to lock")
        || m.contains("stale info");
  }

  private void moveLocalBranch(String branch, CommitId commit) {
    try {
      RefUpdate u = source.repository().updateRef(Constants.R_HEADS + branch);
      u.setNewObjectId(ObjectId.fromString(commit.sha()));
      u.setForceUpdate(true);
      u.update();
    } catch (IOException e) {
      // the next fetch brings the ref anyway
    } finally {
      source.refsChanged();
    }
  }
}

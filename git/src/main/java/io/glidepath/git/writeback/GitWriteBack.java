package io.glidepath.git.writeback;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitException;
import io.glidepath.git.GitSource;
import io.glidepath.git.GitTransportException;
import io.glidepath.git.internal.CommitPlumbing;
import io.glidepath.git.internal.DefaultGitSource;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Writes values into YAML files of a Git branch and pushes the commit: the CI step that records a
 * new image tag in the GitOps repository.
 *
 * <pre>{@code
 * GitWriteBack writeBack = GitWriteBack.builder(cache.source(remote))
 *     .branch("main")
 *     .author("CI Bot", "ci-bot@example.com")
 *     .messageTemplate("chore: update trade-service image to {value}")
 *     .build();
 * WriteBackResult r = writeBack.set("apps/trade-service/values.yaml", "image.tag", sha);
 * }</pre>
 *
 * <p>Each attempt fetches the branch, edits the files with {@link SurgicalYaml} (only the values'
 * characters change), commits on the fetched head and pushes without force. When the value is
 * already set nothing is committed ({@link WriteBackResult.Unchanged}). When another writer pushed
 * first (a non-fast-forward rejection, which JGit reports as a status), the next attempt fetches
 * the new head and applies the edit again, after an exponential, randomised backoff (Resilience4j
 * {@link Retry}, waits on the injected scheduler); so racing writers all land and no update is
 * lost. Transport failures are retried the same way. An invalid YAML file or an unsupported path
 * fails at once with {@link YamlEditException} and nothing is pushed. It never force-pushes.
 *
 * <p>Placeholders in the message template: {@code {value}}, {@code {path}}, {@code {file}} (of the
 * first change). Defaults: branch {@value #DEFAULT_BRANCH}, {@value #DEFAULT_MAX_ATTEMPTS}
 * attempts, backoff from {@link #DEFAULT_INITIAL_BACKOFF} doubling up to {@link
 * #DEFAULT_MAX_BACKOFF}, author {@code Glidepath <glidepath@localhost>}, the system clock for
 * commit times.
 *
 * <p>Thread-safe; attempts on one cached clone are serialised.
 */
public final class GitWriteBack {
  public static final String DEFAULT_BRANCH = "main";
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final String DEFAULT_MESSAGE_TEMPLATE = "chore: set {path} in {file} to {value}";

  private static final ScheduledExecutorService SHARED_SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "glidepath-git-write-back");
            t.setDaemon(true);
            return t;
          });

  private final DefaultGitSource source;
  private final CommitPlumbing plumbing;
  private final String branch;
  private final String authorName;
  private final String authorEmail;
  private final String committerName;
  private final String committerEmail;
  private final String messageTemplate;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double randomization;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final WriteBackListener listener;

  private GitWriteBack(Builder b) {
    this.source = b.source;
    this.plumbing = new CommitPlumbing(b.source);
    this.branch = b.branch;
    this.authorName = b.authorName;
    this.authorEmail = b.authorEmail;
    this.committerName = b.committerName == null ? b.authorName : b.committerName;
    this.committerEmail = b.committerEmail == null ? b.authorEmail : b.committerEmail;
    this.messageTemplate = b.messageTemplate;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.randomization = b.randomization;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.listener = b.listener;
  }

  /**
   * A builder writing through {@code source} (a source from a {@link io.glidepath.git.GitCache}).
   */
  public static Builder builder(GitSource source) {
    return new Builder(DefaultGitSource.from(Objects.requireNonNull(source, "source")));
  }

  /** Sets one value in one file; see the class description. */
  public WriteBackResult set(String file, String path, String value) {
    return apply(List.of(new YamlChange(file, path, value)));
  }

  /** Sets several values, in one commit. */
  public WriteBackResult apply(List<YamlChange> changes) {
    List<YamlChange> all = List.copyOf(changes);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("changes must not be empty");
    }
    RetryConfig config =
        RetryConfig.<Attempt>custom()
            .maxAttempts(maxAttempts)
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(
                    initialBackoff, 2.0, randomization, maxBackoff))
            .retryOnResult(a -> a.rejected() && a.raceLost())
            .retryOnException(e -> unwrap(e) instanceof GitTransportException)
            .failAfterMaxAttempts(false)
            .build();
    Retry retry = Retry.of("git-write-back", config);
    int[] attempt = {0};
    CompletableFuture<Attempt> done =
        retry
            .executeCompletionStage(
                scheduler,
                () -> {
                  attempt[0]++;
                  try {
                    return CompletableFuture.completedFuture(attemptOnce(all, attempt[0]));
                  } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                  }
                })
            .toCompletableFuture();
    Attempt last;
    try {
      last = done.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new GitException(source.remote().url(), "write-back failed: " + cause, cause);
    }
    if (last.rejected()) {
      throw new PushRejectedException(source.remote().url(), branch, attempt[0], last.reason());
    }
    return last.result();
  }

  private Attempt attemptOnce(List<YamlChange> changes, int attempt) {
    source.cached().lock().lock();
    try {
      source.fetchLocked();
      CommitId head =
          plumbing
              .branchHead(branch)
              .orElseThrow(
                  () ->
                      new GitException(
                          source.remote().url(),
                          "branch " + branch + " does not exist in " + source.remote().url()));
      Map<String, String> contents = new LinkedHashMap<>();
      List<YamlChange> applied = new ArrayList<>();
      for (YamlChange change : changes) {
        String text =
            contents.containsKey(change.file())
                ? contents.get(change.file())
                : plumbing
                    .readFile(head, change.file())
                    .orElseThrow(
                        () ->
                            new GitException(
                                source.remote().url(),
                                change.file()
                                    + " is not a file on "
                                    + branch
                                    + " of "
                                    + source.remote().url()));
        YamlEditResult edit = SurgicalYaml.set(text, change.file(), change.path(), change.value());
        if (edit.changed()) {
          contents.put(change.file(), edit.text());
          applied.add(change);
        }
      }
      if (applied.isEmpty()) {
        return Attempt.done(new WriteBackResult.Unchanged(head));
      }
      var now = clock.instant();
      PersonIdent author = new PersonIdent(authorName, authorEmail, now, ZoneOffset.UTC);
      PersonIdent committer = new PersonIdent(committerName, committerEmail, now, ZoneOffset.UTC);
      CommitId commit = plumbing.commit(head, contents, author, committer, message(applied));
      listener.beforePush(attempt, head, commit);
      CommitPlumbing.PushOutcome pushed = plumbing.push(commit, branch);
      if (pushed.accepted()) {
        return Attempt.done(new WriteBackResult.Committed(commit, head, attempt, applied));
      }
      listener.onRejected(attempt, pushed.reason());
      return Attempt.rejected(pushed.raceLost(), pushed.reason());
    } finally {
      source.cached().lock().unlock();
    }
  }

  private String message(List<YamlChange> applied) {
    YamlChange first = applied.get(0);
    return messageTemplate
        .replace("{value}", first.value())
        .replace("{path}", first.path())
        .replace("{file}", first.file());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private record Attempt(
      WriteBackResult result, boolean rejected, boolean raceLost, String reason) {
    static Attempt done(WriteBackResult result) {
      return new Attempt(result, false, false, "");
    }

    static Attempt rejected(boolean raceLost, String reason) {
      return new Attempt(null, true, raceLost, reason);
    }
  }

  @Override
  public String toString() {
    return "GitWriteBack[" + source.remote() + ", branch=" + branch + "]";
  }

  /** Settings of a {@link GitWriteBack}. Not thread-safe. */
  public static final class Builder {
    private final DefaultGitSource source;
    private String branch = DEFAULT_BRANCH;
    private String authorName = "Glidepath";
    private String authorEmail = "glidepath@localhost";
    private String committerName;
    private String committerEmail;
    private String messageTemplate = DEFAULT_MESSAGE_TEMPLATE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double randomization = 0.5;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler = SHARED_SCHEDULER;
    private WriteBackListener listener = WriteBackListener.NONE;

    private Builder(DefaultGitSource source) {
      this.source = source;
    }

    /** The branch to commit on and push to. */
    public Builder branch(String branch) {
      Objects.requireNonNull(branch, "branch");
      if (branch.isBlank() || branch.startsWith("refs/") || branch.contains("..")) {
        throw new IllegalArgumentException(
            "branch must be a short branch name like main, but was '" + branch + "'");
      }
      this.branch = branch;
      return this;
    }

    /** The commit author (and committer, unless {@link #committer} is set). */
    public Builder author(String name, String email) {
      this.authorName = requireText("author name", name);
      this.authorEmail = requireText("author email", email);
      return this;
    }

    /** The committer, when it differs from the author. */
    public Builder committer(String name, String email) {
      this.committerName = requireText("committer name", name);
      this.committerEmail = requireText("committer email", email);
      return this;
    }

    /** The commit message; {@code {value}}, {@code {path}}, {@code {file}} are replaced. */
    public Builder messageTemplate(String template) {
      this.messageTemplate = requireText("messageTemplate", template);
      return this;
    }

    /** How many push attempts in total, at least 1. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before the second attempt (doubling each time, up to {@code max}), randomised by
     * ±{@code randomization} (0 to 1) so that racing writers spread out.
     */
    public Builder backoff(Duration initial, Duration max, double randomization) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.toMillis() < 1) {
        throw new IllegalArgumentException("initial backoff must be >= 1ms, but was " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff must be >= initial " + initial + ", but was " + max);
      }
      if (!(randomization >= 0 && randomization < 1)) {
        throw new IllegalArgumentException(
            "randomization must be in [0, 1), but was " + randomization);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      this.randomization = randomization;
      return this;
    }

    /** The clock for commit times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where backoff waits run (a shared daemon thread by default). */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder listener(WriteBackListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public GitWriteBack build() {
      return new GitWriteBack(this);
    }

    private static String requireText(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}

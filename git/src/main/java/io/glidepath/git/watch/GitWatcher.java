package io.glidepath.git.watch;

import io.glidepath.core.Redaction;
import io.glidepath.git.ChangedPaths;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitException;
import io.glidepath.git.GitSource;
import io.glidepath.git.UnknownRevisionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one revision of a repository: polls at an interval (with jitter, so that many watchers do
 * not fetch in step), and on {@link #refresh()} (for a webhook), and tells listeners when the
 * revision names another commit.
 *
 * <pre>{@code
 * GitWatcher watcher = GitWatcher.builder(source, "main")
 *     .interval(Duration.ofMinutes(3))
 *     .scheduler(PollScheduler.of(executor))
 *     .listener(change -> ...)
 *     .build();
 * watcher.start();
 * // in the webhook handler:
 * watcher.refresh();
 * }</pre>
 *
 * <p>A failed poll (remote down, revision gone) keeps the last good commit and retries after an
 * exponential backoff (initial error backoff doubling up to the maximum, plus jitter); the first
 * success returns to the normal interval. A commit that does not descend from the previous one is
 * reported as {@link ChangeKind#FORCE_PUSH}.
 *
 * <p>More revisions of the same repository can be watched by the same polls with {@link
 * #watchAlso(String)} (each poll fetches once and resolves every watched revision); their changes
 * reach the listeners as {@link GitChange}s naming them in {@link GitChange#revision()}, so a
 * listener that needs one revision filters by it. {@link #lastGoodCommit()} and the poll's outcome
 * are about the revision the watcher was built with.
 *
 * <p>Defaults: interval {@link #DEFAULT_INTERVAL} (Argo CD's), jitter {@value #DEFAULT_JITTER} of
 * the delay, error backoff from {@link #DEFAULT_INITIAL_ERROR_BACKOFF} up to {@link
 * #DEFAULT_MAX_ERROR_BACKOFF}. Thread-safe; polls never overlap.
 */
public final class GitWatcher implements AutoCloseable {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(3);
  public static final double DEFAULT_JITTER = 0.1;
  public static final Duration DEFAULT_INITIAL_ERROR_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_ERROR_BACKOFF = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(GitWatcher.class);

  private final GitSource source;
  private final String revision;
  private final Duration interval;
  private final double jitter;
  private final Duration initialErrorBackoff;
  private final Duration maxErrorBackoff;
  private final PollScheduler scheduler;
  private final Clock clock;
  private final RandomGenerator random;
  private final List<GitListener> listeners;
  // revisions added by watchAlso: how many callers asked for each, and the commit last seen
  private final Map<String, Integer> extraUsers = new HashMap<>();
  private final Map<String, CommitId> extraSeen = new ConcurrentHashMap<>();

  private final Object pollLock = new Object();
  private final Object scheduleLock = new Object();
  private volatile CommitId lastGood;
  private volatile int failures;
  private Instant failingSince;
  private PollScheduler.Cancellable pending;
  private boolean started;
  private boolean closed;

  private GitWatcher(Builder b) {
    this.source = b.source;
    this.revision = b.revision;
    this.interval = b.interval;
    this.jitter = b.jitter;
    this.initialErrorBackoff = b.initialErrorBackoff;
    this.maxErrorBackoff = b.maxErrorBackoff;
    this.scheduler = b.scheduler;
    this.clock = b.clock;
    this.random = b.random;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
  }

  /** A builder watching {@code revision} (branch, tag, {@code HEAD}) of {@code source}. */
  public static Builder builder(GitSource source, String revision) {
    return new Builder(source, revision);
  }

  /** The repository this watcher polls. */
  public GitSource source() {
    return source;
  }

  /** Schedules the first poll at once; later polls follow by themselves. Idempotent. */
  public void start() {
    synchronized (scheduleLock) {
      if (closed) {
        throw new IllegalStateException("GitWatcher for " + revision + " is closed");
      }
      if (!started) {
        started = true;
        scheduleLocked(Duration.ZERO);
      }
    }
  }

  /**
   * Asks for a poll now (a webhook said the repository changed): the pending poll is replaced by
   * one scheduled without delay. Returns at once.
   */
  public void refresh() {
    synchronized (scheduleLock) {
      if (!closed) {
        started = true;
        scheduleLocked(Duration.ZERO);
      }
    }
  }

  /**
   * Also watches {@code revision} (branch, tag, {@code HEAD}) of the same repository, from the next
   * poll on, which is asked for at once (as {@link #refresh()} does). Its first resolution is
   * reported as {@link ChangeKind#INITIAL}, later moves as for the watcher's own revision. Calls
   * are counted: each must be matched by one {@link #unwatch(String)}, so that several users of one
   * watcher can each follow the revision they need. A poll that cannot resolve an added revision (a
   * branch not pushed yet, or deleted) keeps its last commit, logs, and does not count as a failed
   * poll. The revision the watcher was built with is always watched; asking for it again does
   * nothing.
   */
  public void watchAlso(String revision) {
    Objects.requireNonNull(revision, "revision");
    if (revision.isBlank()) {
      throw new IllegalArgumentException("revision must not be blank");
    }
    if (revision.equals(this.revision)) {
      return;
    }
    synchronized (scheduleLock) {
      extraUsers.merge(revision, 1, Integer::sum);
      if (started && !closed) {
        scheduleLocked(Duration.ZERO);
      }
    }
  }

  /**
   * Undoes one {@link #watchAlso(String)}: once every call for {@code revision} is undone, polls no
   * longer resolve it. Does nothing for a revision not added (the watcher's own included).
   */
  public void unwatch(String revision) {
    Objects.requireNonNull(revision, "revision");
    synchronized (scheduleLock) {
      Integer left = extraUsers.computeIfPresent(revision, (r, n) -> n > 1 ? n - 1 : null);
      if (left == null) {
        extraSeen.remove(revision);
      }
    }
  }

  /** The revisions polls resolve: the watcher's own first, then those added, in name order. */
  public List<String> revisions() {
    List<String> all = new ArrayList<>();
    all.add(revision);
    synchronized (scheduleLock) {
      all.addAll(new TreeSet<>(extraUsers.keySet()));
    }
    return List.copyOf(all);
  }

  /** Adds a listener. */
  public void addListener(GitListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The commit of the last successful poll. */
  public Optional<CommitId> lastGoodCommit() {
    return Optional.ofNullable(lastGood);
  }

  /** How many polls in a row have failed (0 when the last one succeeded). */
  public int consecutiveFailures() {
    return failures;
  }

  /**
   * Polls now on the calling thread (waiting for a running poll to end), notifies listeners, and
   * schedules the next poll when the watcher has been started.
   */
  public PollOutcome poll() {
    synchronized (pollLock) {
      Optional<GitChange> change = Optional.empty();
      Optional<GitException> error = Optional.empty();
      Duration next;
      try {
        source.fetch();
        CommitId current = source.resolve(revision);
        change = changeTo(current);
        lastGood = current;
        if (failures > 0) {
          Duration downFor = Duration.between(failingSince, clock.instant());
          failures = 0;
          failingSince = null;
          notifyListeners(l -> l.onRecovered(downFor));
        }
        next = withJitter(interval);
      } catch (GitException e) {
        error = Optional.of(e);
        if (failures == 0) {
          failingSince = clock.instant();
        }
        failures++;
        next = withJitter(backoff(failures));
        int count = failures;
        Duration retryIn = next;
        LOG.warn(
            "poll of {} {} failed ({} in a row), retrying in {}: {}",
            source.remote().url(),
            revision,
            count,
            retryIn,
            e.getMessage());
        notifyListeners(l -> l.onError(e, count, retryIn));
      }
      change.ifPresent(c -> notifyListeners(l -> l.onChange(c)));
      if (error.isEmpty()) {
        pollAdded().forEach(c -> notifyListeners(l -> l.onChange(c)));
      }
      Optional<Duration> scheduled;
      synchronized (scheduleLock) {
        scheduled = closed || !started ? Optional.empty() : Optional.of(next);
        if (scheduled.isPresent()) {
          scheduleLocked(next);
        }
      }
      return new PollOutcome(change, error, Optional.ofNullable(lastGood), scheduled);
    }
  }

  /** Resolves the revisions added by {@link #watchAlso} in the clone the poll just fetched. */
  private List<GitChange> pollAdded() {
    List<String> added;
    synchronized (scheduleLock) {
      added = new ArrayList<>(new TreeSet<>(extraUsers.keySet()));
    }
    List<GitChange> changes = new ArrayList<>();
    for (String r : added) {
      try {
        CommitId current = source.resolve(r);
        changeTo(r, extraSeen.get(r), current).ifPresent(changes::add);
        synchronized (scheduleLock) {
          if (extraUsers.containsKey(r)) {
            extraSeen.put(r, current);
          }
        }
      } catch (GitException e) {
        LOG.warn(
            "poll of {} {} could not resolve it: {}", source.remote().url(), r, e.getMessage());
      }
    }
    return changes;
  }

  private Optional<GitChange> changeTo(CommitId current) {
    return changeTo(revision, lastGood, current);
  }

  private Optional<GitChange> changeTo(String revision, CommitId previous, CommitId current) {
    if (previous == null) {
      return Optional.of(
          new GitChange(revision, Optional.empty(), current, ChangeKind.INITIAL, Optional.empty()));
    }
    if (previous.equals(current)) {
      return Optional.empty();
    }
    ChangeKind kind;
    Optional<ChangedPaths> paths;
    try {
      kind = source.isAncestor(previous, current) ? ChangeKind.FAST_FORWARD : ChangeKind.FORCE_PUSH;
      paths = Optional.of(source.changedPaths(previous, current));
    } catch (UnknownRevisionException gone) {
      // the previous commit was pruned with the rewritten branch: history was rewritten
      kind = ChangeKind.FORCE_PUSH;
      paths = Optional.empty();
    }
    return Optional.of(new GitChange(revision, Optional.of(previous), current, kind, paths));
  }

  private Duration backoff(int failures) {
    long base = initialErrorBackoff.toMillis();
    int shift = Math.min(failures - 1, 30);
    long millis = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    return Duration.ofMillis(Math.min(millis, maxErrorBackoff.toMillis()));
  }

  private Duration withJitter(Duration delay) {
    if (jitter == 0) {
      return delay;
    }
    long extra = (long) (delay.toMillis() * jitter * random.nextDouble());
    return delay.plusMillis(extra);
  }

  private void scheduleLocked(Duration delay) {
    if (pending != null) {
      pending.cancel();
    }
    pending = scheduler.schedule(delay, this::scheduledPoll);
  }

  private void scheduledPoll() {
    try {
      poll();
    } catch (RuntimeException e) {
      // a bug must not stop the watcher: log it and keep polling at the error backoff
      LOG.error(
          "unexpected failure polling {} {}", Redaction.url(source.remote().url()), revision, e);
      synchronized (scheduleLock) {
        if (!closed) {
          scheduleLocked(withJitter(backoff(Math.max(1, failures))));
        }
      }
    }
  }

  private void notifyListeners(java.util.function.Consumer<GitListener> call) {
    for (GitListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("GitListener {} threw; ignored", l, e);
      }
    }
  }

  /** Cancels the pending poll; no poll is scheduled afterwards. */
  @Override
  public void close() {
    synchronized (scheduleLock) {
      closed = true;
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
    }
  }

  @Override
  public String toString() {
    return "GitWatcher[" + source.remote() + " " + revision + ", lastGood=" + lastGood + "]";
  }

  /** Settings of a {@link GitWatcher}. Not thread-safe. */
  public static final class Builder {
    private final GitSource source;
    private final String revision;
    private Duration interval = DEFAULT_INTERVAL;
    private double jitter = DEFAULT_JITTER;
    private Duration initialErrorBackoff = DEFAULT_INITIAL_ERROR_BACKOFF;
    private Duration maxErrorBackoff = DEFAULT_MAX_ERROR_BACKOFF;
    private PollScheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = RandomGenerator.getDefault();
    private final List<GitListener> listeners = new java.util.ArrayList<>();

    private Builder(GitSource source, String revision) {
      this.source = Objects.requireNonNull(source, "source");
      Objects.requireNonNull(revision, "revision");
      if (revision.isBlank()) {
        throw new IllegalArgumentException("revision must not be blank");
      }
      this.revision = revision;
    }

    /** The time between polls, at least 1 s. */
    public Builder interval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("interval must be >= 1s, but was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** Up to this fraction (0 to 1) of each delay is added at random. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1], but was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /** The wait after the first failure (doubling per failure) and its maximum. */
    public Builder errorBackoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.toMillis() < 1) {
        throw new IllegalArgumentException(
            "initial error backoff must be >= 1ms, but was " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max error backoff must be >= initial " + initial + ", but was " + max);
      }
      this.initialErrorBackoff = initial;
      this.maxErrorBackoff = max;
      return this;
    }

    /** Where polls run; required. */
    public Builder scheduler(PollScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock for measuring outages. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Builder listener(GitListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public GitWatcher build() {
      if (scheduler == null) {
        throw new IllegalStateException(
            "scheduler must be set, e.g. PollScheduler.of(Executors.newSingleThreadScheduledExecutor())");
      }
      return new GitWatcher(this);
    }
  }
}

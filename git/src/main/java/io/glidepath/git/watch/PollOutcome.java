package io.glidepath.git.watch;

import io.glidepath.git.CommitId;
import io.glidepath.git.GitException;
import java.time.Duration;
import java.util.Optional;

/**
 * The result of one poll of a {@link GitWatcher}.
 *
 * @param change the change found, if the revision moved
 * @param error the failure, if the poll failed
 * @param lastGoodCommit the watcher's commit after the poll
 * @param nextPollIn when the next scheduled poll runs (empty once the watcher is closed)
 */
public record PollOutcome(
    Optional<GitChange> change,
    Optional<GitException> error,
    Optional<CommitId> lastGoodCommit,
    Optional<Duration> nextPollIn) {}

package io.glidepath.core.project;

import io.glidepath.core.internal.glob.Glob;
import io.glidepath.core.internal.project.Cron;
import io.glidepath.core.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A time window in which syncs are allowed or denied, as in Argo CD's {@code AppProject} {@code
 * spec.syncWindows}.
 *
 * <p>The window opens at each firing of {@code schedule} (cron, on {@code timeZone}'s wall clock)
 * and stays open for {@code duration}; it is active at {@code t} when the schedule fired strictly
 * between {@code t - duration} and {@code t}, which is Argo CD's rule. It applies to an app when
 * any of {@code applications}, {@code namespaces} or {@code clusters} (globs) matches.
 */
public final class SyncWindow {
  /** Whether a window allows or denies syncs. */
  public enum Kind {
    ALLOW,
    DENY
  }

  private final Kind kind;
  private final Cron schedule;
  private final String scheduleText;
  private final Duration duration;
  private final List<String> applications;
  private final List<String> namespaces;
  private final List<String> clusters;
  private final boolean manualSync;
  private final ZoneId timeZone;

  /**
   * A window.
   *
   * @throws IllegalArgumentException naming the field when the schedule, duration or time zone is
   *     invalid
   */
  public SyncWindow(
      Kind kind,
      String schedule,
      String duration,
      List<String> applications,
      List<String> namespaces,
      List<String> clusters,
      boolean manualSync,
      String timeZone) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.scheduleText = Objects.requireNonNull(schedule, "schedule");
    this.schedule = Cron.parse(schedule);
    this.duration = GoDuration.parse(Objects.requireNonNull(duration, "duration"));
    if (this.duration.isNegative() || this.duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, but was " + duration);
    }
    if (this.duration.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException("duration must be at most a year, but was " + duration);
    }
    this.applications = List.copyOf(applications);
    this.namespaces = List.copyOf(namespaces);
    this.clusters = List.copyOf(clusters);
    this.manualSync = manualSync;
    try {
      this.timeZone =
          timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("timeZone \"" + timeZone + "\" is not a known time zone");
    }
  }

  public Kind kind() {
    return kind;
  }

  public String schedule() {
    return scheduleText;
  }

  public Duration duration() {
    return duration;
  }

  public List<String> applications() {
    return applications;
  }

  public List<String> namespaces() {
    return namespaces;
  }

  public List<String> clusters() {
    return clusters;
  }

  /** Whether manual syncs may run while this window blocks. */
  public boolean manualSync() {
    return manualSync;
  }

  public ZoneId timeZone() {
    return timeZone;
  }

  /** Whether this window applies to the app {@code application} deploying to the destination. */
  public boolean appliesTo(String application, String namespace, String cluster) {
    return anyMatch(applications, application)
        || anyMatch(namespaces, namespace)
        || anyMatch(clusters, cluster);
  }

  private static boolean anyMatch(List<String> globs, String value) {
    return value != null && globs.stream().anyMatch(g -> Glob.of(g).matches(value));
  }

  /** When the window that is active at {@code at} opened; empty when it is not active. */
  public Optional<Instant> openedAt(Instant at) {
    Optional<Instant> first = schedule.firstBetween(at.minus(duration), at, timeZone);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    // a later firing inside the same window keeps it open longer
    Instant last = first.get();
    Optional<Instant> next;
    while ((next = schedule.firstBetween(last, at, timeZone)).isPresent()) {
      last = next.get();
    }
    return Optional.of(last);
  }

  public boolean isActive(Instant at) {
    return schedule.firstBetween(at.minus(duration), at, timeZone).isPresent();
  }

  /** When the window active at {@code at} closes; empty when it is not active. */
  public Optional<Instant> endsAt(Instant at) {
    return openedAt(at).map(opened -> opened.plus(duration));
  }

  /** The next time the window opens after {@code at}, looking up to a year ahead. */
  public Optional<Instant> nextOpening(Instant at) {
    return schedule.firstBetween(at, at.plus(Duration.ofDays(366)), timeZone);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT)
        + " window \""
        + scheduleText
        + "\" for "
        + GoDuration.format(duration)
        + " ("
        + timeZone
        + ")";
  }
}

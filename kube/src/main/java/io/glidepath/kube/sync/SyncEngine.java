package io.glidepath.kube.sync;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.Retry;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectViolationException;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.internal.DefaultSyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs a {@link SyncPlan} against a cluster: phase by phase (PreSync, Sync, PostSync; SyncFail only
 * after a failure), wave by wave, waiting for each wave's resources to be healthy before the next.
 * Applies go through {@link io.glidepath.kube.apply.Applier} with each step's sync options
 * (server-side apply unless {@code ServerSideApply=false}, {@code Replace}, {@code Force}, {@code
 * CreateNamespace}, {@code FailOnSharedResource}); prunes through {@link
 * io.glidepath.kube.apply.Pruner} with the step's propagation policy; hooks are created, waited
 * for, and deleted per their {@code hook-delete-policy}. A failed attempt is retried per the
 * application's {@link Retry}.
 *
 * <pre>{@code
 * SyncEngine engine = SyncEngine.builder(cluster).build();
 * SyncResult result = engine.sync("trade-service", plan, app.syncPolicy().retry());
 * }</pre>
 *
 * <p>Thread-safe; syncs of different apps may run at once.
 */
public interface SyncEngine {
  /** Runs {@code plan} for {@code app} once. */
  SyncResult sync(String app, SyncPlan plan);

  /**
   * The health checks that decide when a wave is done; an {@link
   * io.glidepath.kube.controller.ApplicationController} on this engine reports the app's health
   * with the same checks.
   */
  default HealthAssessor health() {
    return HealthAssessor.ofDefaults();
  }

  /** Runs {@code plan} for {@code app}, retrying a failed attempt per {@code retry}. */
  SyncResult sync(String app, SyncPlan plan, Retry retry);

  /**
   * Checks {@code plan} against {@code app}'s project with {@code guard}, then runs it with the
   * app's retry policy. Nothing is sent to the cluster, not even a dry run, when the project
   * refuses.
   *
   * @param manual whether a person asked for this sync (deny windows with {@code manualSync: true}
   *     let it run)
   * @throws ProjectViolationException naming every resource, rule and the project, before any write
   */
  default SyncResult sync(Application app, SyncPlan plan, ProjectGuard guard, boolean manual) {
    guard.checkSync(app, plan, manual).orThrow();
    return sync(
        app.name(), plan, app.syncPolicy().retry().orElse(new Retry(0, Retry.Backoff.DEFAULT)));
  }

  /** A builder with the defaults. */
  static Builder builder(KubeCluster cluster) {
    return new Builder(cluster);
  }

  /**
   * Settings of a {@link SyncEngine}. Defaults: {@link HealthAssessor#ofDefaults()}, the system
   * clock and sleeper, health polled every {@value #DEFAULT_POLL_MILLIS} ms, a wave (or hook) given
   * {@value #DEFAULT_WAVE_TIMEOUT_SECONDS} s to become healthy. Not thread-safe.
   */
  final class Builder {
    public static final long DEFAULT_POLL_MILLIS = 2000;
    public static final long DEFAULT_WAVE_TIMEOUT_SECONDS = 300;

    final KubeCluster cluster;
    HealthAssessor health = HealthAssessor.ofDefaults();
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.SYSTEM;
    Duration pollInterval = Duration.ofMillis(DEFAULT_POLL_MILLIS);
    Duration waveTimeout = Duration.ofSeconds(DEFAULT_WAVE_TIMEOUT_SECONDS);
    SyncListener listener = SyncListener.NONE;

    private Builder(KubeCluster cluster) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /** The health checks that decide when a wave is done. */
    public Builder health(HealthAssessor health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** The clock for timeouts and timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the engine waits between polls and retries. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** How often health is polled while waiting; must be positive. */
    public Builder pollInterval(Duration interval) {
      requirePositive("pollInterval", interval);
      this.pollInterval = interval;
      return this;
    }

    /** How long a wave or hook may take to become healthy; must be positive. */
    public Builder waveTimeout(Duration timeout) {
      requirePositive("waveTimeout", timeout);
      this.waveTimeout = timeout;
      return this;
    }

    /** Who is told about progress. */
    public Builder listener(SyncListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    private static void requirePositive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, but was " + d);
      }
    }

    /** The engine. */
    public SyncEngine build() {
      return new DefaultSyncEngine(
          cluster, health, clock, sleeper, pollInterval, waveTimeout, listener);
    }
  }
}

package io.glidepath.examples.demo.report;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.git.writeback.WriteBackResult;
import io.glidepath.git.writeback.YamlChange;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.SyncReason;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Collects a demo run's {@link DemoEvent}s from the SDK's own hooks: it is a {@link
 * RolloutListener} for the RolloutDriver, gives a {@link ControllerListener} for each
 * ApplicationController, and is told of write-back results, webhook bodies and manual changes.
 * {@link #events()} is what {@link DemoReport} renders.
 *
 * <pre>{@code
 * DemoRecorder recorder = DemoRecorder.start(Clock.systemUTC());
 * RolloutDriver.builder(cluster).listener(recorder)...;
 * ApplicationController.builder(app, cluster, source).listener(recorder.controllerListener())...;
 * recorder.canary("v2", true, templates);
 * driver.start(plan);
 * }</pre>
 *
 * <p>Thread-safe: the driver's, the controller's and the webhook receiver's threads call it at the
 * same time. Every hook only appends to a list (fast, never throws on the caller's thread).
 */
public final class DemoRecorder implements RolloutListener {
  private final Clock clock;
  private final Instant startedAt;
  private final List<DemoEvent> events = new ArrayList<>();

  /** A sync under way: its revision and why the controller started it. */
  private record Started(String revision, DemoEvent.Sync.Trigger trigger) {}

  private final Map<String, Started> syncing = new HashMap<>();
  private volatile String label = "";

  private DemoRecorder(Clock clock) {
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** A recorder whose run starts now on {@code clock}. */
  public static DemoRecorder start(Clock clock) {
    return new DemoRecorder(Objects.requireNonNull(clock, "clock"));
  }

  /** When the run started: time zero of the report. */
  public Instant startedAt() {
    return startedAt;
  }

  /** A chapter of the story begins. */
  public void chapter(String title) {
    add(new DemoEvent.Chapter(clock.instant(), title));
  }

  /**
   * The driver is about to get the revision {@code label}; its rollout events are filed under that
   * label until the next call.
   *
   * @param templates the AnalysisTemplates its analyses run (their thresholds go on the charts)
   */
  public void canary(String label, boolean canary, List<AnalysisTemplate> templates) {
    this.label = Objects.requireNonNull(label, "label");
    add(new DemoEvent.CanaryStarted(clock.instant(), label, canary, templates));
  }

  @Override
  public void onEvent(RolloutEvent event) {
    add(new DemoEvent.Rollout(label, event));
  }

  /** A write-back's result: one event per changed value; nothing when nothing was committed. */
  public void committed(
      DemoEvent.Commit.Kind kind, String branch, WriteBackResult result, String subject) {
    if (result instanceof WriteBackResult.Committed c) {
      Instant now = clock.instant();
      for (YamlChange change : c.changes()) {
        add(
            new DemoEvent.Commit(
                now,
                kind,
                branch,
                c.head().sha(),
                subject,
                change.file(),
                change.path(),
                change.value()));
      }
    }
  }

  /**
   * A webhook body arrived ({@code WebhookNotifier}'s JSON). Only its {@code event} and {@code
   * text} fields are kept.
   */
  public void notification(String body) {
    Instant now = clock.instant();
    String event = "?";
    String text;
    try {
      JsonNode json = Yaml.mapper().readTree(body);
      event = json.path("event").asString("?");
      text = json.path("text").asString("");
    } catch (RuntimeException e) {
      text = "a body that is not JSON (" + body.length() + " characters)";
    }
    add(new DemoEvent.Notification(now, event, text));
  }

  /** Someone changed the cluster by hand. */
  public void manualChange(String actor, String description) {
    add(new DemoEvent.ManualChange(clock.instant(), actor, description));
  }

  /**
   * A listener for an ApplicationController: its syncs, filed with the reason the controller gives
   * (a new revision or selfHeal), and its reconciles.
   */
  public ControllerListener controllerListener() {
    return new ControllerListener() {
      @Override
      public void syncStarted(String app, String revision, SyncReason reason) {
        synchronized (DemoRecorder.this) {
          syncing.put(
              app,
              new Started(
                  revision,
                  reason == SyncReason.SELF_HEAL
                      ? DemoEvent.Sync.Trigger.SELF_HEAL
                      : DemoEvent.Sync.Trigger.NEW_REVISION));
        }
      }

      @Override
      public void syncFinished(String app, SyncResult result) {
        DemoEvent.Sync sync;
        synchronized (DemoRecorder.this) {
          Started started =
              syncing.getOrDefault(app, new Started("", DemoEvent.Sync.Trigger.NEW_REVISION));
          sync =
              new DemoEvent.Sync(
                  result.startedAt(),
                  result.finishedAt(),
                  app,
                  started.revision(),
                  started.trigger(),
                  result.succeeded(),
                  result.message(),
                  result.resources());
        }
        add(sync);
      }

      @Override
      public void reconciled(AppStatus status) {
        add(new DemoEvent.Reconciled(status));
      }
    };
  }

  /** Everything recorded so far, oldest first (ties keep the order they were recorded in). */
  public synchronized List<DemoEvent> events() {
    List<DemoEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(DemoEvent::at));
    return List.copyOf(sorted);
  }

  private synchronized void add(DemoEvent e) {
    events.add(e);
  }
}

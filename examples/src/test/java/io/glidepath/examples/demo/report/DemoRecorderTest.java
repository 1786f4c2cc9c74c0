package io.glidepath.examples.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.git.CommitId;
import io.glidepath.git.writeback.WriteBackResult;
import io.glidepath.git.writeback.YamlChange;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.SyncReason;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoRecorderTest {
  static final CommitId A = CommitId.of("a".repeat(40));
  static final CommitId B = CommitId.of("b".repeat(40));

  final ManualClock clock = ManualClock.at(Instant.parse("2026-11-25T20:00:00Z"));
  final DemoRecorder recorder = DemoRecorder.start(clock);

  @Test
  void eachSyncIsFiledWithTheReasonTheControllerGave() {
    ControllerListener l = recorder.controllerListener();
    sync(l, "r1", SyncReason.NEW_REVISION);
    sync(l, "r2", SyncReason.NEW_REVISION);
    sync(l, "r2", SyncReason.SELF_HEAL);

    assertThat(recorder.events())
        .map(e -> ((DemoEvent.Sync) e).revision() + " " + ((DemoEvent.Sync) e).trigger())
        .containsExactly("r1 NEW_REVISION", "r2 NEW_REVISION", "r2 SELF_HEAL");
  }

  @Test
  void rolloutEventsAreFiledUnderTheRevisionLastHandedToTheDriver() {
    recorder.canary("v2", true, List.of());
    recorder.onEvent(event(RolloutEvent.Type.PROMOTED));
    clock.advance(Duration.ofSeconds(1));
    recorder.canary("v3", true, List.of());
    recorder.onEvent(event(RolloutEvent.Type.ABORTED));

    assertThat(recorder.events())
        .filteredOn(e -> e instanceof DemoEvent.Rollout)
        .map(e -> ((DemoEvent.Rollout) e).label() + " " + ((DemoEvent.Rollout) e).event().type())
        .containsExactly("v2 PROMOTED", "v3 ABORTED");
  }

  @Test
  void keepsOnlyTheEventAndTextOfAWebhookBodyAndEachCommittedChange() {
    recorder.notification(
        "{\"text\":\"rolled back\",\"event\":\"ABORTED\",\"namespace\":\"production\"}");
    recorder.notification("not json");
    recorder.committed(
        DemoEvent.Commit.Kind.CI_WRITE_BACK,
        "main",
        new WriteBackResult.Committed(
            B, A, 1, List.of(new YamlChange("v.yaml", "image.tag", "v2"))),
        "ci: deploy v2");
    recorder.committed(
        DemoEvent.Commit.Kind.CI_WRITE_BACK, "main", new WriteBackResult.Unchanged(B), "nothing");

    assertThat(recorder.events())
        .containsExactly(
            new DemoEvent.Notification(clock.instant(), "ABORTED", "rolled back"),
            new DemoEvent.Notification(
                clock.instant(), "?", "a body that is not JSON (8 characters)"),
            new DemoEvent.Commit(
                clock.instant(),
                DemoEvent.Commit.Kind.CI_WRITE_BACK,
                "main",
                B.sha(),
                "ci: deploy v2",
                "v.yaml",
                "image.tag",
                "v2"));
  }

  private void sync(ControllerListener l, String revision, SyncReason reason) {
    l.syncStarted("app", revision, reason);
    l.syncFinished("app", new SyncResult(true, "", 1, clock.instant(), clock.instant(), List.of()));
    clock.advance(Duration.ofSeconds(1));
  }

  private RolloutEvent event(RolloutEvent.Type type) {
    return new RolloutEvent(
        "ns", "r", type, clock.instant(), 0, 0, "", Optional.empty(), Optional.empty());
  }
}

package io.glidepath.examples.demo.report;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.rollout.driver.RolloutEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One thing that happened during a demo run, as {@link DemoRecorder} collects it from the SDK's
 * listeners and results and {@link DemoReport} renders it. A closed set: the report has a rendering
 * for each.
 *
 * <pre>{@code
 * List<DemoEvent> events = List.of(
 *     new DemoEvent.Chapter(t0, "1. CI writes image tag v2"),
 *     new DemoEvent.Commit(t1, DemoEvent.Commit.Kind.CI_WRITE_BACK, "main", sha,
 *         "ci: deploy trade-service v2", "apps/trade-service/values.yaml", "image.tag", "v2"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface DemoEvent
    permits DemoEvent.Chapter,
        DemoEvent.Commit,
        DemoEvent.Sync,
        DemoEvent.Reconciled,
        DemoEvent.CanaryStarted,
        DemoEvent.Rollout,
        DemoEvent.Notification,
        DemoEvent.ManualChange {

  /** When it happened (wall clock). */
  Instant at();

  /**
   * A chapter of the story, as the demo announces it.
   *
   * @param at when the chapter starts
   * @param title the chapter's title
   */
  record Chapter(Instant at, String title) implements DemoEvent {
    public Chapter {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(title, "title");
    }
  }

  /**
   * A commit pushed by a write-back ({@code GitWriteBack}'s {@code WriteBackResult}).
   *
   * @param at when it was pushed
   * @param kind the CI's image-tag write-back, or the backfill of a live hotfix
   * @param branch the branch it was pushed to
   * @param commit the full commit id
   * @param subject the commit message's first line
   * @param file the repository file changed
   * @param key the YAML path set
   * @param value the value written
   */
  record Commit(
      Instant at,
      Kind kind,
      String branch,
      String commit,
      String subject,
      String file,
      String key,
      String value)
      implements DemoEvent {
    /** Who wrote the commit. */
    public enum Kind {
      /** CI writing a new image tag. */
      CI_WRITE_BACK,
      /** A live hotfix captured back into Git. */
      BACKFILL
    }

    public Commit {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(branch, "branch");
      Objects.requireNonNull(commit, "commit");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    /** The first 7 digits of the commit id. */
    public String shortCommit() {
      return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }
  }

  /**
   * A sync run by the ApplicationController ({@code ControllerListener.syncStarted} and {@code
   * syncFinished}).
   *
   * @param at when it started (the sync engine's clock)
   * @param finishedAt when it finished
   * @param app the application
   * @param revision the Git revision synced
   * @param trigger why it ran
   * @param succeeded whether every resource synced and became healthy
   * @param message why it failed, or ""
   * @param resources the result per resource, in execution order
   */
  record Sync(
      Instant at,
      Instant finishedAt,
      String app,
      String revision,
      Trigger trigger,
      boolean succeeded,
      String message,
      List<ResourceResult> resources)
      implements DemoEvent {
    /** Why a sync ran. */
    public enum Trigger {
      /** A revision the controller had not synced yet. */
      NEW_REVISION,
      /** The revision synced before, again: selfHeal reverting live drift. */
      SELF_HEAL
    }

    public Sync {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(finishedAt, "finishedAt");
      Objects.requireNonNull(app, "app");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(message, "message");
      resources = List.copyOf(resources);
    }
  }

  /**
   * A reconcile's outcome ({@code ControllerListener.reconciled}).
   *
   * @param status the controller's status after the reconcile
   */
  record Reconciled(AppStatus status) implements DemoEvent {
    public Reconciled {
      Objects.requireNonNull(status, "status");
    }

    @Override
    public Instant at() {
      return status.reconciledAt();
    }
  }

  /**
   * The RolloutDriver was handed a new revision: the events that follow, up to the next {@code
   * CanaryStarted}, belong to it.
   *
   * @param at when the plan was handed over
   * @param label the revision's name in the report (the image tag, e.g. {@code v2})
   * @param canary whether it rolls out as a canary (false for the first deployment)
   * @param templates the AnalysisTemplates the plan's analyses use, as run (the thresholds)
   */
  record CanaryStarted(Instant at, String label, boolean canary, List<AnalysisTemplate> templates)
      implements DemoEvent {
    public CanaryStarted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(label, "label");
      templates = List.copyOf(templates);
    }
  }

  /**
   * An event of the RolloutDriver ({@code RolloutListener}).
   *
   * @param label the revision it belongs to (see {@link CanaryStarted#label()})
   * @param event the driver's event
   */
  record Rollout(String label, RolloutEvent event) implements DemoEvent {
    public Rollout {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(event, "event");
    }

    @Override
    public Instant at() {
      return event.at();
    }
  }

  /**
   * A notification that reached the webhook receiver ({@code WebhookNotifier}'s JSON body).
   *
   * @param at when it arrived
   * @param event the rollout event type it reports ({@code ABORTED}, {@code PROMOTED}...)
   * @param text its human text
   */
  record Notification(Instant at, String event, String text) implements DemoEvent {
    public Notification {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A change made by hand to the cluster, outside Git.
   *
   * @param at when
   * @param actor who (a field manager such as {@code kubectl-edit})
   * @param description what changed
   */
  record ManualChange(Instant at, String actor, String description) implements DemoEvent {
    public ManualChange {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(description, "description");
    }
  }
}

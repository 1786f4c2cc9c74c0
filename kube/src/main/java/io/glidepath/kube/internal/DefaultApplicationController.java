package io.glidepath.kube.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.Automated;
import io.glidepath.core.app.Retry;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectVerdict;
import io.glidepath.core.project.ProjectViolationException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncPlanner;
import io.glidepath.core.sync.SyncSettings;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.LiveWatch;
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.controller.AppCondition;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.DesiredStateSource;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.kube.sync.SyncResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link ApplicationController} implementation. */
public final class DefaultApplicationController implements ApplicationController {
  private static final Duration MAX_SELF_HEAL_BACKOFF = Duration.ofMinutes(3);
  private static final int HISTORY = 10;
  private static final String FIELD_MANAGER = "glidepath-controller";

  private final Application app;
  private final DefaultKubeCluster cluster;
  private final DesiredStateSource source;
  private final SyncEngine engine;
  private final Clock clock;
  private final Duration resyncPeriod;
  private final Duration selfHealBackoff;
  private final String statusNamespace;
  private final ControllerListener listener;
  private final ProjectGuard guard;
  private final boolean manualSync;

  private final Object lock = new Object();
  private final Object startStop = new Object();
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile AppStatus last;
  private boolean historyLoaded;
  private String lastAttempted = "";
  private String lastSynced = "";
  private ArrayNode history = Yaml.mapper().createArrayNode();
  private int heals;
  private Instant nextHealAt = Instant.MIN;
  private volatile ScheduledExecutorService loop;
  private volatile LiveWatch watch;
  // the last project refusal: not tried again for the same revision before refusedUntil
  private String refusedRevision = "";
  private Instant refusedUntil = Instant.MIN;
  private boolean refusedByWindow;
  private AppStatus refusal;

  public DefaultApplicationController(
      Application app,
      KubeCluster cluster,
      DesiredStateSource source,
      SyncEngine engine,
      Clock clock,
      Duration resyncPeriod,
      Duration selfHealBackoff,
      String statusNamespace,
      ControllerListener listener,
      ProjectGuard guard,
      boolean manualSync) {
    this.app = app;
    this.cluster = DefaultKubeCluster.cast(cluster);
    this.source = source;
    this.engine = engine;
    this.clock = clock;
    this.resyncPeriod = resyncPeriod;
    this.selfHealBackoff = selfHealBackoff;
    this.statusNamespace = statusNamespace;
    this.listener = listener;
    this.guard = guard;
    this.manualSync = manualSync;
  }

  private ResourceKey statusKey() {
    return new ResourceKey("", "ConfigMap", statusNamespace, "glidepath-" + app.name());
  }

  @Override
  public AppStatus reconcile() {
    return reconcile(false);
  }

  private AppStatus reconcile(boolean periodic) {
    synchronized (lock) {
      pending.set(false);
      AppStatus s = withOrphanWarnings(reconcileLocked(periodic));
      last = s;
      listener.reconciled(s);
      return s;
    }
  }

  private AppStatus reconcileLocked(boolean periodic) {
    loadHistory();
    DesiredState desired;
    try {
      desired = source.fetch();
    } catch (RuntimeException e) {
      return status("", false, false, "could not get the desired state: " + e.getMessage());
    }
    String revision = desired.revision();
    Instant now = clock.instant();
    if (refusal != null
        && revision.equals(refusedRevision)
        && now.isBefore(refusedUntil)
        && (refusedByWindow || !periodic)) {
      // the same refusal again: no new attempt, no new event (no tight loop)
      return new AppStatus(
          app.name(),
          revision,
          false,
          false,
          refusal.lastSyncedRevision(),
          now,
          refusal.message(),
          refusal.conditions());
    }
    refusal = null;
    DriftReport drift;
    try {
      ResourceSet placed = placed(desired.resources());
      ProjectVerdict rendered = guard.checkResources(app, placed);
      if (!rendered.permitted()) {
        return refuse(revision, rendered, now);
      }
      ResourceSet live = cluster.liveState(app.name());
      drift = DriftDetector.of(app.diffOptions()).detect(placed, live);
    } catch (GlidepathException e) {
      return status(
          revision, false, false, "could not compare with the cluster: " + e.getMessage());
    }
    if (drift.isInSync()) {
      heals = 0;
      return status(revision, true, false, "in sync");
    }
    Optional<Automated> automated = app.syncPolicy().automated();
    if (automated.isEmpty()) {
      return status(
          revision, false, false, "out of sync (" + drift.summary() + "); sync is manual");
    }
    boolean attempted = revision.equals(lastAttempted);
    if (attempted && !automated.get().selfHeal()) {
      return status(
          revision,
          false,
          false,
          "out of sync ("
              + drift.summary()
              + "); revision "
              + revision
              + " was already synced and selfHeal is off");
    }
    if (attempted && now.isBefore(nextHealAt)) {
      return status(revision, false, false, "out of sync; selfHeal waits until " + nextHealAt);
    }
    SyncPlan plan;
    try {
      plan = SyncPlanner.create().plan(drift, SyncSettings.of(app));
    } catch (GlidepathException e) {
      return status(revision, false, false, "sync refused: " + e.getMessage());
    }
    ProjectVerdict verdict = guard.checkSync(app, plan, manualSync);
    if (!verdict.permitted()) {
      return refuse(revision, verdict, now);
    }
    listener.planned(app.name(), plan);
    listener.syncStarted(app.name(), revision);
    SyncResult result =
        engine.sync(
            app.name(), plan, app.syncPolicy().retry().orElse(new Retry(0, Retry.Backoff.DEFAULT)));
    listener.syncFinished(app.name(), result);
    if (attempted) {
      heals++;
      Duration wait = selfHealBackoff.multipliedBy(1L << Math.min(heals - 1, 16));
      nextHealAt =
          now.plus(wait.compareTo(MAX_SELF_HEAL_BACKOFF) > 0 ? MAX_SELF_HEAL_BACKOFF : wait);
    } else {
      heals = 0;
      nextHealAt = Instant.MIN;
    }
    lastAttempted = revision;
    if (result.succeeded()) {
      lastSynced = revision;
    }
    String persisted = persist(revision, result);
    String message =
        (result.succeeded()
                ? "synced " + revision
                : "sync of " + revision + " failed: " + result.message())
            + (persisted.isEmpty() ? "" : "; " + persisted);
    return status(revision, result.succeeded(), true, message);
  }

  /**
   * Adds a warning per object in the destination namespace that no app owns, when the project asks
   * for them and nothing was refused.
   */
  private AppStatus withOrphanWarnings(AppStatus s) {
    String ns = app.destination().namespace();
    if (!s.conditions().isEmpty() || ns.isBlank()) {
      return s;
    }
    try {
      Project project = guard.projects().resolve(app.project());
      if (!project.warnsOrphanedResources()) {
        return s;
      }
      ResourceSet contents = cluster.namespaceContents(ns);
      Set<ResourceKey> owned = new HashSet<>();
      for (Resource r : contents) {
        if (TrackingId.of(r).isPresent()) {
          owned.add(r.key());
        }
      }
      List<AppCondition> warnings =
          project.orphanedResources(contents, owned).stream()
              .map(w -> new AppCondition(AppCondition.Type.ORPHANED_RESOURCE_WARNING, w))
              .toList();
      if (warnings.isEmpty()) {
        return s;
      }
      return new AppStatus(
          s.app(),
          s.revision(),
          s.inSync(),
          s.synced(),
          s.lastSyncedRevision(),
          s.reconciledAt(),
          s.message() + "; " + warnings.size() + " orphaned resource(s)",
          warnings);
    } catch (GlidepathException e) {
      // a warning only: a failed list must not hide the reconcile's outcome
      return s;
    }
  }

  /** Reports a project refusal once and remembers it until the revision may be tried again. */
  private AppStatus refuse(String revision, ProjectVerdict verdict, Instant now) {
    ProjectViolationException e =
        new ProjectViolationException(verdict.project(), verdict.violations());
    List<AppCondition> conditions =
        verdict.violations().stream()
            .map(
                v ->
                    new AppCondition(
                        v.rule().equals(ProjectGuard.SYNC_WINDOWS)
                            ? AppCondition.Type.SYNC_WINDOW_BLOCKED
                            : AppCondition.Type.PROJECT_VIOLATION,
                        v.message()))
            .toList();
    refusedByWindow = verdict.onlyWindowBlocks() && verdict.retryAt().isPresent();
    refusedRevision = revision;
    refusedUntil = refusedByWindow ? verdict.retryAt().get() : now.plus(resyncPeriod);
    refusal =
        new AppStatus(
            app.name(),
            revision,
            false,
            false,
            lastSynced.isEmpty() ? Optional.empty() : Optional.of(lastSynced),
            now,
            "sync of "
                + revision
                + " refused: "
                + e.getMessage()
                + "; next attempt "
                + (refusedByWindow
                    ? "when the window ends at " + refusedUntil
                    : "on a new revision or the next resync"),
            conditions);
    listener.refused(app.name(), revision, e);
    if (refusedByWindow) {
      wakeUpAt(refusedUntil, now);
    }
    return refusal;
  }

  /** Schedules a reconcile when a window ends, when that is before the next periodic resync. */
  private void wakeUpAt(Instant at, Instant now) {
    ScheduledExecutorService l = loop;
    Duration delay = Duration.between(now, at);
    if (l != null && delay.compareTo(resyncPeriod) < 0) {
      try {
        l.schedule(this::reconcileQuietly, delay.toMillis() + 1, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // stopped meanwhile: a restarted loop reconciles at once anyway
      }
    }
  }

  /**
   * Namespaced resources that name no namespace go to the destination namespace, as Argo CD puts
   * them, so that they compare with their live counterparts.
   */
  private ResourceSet placed(ResourceSet desired) {
    Optional<String> destination = app.destinationNamespace().filter(ns -> !ns.isBlank());
    if (destination.isEmpty()) {
      return desired;
    }
    return desired.map(
        r -> {
          if (r.namespace().isPresent()) {
            return r;
          }
          boolean namespaced =
              cluster.resourceType(r.group(), r.kind()).map(ResourceType::namespaced).orElse(true);
          return namespaced ? r.withNamespace(destination.get()) : r;
        });
  }

  private AppStatus status(String revision, boolean inSync, boolean synced, String message) {
    return new AppStatus(
        app.name(),
        revision,
        inSync,
        synced,
        lastSynced.isEmpty() ? Optional.empty() : Optional.of(lastSynced),
        clock.instant(),
        message);
  }

  // ------------------------------------------------------------------ persisted history

  private void loadHistory() {
    if (historyLoaded) {
      return;
    }
    try {
      Optional<Resource> cm = cluster.get(statusKey());
      if (cm.isPresent()) {
        JsonNode data = cm.get().body().path("data");
        lastAttempted = data.path("lastAttemptedRevision").asString("");
        lastSynced = data.path("lastSyncedRevision").asString("");
        String h = data.path("history").asString("");
        if (!h.isEmpty() && Yaml.mapper().readTree(h) instanceof ArrayNode a) {
          history = a;
        }
      }
      historyLoaded = true;
    } catch (RuntimeException e) {
      // the next reconcile tries again; without history the app is synced as if new
    }
  }

  /** Writes the status ConfigMap; returns a problem for the status message, or "". */
  private String persist(String revision, SyncResult result) {
    ObjectNode entry = history.addObject();
    entry.put("revision", revision);
    entry.put("startedAt", result.startedAt().toString());
    entry.put("finishedAt", result.finishedAt().toString());
    entry.put("succeeded", result.succeeded());
    entry.put("attempts", result.attempts());
    entry.put("message", result.message());
    ArrayNode resources = entry.putArray("resources");
    for (ResourceResult r : result.resources()) {
      ObjectNode n = resources.addObject();
      n.put("key", r.key().toString());
      n.put("phase", r.phase().displayName());
      n.put("wave", r.wave());
      n.put("result", r.code().name());
      n.put("message", r.message());
    }
    while (history.size() > HISTORY) {
      history.remove(0);
    }
    ObjectNode cm = Yaml.mapper().createObjectNode();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata");
    meta.put("name", statusKey().name());
    meta.put("namespace", statusNamespace);
    meta.putObject("labels").put("glidepath.io/application", app.name());
    ObjectNode data = cm.putObject("data");
    data.put("lastAttemptedRevision", lastAttempted);
    data.put("lastSyncedRevision", lastSynced);
    data.put("history", Yaml.toJson(history));
    ResourceType type = cluster.typeOf(statusKey());
    KubeApi.Answer a =
        cluster
            .api()
            .send(
                "PATCH",
                type.itemPath(statusNamespace, statusKey().name())
                    + "?fieldManager="
                    + FIELD_MANAGER
                    + "&force=true",
                "application/apply-patch+yaml",
                Yaml.toJson(cm),
                statusKey());
    return a.ok() ? "" : "status not saved (" + a.code() + " " + a.reason() + "): " + a.message();
  }

  // ------------------------------------------------------------------ loop

  @Override
  public void start() {
    synchronized (startStop) {
      if (loop != null) {
        return;
      }
      loop =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "glidepath-controller-" + app.name());
                t.setDaemon(true);
                return t;
              });
      loop.scheduleWithFixedDelay(
          this::resyncQuietly, 0, resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
      loop.execute(this::startWatch);
    }
  }

  private void startWatch() {
    try {
      Set<ResourceType> types = new LinkedHashSet<>();
      for (Resource r : source.fetch().resources()) {
        cluster.resourceType(r.group(), r.kind()).ifPresent(types::add);
      }
      LiveWatch w = LiveWatch.start(cluster, app.name(), types, (key, live) -> refresh());
      synchronized (startStop) {
        if (loop == null) {
          w.close(); // stopped meanwhile
        } else {
          watch = w;
        }
      }
    } catch (RuntimeException e) {
      // without a watch, the periodic resync still finds drift
    }
  }

  @Override
  public void refresh() {
    ScheduledExecutorService l = loop;
    if (l != null && pending.compareAndSet(false, true)) {
      l.execute(this::reconcileQuietly);
    }
  }

  private void resyncQuietly() {
    try {
      reconcile(true);
    } catch (RuntimeException e) {
      // the loop must survive; the next resync tries again
    }
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      // the loop must survive; the next resync tries again
    }
  }

  @Override
  public Optional<AppStatus> status() {
    return Optional.ofNullable(last);
  }

  @Override
  public void stop() {
    ScheduledExecutorService l;
    LiveWatch w;
    synchronized (startStop) {
      l = loop;
      w = watch;
      loop = null;
      watch = null;
    }
    if (w != null) {
      w.close();
    }
    if (l != null) {
      l.shutdownNow();
      try {
        // let a reconcile in flight finish its current request, so no call is left half done
        l.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean running() {
    return loop != null;
  }

  @Override
  public void close() {
    stop();
  }
}

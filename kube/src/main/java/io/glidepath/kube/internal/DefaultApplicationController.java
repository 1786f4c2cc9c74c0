package io.glidepath.kube.internal;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.Redaction;
import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.app.Automated;
import io.glidepath.core.app.Retry;
import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.argocd.ResourceFilter;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.health.ApplicationHealth;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
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
import io.glidepath.kube.ResourceType;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.cluster.ClusterRegistry;
import io.glidepath.kube.cluster.ClusterResolver;
import io.glidepath.kube.cluster.RegisteredCluster;
import io.glidepath.kube.cluster.UnknownClusterException;
import io.glidepath.kube.controller.AppCondition;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.AppSummary;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.DesiredStateSource;
import io.glidepath.kube.controller.SourceType;
import io.glidepath.kube.controller.SyncReason;
import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.kube.shard.ItemClaims;
import io.glidepath.kube.sync.ResourceResult;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.kube.sync.SyncResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link ApplicationController} implementation. */
public final class DefaultApplicationController implements ApplicationController {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultApplicationController.class);

  private static final Duration MAX_SELF_HEAL_BACKOFF = Duration.ofMinutes(3);
  private static final String FIELD_MANAGER = "glidepath-controller";
  private static final Duration DELETION_RECHECK = Duration.ofSeconds(5);
  // operation.sync fields a requested sync honours (syncOptions: the app's own are used)
  private static final Set<String> REQUEST_FIELDS = Set.of("prune", "syncOptions");

  // the app as of the last reconcile: the Application object's spec when the object exists
  private volatile Application app;
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
  private final boolean followApplicationObject;
  private final List<ChangeTrigger> triggers;
  private final ApplicationObjectStatus appStatus;
  // the object's operation (a requested sync), or null
  private JsonNode requestedOperation;
  // the request of the sync being persisted, or null
  private JsonNode requestedSync;
  // whether the status write of the requested sync above removed the object's operation too
  private boolean operationEnded;
  private final HealthAssessor health;
  // argocd-cm: exclusions/inclusions and system-level ignoreDifferences, read on every reconcile
  private final Supplier<ArgoCdSettings> settings;
  // ExcludedResourceWarning messages of the last comparison, and as last written to the object
  private List<String> observedExcluded = List.of();
  private List<String> writtenExcluded = List.of();
  // where the app's resources go: resolved from its destination on every reconcile
  private final ClusterResolver clusters;
  private volatile DefaultKubeCluster destination;
  private RegisteredCluster destinationInfo;
  private final Map<DefaultKubeCluster, SyncEngine> engines = new ConcurrentHashMap<>();
  private final Map<DefaultKubeCluster, ProjectGuard> guards = new ConcurrentHashMap<>();

  private final Object lock = new Object();
  private final Object startStop = new Object();
  private volatile AppStatus last;
  private boolean historyLoaded;
  private String lastAttempted = "";
  private String lastSynced = "";
  private ArrayNode history = Yaml.mapper().createArrayNode();
  private int heals;
  private Instant nextHealAt = Instant.MIN;
  private Instant healWakeUp = Instant.MIN;
  private volatile ReconcileLoop loop;
  // where started loops come from: the controller's own thread, or a manager's shared workers
  private final Supplier<ReconcileLoop> loops;
  // a manager's controller: the cache watches every kind, so no reconcile lists (resyncs neither)
  private final boolean cacheFirst;
  private boolean cacheTried;
  private volatile LiveStateCache cache;
  // kinds the app's resources (desired or live) were seen in: what a started cache watches
  private final Set<ResourceType> knownTypes = ConcurrentHashMap.newKeySet();
  // where the status lives: the Application object (Argo CD's shape) or the ConfigMap
  private boolean inApplication;
  private String observedHealth = "Unknown";
  // status.resources of the last comparison (null: not known)
  private ArrayNode observedResources;
  // what was compared (Argo CD's sync.comparedTo): the app's source, destination, ignored fields
  private ObjectNode comparedTo;
  // the desired state's source type and the summary of the last comparison (also in AppStatus)
  private Optional<SourceType> observedSourceType = Optional.empty();
  private List<String> observedSourceTypes = List.of();
  private AppSummary observedSummary = AppSummary.EMPTY;
  // whether the observation above was made after this reconcile's sync (see compareAfterSync)
  private boolean comparedAfterSync;
  // the observed part of the Application's status as last written (or read back)
  private ApplicationObjectStatus.Observation written = ApplicationObjectStatus.Observation.NONE;
  // the last project refusal: not tried again for the same revision before refusedUntil
  private String refusedRevision = "";
  private Instant refusedUntil = Instant.MIN;
  private boolean refusedByWindow;
  private AppStatus refusal;
  // following the Application object: its watch (started), what loadHistory read, this reconcile's
  private volatile ApplicationObjectWatch appWatch;
  private Resource loadedObject;
  // the Application object as last read, as packed JSON: kept between reconciles, so kept compact
  private byte[] currentObjectJson;
  // the watch's JSON of the object the last reconcile followed without finding anything to do
  // beyond comparing (no operation, not being deleted, a valid spec); null: read it again
  private byte[] followedJson;
  private static final PackedJson APPLICATION_OBJECTS = new PackedJson();
  // whether that object holds the PostDelete finalizers (read on every reconcile)
  private boolean postDeleteFinalizer;
  private boolean postDeleteCleanupFinalizer;
  private final ApplicationSpec.LastRead specs = new ApplicationSpec.LastRead();
  // the source of the last attempted sync (null: not known, e.g. recorded by an older version)
  private List<ApplicationSource> lastAttemptedSources;
  // the InvalidSpecError message seen by this reconcile and as last written ("": none)
  private String observedInvalidSpec = "";
  private String writtenInvalidSpec = "";
  // the object went after having been followed; stop the loop once this reconcile is done
  private boolean deleted;
  // the uid of the object followed: another uid is a re-created object, a new app
  private String followedUid = "";
  // the DeletionError message as the object holds it (null: not known yet)
  private String writtenDeletionError;
  private boolean stopAfterReconcile;
  private boolean publish;
  // changes the live-state cache told of (each one a reason to compare again)
  private final AtomicLong liveChanges = new AtomicLong();
  // the inputs of the last comparison that found the app in sync (null: none to reuse)
  private Compared compared;
  // comparisons of desired and live state run so far (a reconcile reusing one does not count)
  private final AtomicLong comparisons = new AtomicLong();

  /**
   * What a comparison read: the app's spec, its desired state (the source's own object, reused
   * while no commit touched the app), the live-state cache and the changes it told of, the
   * settings, the destination and the project (the object its source gives, or the name when it
   * gives none). A reconcile with the same inputs has the same outcome, so it reuses the last one
   * instead of comparing again.
   */
  private record Compared(
      Application app,
      DesiredState desired, // the inputs of this reconcile; null once kept (see kept())
      KeptRender render, // the desired state compact: the source's kept render, or kept()'s
      LiveStateCache cache,
      long liveChanges,
      ArgoCdSettings settings,
      DefaultKubeCluster destination,
      RegisteredCluster info,
      Object project) {
    boolean same(Compared o) {
      return o != null
          && app.equals(o.app)
          && ((render != null && render == o.render)
              || (desired != null
                  && (desired == o.desired || (o.render != null && o.render.sameAs(desired)))))
          && cache == o.cache
          && liveChanges == o.liveChanges
          && settings == o.settings
          && destination == o.destination
          && Objects.equals(info, o.info)
          && (project == o.project || (project instanceof String && project.equals(o.project)));
    }

    /**
     * These inputs to keep until the next reconcile: the desired state packed ({@link KeptRender},
     * a few hundred bytes) rather than its trees (kilobytes per app); {@link #same} matches the
     * next desired state against it.
     */
    Compared kept() {
      return new Compared(
          app,
          null,
          render != null ? render : KeptRender.keep(desired),
          cache,
          liveChanges,
          settings,
          destination,
          info,
          project);
    }
  }

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
      boolean manualSync,
      boolean followApplicationObject,
      List<ChangeTrigger> triggers,
      ClusterResolver clusters,
      Supplier<ArgoCdSettings> settings) {
    this(
        app,
        cluster,
        source,
        engine,
        clock,
        resyncPeriod,
        selfHealBackoff,
        statusNamespace,
        listener,
        guard,
        manualSync,
        followApplicationObject,
        triggers,
        clusters,
        settings,
        null);
  }

  /**
   * A controller whose started loop comes from {@code loops} (a manager's shared workers; the cache
   * then covers every kind and no reconcile lists), or runs on a thread of its own when null.
   */
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
      boolean manualSync,
      boolean followApplicationObject,
      List<ChangeTrigger> triggers,
      ClusterResolver clusters,
      Supplier<ArgoCdSettings> settings,
      Supplier<ReconcileLoop> loops) {
    this.settings = settings == null ? ArgoCdSettings::empty : settings;
    this.loops = loops == null ? () -> new OwnThreadLoop(app.name(), resyncPeriod) : loops;
    this.cacheFirst = loops != null;
    this.app = app;
    this.cluster = DefaultKubeCluster.cast(cluster);
    this.clusters = clusters == null ? ClusterRegistry.inCluster(cluster) : clusters;
    this.source = source;
    this.engine = engine;
    this.health = engine.health();
    this.clock = clock;
    this.resyncPeriod = resyncPeriod;
    this.selfHealBackoff = selfHealBackoff;
    this.statusNamespace = statusNamespace;
    this.listener = listener;
    this.guard = guard;
    this.manualSync = manualSync;
    this.followApplicationObject = followApplicationObject;
    this.triggers = List.copyOf(triggers);
    this.appStatus = new ApplicationObjectStatus(this.cluster, statusNamespace, app.name());
    this.comparedTo = ApplicationObjectStatus.comparedTo(app);
    engines.put(this.cluster, engine);
    guards.put(this.cluster, guard);
  }

  /**
   * Resolves the app's destination cluster, as Argo CD does on every reconcile: an unknown one is
   * the app's InvalidSpecError condition and nothing is compared or synced.
   */
  private Optional<AppStatus> chooseDestination() {
    return chooseDestination(app);
  }

  /** Resolves {@code target}'s destination and makes it the cluster this controller acts on. */
  private Optional<AppStatus> chooseDestination(Application target) {
    ClusterRegistry.Target resolved;
    try {
      resolved = clusters.resolve(target.destination(), target.name());
    } catch (UnknownClusterException e) {
      String safe = Redaction.urls(e.getMessage()); // the app's server URL may carry credentials
      observedInvalidSpec = safe;
      return Optional.of(
          new AppStatus(
              app.name(),
              "",
              false,
              false,
              lastSynced.isEmpty() ? Optional.empty() : Optional.of(lastSynced),
              clock.instant(),
              "invalid spec, nothing synced: " + safe,
              List.of(new AppCondition(AppCondition.Type.INVALID_SPEC, safe))));
    }
    observedInvalidSpec = "";
    DefaultKubeCluster chosen = DefaultKubeCluster.cast(resolved.connection());
    DefaultKubeCluster before = destination;
    destinationInfo = resolved.cluster();
    if (chosen != before) {
      destination = chosen;
      if (before != null) {
        // another cluster: its kinds and its informers are not this one's
        knownTypes.clear();
        LiveStateCache old;
        synchronized (startStop) {
          old = cache;
          cache = null;
        }
        if (old != null) {
          old.close();
          // a started loop starts the new destination's cache after this reconcile
          cacheTried = false;
        }
      }
    }
    return Optional.empty();
  }

  private DefaultKubeCluster destination() {
    DefaultKubeCluster d = destination;
    return d == null ? cluster : d;
  }

  private SyncEngine engineFor(DefaultKubeCluster c) {
    return engines.computeIfAbsent(
        c, k -> SyncEngine.builder(k).clock(clock).health(health).build());
  }

  private ProjectGuard guardFor(DefaultKubeCluster c) {
    return guards.computeIfAbsent(c, k -> ProjectGuard.of(guard.projects(), k.scope(), clock));
  }

  /**
   * The cascading deletion of the app's resources on its destination; the object's finalizers are
   * written on the control cluster.
   */
  private ApplicationDeletion deletion() {
    String server = destinationServer();
    return new ApplicationDeletion(
        cluster,
        destination(),
        guardFor(destination()),
        r -> !settings.get().resourceFilter().isExcluded(r.group(), r.kind(), server));
  }

  /** The app's PostDelete hooks, run on its destination. */
  private PostDeleteHooks postDelete() {
    return new PostDeleteHooks(destination(), guardFor(destination()), health);
  }

  /** The app with the server its destination name resolved to, for the project's checks. */
  private Application resolvedApp() {
    return resolvedApp(app);
  }

  private Application resolvedApp(Application app) {
    RegisteredCluster info = destinationInfo;
    if (info == null || app.destination().server().filter(x -> !x.isBlank()).isPresent()) {
      return app;
    }
    return new Application(
        app.name(),
        app.namespace(),
        app.labels(),
        app.annotations(),
        app.finalizers(),
        app.project(),
        app.source(),
        new io.glidepath.core.app.ApplicationDestination(
            Optional.of(info.server()), app.destination().name(), app.destination().namespace()),
        app.syncPolicy(),
        app.ignoreDifferences(),
        app.revisionHistoryLimit(),
        app.info(),
        app.sources());
  }

  /**
   * Argo CD's namespaced mode: a cluster whose Secret lists {@code namespaces} manages only those,
   * and cluster-scoped kinds only with {@code clusterResources: "true"}.
   */
  private List<AppCondition> unmanaged(ResourceSet placed) {
    RegisteredCluster info = destinationInfo;
    if (info == null || info.namespaces().isEmpty()) {
      return List.of();
    }
    DefaultKubeCluster d = destination();
    List<AppCondition> out = new java.util.ArrayList<>();
    for (Resource r : placed) {
      boolean namespaced =
          d.resourceType(r.group(), r.kind()).map(ResourceType::namespaced).orElse(true);
      if (!namespaced && !info.managesClusterResources()) {
        out.add(
            new AppCondition(
                AppCondition.Type.COMPARISON_ERROR,
                "Cluster level "
                    + r.kind()
                    + " \""
                    + r.name()
                    + "\" can not be managed when in namespaced mode"));
      } else if (namespaced && !info.managesNamespace(r.namespace().orElse(""))) {
        out.add(
            new AppCondition(
                AppCondition.Type.COMPARISON_ERROR,
                "namespace \""
                    + r.namespace().orElse("")
                    + "\" for "
                    + r.kind()
                    + " \""
                    + r.name()
                    + "\" is not managed"));
      }
    }
    return out;
  }

  private ResourceKey statusKey() {
    return new ResourceKey("", "ConfigMap", statusNamespace, "glidepath-" + app.name());
  }

  @Override
  public AppStatus reconcile() {
    return reconcile(false);
  }

  /** The app's name. */
  public String name() {
    return app.name();
  }

  /**
   * How many reconciles compared desired and live state; a reconcile that found nothing changed
   * since the last comparison reuses its outcome and is not counted.
   */
  public long comparisons() {
    return comparisons.get();
  }

  private AppStatus reconcile(boolean periodic) {
    AppStatus s;
    boolean stopNow;
    synchronized (lock) {
      publish = true;
      try {
        s = reconcileLocked(periodic);
      } catch (FencedWriteException e) {
        // sharding: this replica lost the app's claim during the reconcile; it writes nothing more
        // (no status either: the app's new owner reports it)
        LOG.info("{}", e.getMessage());
        publish = false;
        s = comparisonError("", e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        if (Thread.currentThread().isInterrupted()) {
          // the controller is stopping and interrupted this reconcile's request: not a failure of
          // the app, and nothing more is written
          LOG.info("reconcile of app {} interrupted: {}", app.name(), describe(e));
          publish = false;
          s = comparisonError("", "interrupted: " + describe(e));
        } else {
          // a resource or spec this controller cannot handle must not stop the loop, nor leave
          // the app without a status: the app gets a ComparisonError and the next reconcile tries
          // again
          LOG.error("unexpected failure reconciling app {}", app.name(), e);
          s = comparisonError("", "unexpected failure: " + describe(e));
        }
      }
      if (publish) {
        s =
            publishObserved(
                withExcludedWarnings(withOrphanWarnings(s))
                    .withSummary(observedSourceType, observedSummary));
      }
      last = s;
      listener.reconciled(s);
      stopNow = stopAfterReconcile;
      stopAfterReconcile = false;
    }
    if (stopNow) {
      stop(); // outside the lock: a reconcile waiting for it must not hold up the stop
    }
    return s;
  }

  private AppStatus reconcileLocked(boolean periodic) {
    if (followApplicationObject) {
      ensureApplicationWatch();
      adoptApplicationObject(periodic);
    }
    loadHistory();
    if (inApplication && followApplicationObject) {
      Optional<AppStatus> notNow = followApplicationObject(periodic);
      if (notNow.isPresent()) {
        return notNow.get();
      }
    }
    Optional<AppStatus> noCluster = chooseDestination();
    if (noCluster.isPresent()) {
      return noCluster.get();
    }
    // the desired state; null while it is the render the last comparison read (kept), which is
    // then not read back into trees unless this reconcile compares
    DesiredState desired;
    KeptRender kept;
    try {
      kept = source instanceof KeptRenderSource k ? k.unchanged(app) : null;
      Compared last = compared;
      desired =
          kept != null && last != null && last.render() == kept
              ? null
              : kept != null ? kept.state() : source.fetch(app);
    } catch (RuntimeException e) {
      return comparisonError("", "could not get the desired state: " + e.getMessage());
    }
    DesiredState shape = desired != null ? desired : kept.shape();
    String revision = shape.revision();
    String finalizerProblem =
        keepPostDeleteFinalizers(
            desired != null ? PostDeleteHooks.any(desired.resources()) : kept.postDeleteHooks());
    if (!finalizerProblem.isEmpty()) {
      return status(revision, false, false, finalizerProblem);
    }
    observedSourceType = shape.sourceType();
    observedSourceTypes =
        shape.sources().stream()
            .map(x -> x.sourceType().map(SourceType::argoName).orElse(""))
            .toList();
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
    Compared inputs = comparedInputs(desired, kept);
    Compared before = compared;
    compared = null;
    if (inputs != null && inputs.same(before) && requestedOperation == null) {
      // nothing the last comparison read has changed since: it found the app in sync, so would
      // this one (no render, no live read, no comparison, no write); kept with the source's own
      // render from now on, which the next reconcile then recognizes without reading it back
      compared = inputs.render() != null ? inputs.kept() : before;
      heals = 0;
      return status(revision, true, false, "in sync");
    }
    if (desired == null) {
      desired = kept.state(); // inputs keeps the render itself
    }
    comparisons.incrementAndGet();
    Comparison comparison;
    DriftReport drift;
    try {
      ArgoCdSettings cm = inputs != null ? inputs.settings() : settings.get();
      ResourceFilter filter = cm.resourceFilter();
      String server = destinationServer();
      ResourceSet placed = included(placed(desired.resources()), filter, server);
      List<AppCondition> unmanaged = unmanaged(placed);
      if (!unmanaged.isEmpty()) {
        return new AppStatus(
            app.name(),
            revision,
            false,
            false,
            lastSynced.isEmpty() ? Optional.empty() : Optional.of(lastSynced),
            now,
            "not synced: " + unmanaged.get(0).message(),
            unmanaged);
      }
      ProjectVerdict rendered = guardFor(destination()).checkResources(resolvedApp(), placed);
      if (!rendered.permitted()) {
        return refuse(revision, rendered, now);
      }
      // Argo CD: the system-level ignoreDifferences of argocd-cm apply with the app's own
      DriftDetector detector =
          DriftDetector.of(
              cm.ignoreDifferences().isEmpty()
                  ? app.diffOptions()
                  : DiffOptions.builder()
                      .ignoreDifferences(app.ignoreDifferences())
                      .ignoreDifferences(cm.ignoreDifferences())
                      .build());
      comparison = new Comparison(desired, kept, placed, filter, server, detector);
      drift = compareLive(comparison, periodic);
    } catch (GlidepathException e) {
      // Argo CD: a cluster that cannot be read leaves the app's sync status Unknown (no revision)
      RegisteredCluster info = destinationInfo;
      return comparisonError(
          "",
          "could not compare with the cluster"
              + (info == null ? "" : " " + info.name())
              + ": "
              + e.getMessage());
    }
    JsonNode requested = requestedOperation;
    if (drift.isInSync() && requested == null) {
      heals = 0;
      compared = inputs == null ? null : inputs.kept();
      return status(revision, true, false, "in sync");
    }
    Optional<Automated> automated = app.syncPolicy().automated();
    if (requested != null) {
      return syncRequested(requested, revision, drift, comparison, now);
    }
    if (automated.isEmpty()) {
      return status(
          revision, false, false, "out of sync (" + drift.summary() + "); sync is manual");
    }
    // Argo CD: the same commit synced from the same source (target revision aside) is not again
    boolean attempted =
        revision.equals(lastAttempted)
            && (lastAttemptedSources == null
                || ApplicationSpec.sameSources(lastAttemptedSources, app.allSources()));
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
      if (!nextHealAt.equals(healWakeUp) && wakeUpAt(nextHealAt, now)) {
        // a running loop heals when the backoff ends, without waiting for another event
        healWakeUp = nextHealAt;
      }
      return status(revision, false, false, "out of sync; selfHeal waits until " + nextHealAt);
    }
    SyncPlan plan;
    try {
      plan = SyncPlanner.create().plan(drift, SyncSettings.of(app));
    } catch (GlidepathException e) {
      return status(revision, false, false, "sync refused: " + e.getMessage());
    }
    ProjectVerdict verdict = guardFor(destination()).checkSync(resolvedApp(), plan, manualSync);
    if (!verdict.permitted()) {
      return refuse(revision, verdict, now);
    }
    listener.planned(app.name(), plan);
    listener.syncStarted(
        app.name(), revision, attempted ? SyncReason.SELF_HEAL : SyncReason.NEW_REVISION);
    SyncResult result =
        engineFor(destination())
            .sync(
                app.name(),
                plan,
                app.syncPolicy().retry().orElse(new Retry(0, Retry.Backoff.DEFAULT)));
    listener.syncFinished(app.name(), result);
    compareAfterSync(comparison);
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
    lastAttemptedSources = app.allSources();
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
   * A sync the object's {@code operation} asked for (Argo CD's manual sync; an ApplicationSet's
   * RollingSync): done once, with the prune it states, then the operation is removed.
   */
  private AppStatus syncRequested(
      JsonNode requested, String revision, DriftReport drift, Comparison comparison, Instant now) {
    for (Map.Entry<String, JsonNode> f : requested.path("sync").properties()) {
      if (!REQUEST_FIELDS.contains(f.getKey())) {
        clearRequest();
        return status(
            revision,
            false,
            false,
            "requested sync refused: operation.sync."
                + f.getKey()
                + " is not supported by Glidepath (prune and syncOptions are)");
      }
    }
    List<String> asked = new ArrayList<>();
    requested.path("sync").path("syncOptions").forEach(o -> asked.add(o.asString("")));
    if (requested.path("sync").has("syncOptions")
        && !asked.equals(app.syncPolicy().syncOptions().options())) {
      clearRequest();
      return status(
          revision,
          false,
          false,
          "requested sync refused: operation.sync.syncOptions "
              + asked
              + " differ from the app's syncPolicy.syncOptions, and Glidepath syncs with the"
              + " app's");
    }
    SyncSettings automatic = SyncSettings.of(app);
    SyncSettings settings =
        new SyncSettings(
            requested.path("sync").path("prune").asBoolean(false),
            false,
            automatic.options(),
            automatic.destinationNamespace(),
            automatic.namespaceMetadata());
    SyncPlan plan;
    try {
      plan = SyncPlanner.create().plan(drift, settings);
    } catch (GlidepathException e) {
      clearRequest();
      return status(revision, false, false, "requested sync refused: " + e.getMessage());
    }
    ProjectVerdict verdict = guardFor(destination()).checkSync(resolvedApp(), plan, true);
    if (!verdict.permitted()) {
      clearRequest();
      return refuse(revision, verdict, now);
    }
    listener.planned(app.name(), plan);
    listener.syncStarted(app.name(), revision, SyncReason.REQUESTED);
    SyncResult result =
        engineFor(destination())
            .sync(
                app.name(),
                plan,
                app.syncPolicy().retry().orElse(new Retry(0, Retry.Backoff.DEFAULT)));
    listener.syncFinished(app.name(), result);
    compareAfterSync(comparison);
    heals = 0;
    nextHealAt = Instant.MIN;
    lastAttempted = revision;
    lastAttemptedSources = app.allSources();
    if (result.succeeded()) {
      lastSynced = revision;
    }
    requestedSync = requested;
    operationEnded = false;
    String persisted;
    try {
      persisted = persist(revision, result);
    } finally {
      requestedSync = null;
    }
    String cleared;
    if (operationEnded) {
      requestedOperation = null; // the status write removed it
      cleared = "";
    } else {
      cleared = clearRequest();
    }
    String message =
        (result.succeeded()
                ? "synced " + revision + " (requested)"
                : "requested sync of " + revision + " failed: " + result.message())
            + (persisted.isEmpty() ? "" : "; " + persisted)
            + (cleared.isEmpty() ? "" : "; " + cleared);
    return status(revision, result.succeeded(), true, message);
  }

  private String clearRequest() {
    requestedOperation = null;
    try {
      return appStatus.clearOperation();
    } catch (GlidepathException e) {
      return "operation not cleared: " + e.getMessage();
    }
  }

  // ------------------------------------------------------------------ the Application object

  /**
   * Takes the app from its Application object, as Argo CD does: the object's current spec, or a
   * status saying why nothing else is done now (the object is gone, being deleted, or its spec is
   * invalid). A started controller reads the object from its watch, a periodic resync or a
   * controller that is not started with a GET.
   */
  private Optional<AppStatus> followApplicationObject(boolean periodic) {
    requestedOperation = null;
    byte[] seen = watchedJson(periodic);
    if (seen != null && seen == followedJson) {
      // the very object the last reconcile followed (no event since): same spec, no operation,
      // not being deleted; nothing to read again
      return Optional.empty();
    }
    followedJson = null;
    Optional<Resource> object;
    try {
      object = readApplicationObject(periodic);
    } catch (GlidepathException e) {
      publish = false;
      return Optional.of(
          status(
              "",
              false,
              false,
              "could not read " + appStatus.key() + ", nothing done: " + e.getMessage()));
    }
    if (object.isEmpty()) {
      return Optional.of(applicationGone(""));
    }
    String uid = object.get().body().path("metadata").path("uid").asString("");
    if (!followedUid.isEmpty() && !uid.isEmpty() && !uid.equals(followedUid)) {
      // deleted and created again: a new app in Argo CD, nothing carries over from the old object
      forgetApplicationObject();
      loadHistory();
      loadedObject = null;
    }
    followedUid = uid;
    deleted = false;
    Resource current = object.get();
    setCurrentObject(current);
    JsonNode operation = current.body().path("operation");
    if (operation.path("sync").isObject()) {
      requestedOperation = operation;
    }
    if (ApplicationDeletion.deleting(current.body())) {
      publish = false;
      return Optional.of(finalizeDeletion(current));
    }
    Application spec;
    try {
      spec = specs.read(current);
    } catch (GlidepathException e) {
      // nothing is compared or synced with a spec that is only half usable
      observedInvalidSpec = e.getMessage();
      return Optional.of(
          new AppStatus(
              app.name(),
              "",
              false,
              false,
              lastSynced.isEmpty() ? Optional.empty() : Optional.of(lastSynced),
              clock.instant(),
              "invalid spec, nothing synced: " + e.getMessage(),
              List.of(new AppCondition(AppCondition.Type.INVALID_SPEC, e.getMessage()))));
    }
    observedInvalidSpec = "";
    if (!spec.equals(app)) {
      refusal = null; // a changed spec (a project, a window's manualSync) may now be permitted
      app = spec;
      comparedTo = ApplicationObjectStatus.comparedTo(spec);
      // a Git trigger follows the revision the spec names now
      triggers.forEach(t -> t.follow(spec));
    }
    if (requestedOperation == null) {
      followedJson = seen;
    }
    return Optional.empty();
  }

  /**
   * The JSON of the object as the started controller's watch holds it, when this reconcile reads
   * the object from the watch; null otherwise.
   */
  private byte[] watchedJson(boolean periodic) {
    ApplicationObjectWatch w = appWatch;
    if (loadedObject != null || w == null || !w.synced() || (periodic && !cacheFirst)) {
      return null;
    }
    return w.currentJson();
  }

  /**
   * A controller whose status is in the ConfigMap (no Application object when it looked) adopts an
   * object of the app's name that appeared since: a started controller sees it in its watch, a
   * periodic resync with a GET. The history is then read again, from the object (or, while the
   * object records no sync, from the ConfigMap, so the ConfigMap's history carries over).
   */
  private void adoptApplicationObject(boolean periodic) {
    if (!historyLoaded || inApplication) {
      return;
    }
    ApplicationObjectWatch w = appWatch;
    boolean appeared;
    if (w != null && w.synced()) {
      appeared = w.current().isPresent();
    } else if (periodic) {
      try {
        appeared = appStatus.find().isPresent();
      } catch (GlidepathException e) {
        appeared = false; // looked for again at the next resync
      }
    } else {
      appeared = false;
    }
    if (appeared) {
      forgetApplicationObject();
    }
  }

  /** What was read from (or written to) the object followed so far: read again next. */
  private void forgetApplicationObject() {
    historyLoaded = false;
    inApplication = false;
    lastAttempted = "";
    lastSynced = "";
    lastAttemptedSources = null;
    history = Yaml.mapper().createArrayNode();
    written = ApplicationObjectStatus.Observation.NONE;
    writtenInvalidSpec = "";
    writtenExcluded = List.of();
    writtenDeletionError = null;
    heals = 0;
    nextHealAt = Instant.MIN;
    refusal = null;
  }

  /** The Application object as last read (null: none). */
  private Resource currentObject() {
    byte[] json = currentObjectJson;
    return json == null ? null : APPLICATION_OBJECTS.resource(json);
  }

  private void setCurrentObject(Resource object) {
    currentObjectJson = object == null ? null : APPLICATION_OBJECTS.pack(object.body());
    postDeleteFinalizer =
        object != null && PostDeleteHooks.holds(object.body(), PostDeleteHooks.FINALIZER);
    postDeleteCleanupFinalizer =
        object != null && PostDeleteHooks.holds(object.body(), PostDeleteHooks.CLEANUP_FINALIZER);
  }

  private Optional<Resource> readApplicationObject(boolean periodic) {
    Resource loaded = loadedObject;
    loadedObject = null;
    if (loaded != null) {
      return Optional.of(loaded);
    }
    ApplicationObjectWatch w = appWatch;
    if ((!periodic || cacheFirst) && w != null && w.synced()) {
      return w.current();
    }
    return appStatus.find();
  }

  /**
   * A started controller watches its Application object (retried each reconcile until it works).
   */
  private void ensureApplicationWatch() {
    if (loop == null || appWatch != null || !appStatus.served()) {
      return;
    }
    ApplicationObjectWatch w;
    try {
      w = ApplicationObjectWatch.start(cluster, appStatus.key(), this::refresh);
    } catch (RuntimeException e) {
      return; // read with a GET meanwhile
    }
    synchronized (startStop) {
      if (loop == null) {
        w.close(); // stopped meanwhile
      } else {
        appWatch = w;
      }
    }
  }

  /** The object is gone: the app is no longer reconciled (told once); a started loop stops. */
  private AppStatus applicationGone(String prefix) {
    publish = false;
    if (!deleted) {
      deleted = true;
      listener.applicationDeleted(app.name());
      stopAfterReconcile = loop != null;
    }
    return status(
        "",
        false,
        false,
        prefix
            + appStatus.key()
            + " was deleted from the cluster; the app is no longer reconciled");
  }

  /**
   * As Argo CD: the Application object carries the PostDelete finalizers while the app renders
   * PostDelete hooks ({@code want}), and not otherwise. Returns a problem, or "".
   */
  private String keepPostDeleteFinalizers(boolean want) {
    if (!inApplication || !followApplicationObject || currentObjectJson == null) {
      return "";
    }
    boolean has = postDeleteFinalizer && postDeleteCleanupFinalizer;
    boolean any = postDeleteFinalizer || postDeleteCleanupFinalizer;
    if (want == has && (want || !any)) {
      return "";
    }
    Resource object = currentObject();
    String problem = "";
    try {
      if (want && !has) {
        problem =
            deletion()
                .addFinalizers(
                    object, List.of(PostDeleteHooks.FINALIZER, PostDeleteHooks.CLEANUP_FINALIZER));
      } else if (!want && any) {
        problem = deletion().removeFinalizer(object, PostDeleteHooks.FINALIZER);
        Optional<Resource> after = problem.isEmpty() ? appStatus.find() : Optional.empty();
        if (after.isPresent()) {
          problem = deletion().removeFinalizer(after.get(), PostDeleteHooks.CLEANUP_FINALIZER);
        }
      } else {
        return "";
      }
      if (problem.isEmpty()) {
        setCurrentObject(appStatus.find().orElse(object));
      }
    } catch (GlidepathException e) {
      problem = e.getMessage();
    }
    return problem.isEmpty() ? "" : "PostDelete finalizers not kept in step: " + problem;
  }

  /**
   * The object has a deletionTimestamp. With Argo CD's resources finalizer: delete the app's
   * resources, then remove the finalizer; then, with the PostDelete finalizers, run the app's
   * PostDelete hooks and clean them up; without any of these: nothing to do but wait.
   */
  private AppStatus finalizeDeletion(Resource object) {
    Optional<String> finalizer = ApplicationDeletion.cascadeFinalizer(object.body());
    boolean hooks =
        PostDeleteHooks.holds(object.body(), PostDeleteHooks.FINALIZER)
            || PostDeleteHooks.holds(object.body(), PostDeleteHooks.CLEANUP_FINALIZER);
    if (finalizer.isEmpty() && !hooks) {
      return status(
          "",
          false,
          false,
          appStatus.key()
              + " is being deleted without "
              + Application.RESOURCES_FINALIZER
              + ": nothing synced, its resources are left as they are");
    }
    // judged against the project the object names now (an edit just before the deletion counts)
    Application deleting;
    try {
      deleting = ApplicationSpec.read(object);
    } catch (GlidepathException e) {
      deleting = app;
    }
    // the cascade acts on the destination the object names, even when this controller has not
    // reconciled the app before (it first sees the object being deleted)
    Optional<AppStatus> noCluster = chooseDestination(deleting);
    if (noCluster.isPresent()) {
      return undefinedClusterDeletion(object, noCluster.get().conditions().get(0).message());
    }
    deleting = resolvedApp(deleting);
    if (finalizer.isEmpty()) {
      return runPostDeleteHooks(deleting, object, "");
    }
    ApplicationDeletion.Outcome out;
    try {
      out = deletion().finalizeDeletion(deleting, object, finalizer.get());
    } catch (GlidepathException e) {
      wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
      String problem = "deleting the app's resources failed: " + e.getMessage();
      return status("", false, false, problem + writeDeletionError(object, problem));
    }
    String done =
        "deleted "
            + out.deleted()
            + " resource(s) of the app"
            + (out.notPermitted().isEmpty()
                ? ""
                : " (project "
                    + deleting.project()
                    + " does not permit deleting the rest: "
                    + String.join("; ", out.notPermitted())
                    + ")");
    String failed = String.join("; ", out.failures());
    if (out.finalizerRemoved()) {
      Optional<Resource> after;
      try {
        after = appStatus.find();
      } catch (GlidepathException e) {
        after = Optional.of(object);
      }
      if (after.isEmpty()) {
        return applicationGone(done + " and removed " + finalizer.get() + "; ");
      }
      if (hooks) {
        return runPostDeleteHooks(
            deleting, after.get(), done + " and removed " + finalizer.get() + "; ");
      }
      return status(
          "",
          false,
          false,
          done
              + " and removed "
              + finalizer.get()
              + "; other finalizers hold the object"
              + writeDeletionError(after.get(), ""));
    }
    wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
    return status(
        "",
        false,
        false,
        appStatus.key()
            + " is being deleted: "
            + done
            + ", "
            + out.remaining()
            + " still there"
            + (failed.isEmpty() ? "" : "; " + failed)
            + writeDeletionError(object, failed));
  }

  /**
   * As Argo CD: an app being deleted whose destination cluster is not known loses its resources
   * finalizer and its PostDelete finalizers, and nothing is deleted anywhere ("Resource entries
   * removed from undefined cluster").
   */
  private AppStatus undefinedClusterDeletion(Resource object, String problem) {
    List<String> ours = new ArrayList<>();
    ApplicationDeletion.cascadeFinalizer(object.body()).ifPresent(ours::add);
    for (String f : List.of(PostDeleteHooks.FINALIZER, PostDeleteHooks.CLEANUP_FINALIZER)) {
      if (PostDeleteHooks.holds(object.body(), f)) {
        ours.add(f);
      }
    }
    String said =
        "the app's destination is not known ("
            + problem
            + "): nothing deleted, removed "
            + String.join(", ", ours)
            + " as Argo CD does for an undefined cluster; ";
    String failed;
    try {
      // only the finalizers are written: no resource is deleted, so no kind is left out
      failed =
          new ApplicationDeletion(cluster, cluster, guard, r -> true)
              .removeFinalizers(object, ours);
    } catch (GlidepathException e) {
      failed = e.getMessage();
    }
    if (!failed.isEmpty()) {
      wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
      return status("", false, false, appStatus.key() + " is being deleted: " + failed);
    }
    Optional<Resource> after;
    try {
      after = appStatus.find();
    } catch (GlidepathException e) {
      after = Optional.of(object);
    }
    if (after.isEmpty()) {
      return applicationGone(said);
    }
    return status("", false, false, said + "other finalizers hold the object");
  }

  /**
   * One pass of the PostDelete stage of a deletion, once the app's resources are gone: runs the
   * hooks (rendered now) until none is progressing and removes {@link PostDeleteHooks#FINALIZER},
   * then deletes them by their policies and removes {@link PostDeleteHooks#CLEANUP_FINALIZER}.
   */
  private AppStatus runPostDeleteHooks(Application deleting, Resource object, String before) {
    Resource current = object;
    String said = before;
    try {
      if (PostDeleteHooks.holds(current.body(), PostDeleteHooks.FINALIZER)) {
        DesiredState desired = source.fetch(deleting);
        PostDeleteHooks.Pass pass = postDelete().run(deleting, placed(desired.resources()));
        if (!pass.done()) {
          wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
          return status(
              "", false, false, appStatus.key() + " is being deleted: " + said + pass.message());
        }
        String problem = deletion().removeFinalizer(current, PostDeleteHooks.FINALIZER);
        if (!problem.isEmpty()) {
          wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
          return status("", false, false, said + pass.message() + "; " + problem);
        }
        said += pass.message() + " and removed " + PostDeleteHooks.FINALIZER + "; ";
        Optional<Resource> after = appStatus.find();
        if (after.isEmpty()) {
          return applicationGone(said);
        }
        current = after.get();
      }
      if (PostDeleteHooks.holds(current.body(), PostDeleteHooks.CLEANUP_FINALIZER)) {
        PostDeleteHooks.Pass pass = postDelete().cleanup(deleting);
        if (!pass.done()) {
          wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
          return status(
              "", false, false, appStatus.key() + " is being deleted: " + said + pass.message());
        }
        String problem = deletion().removeFinalizer(current, PostDeleteHooks.CLEANUP_FINALIZER);
        if (!problem.isEmpty()) {
          wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
          return status("", false, false, said + pass.message() + "; " + problem);
        }
        said += pass.message() + " and removed " + PostDeleteHooks.CLEANUP_FINALIZER + "; ";
        Optional<Resource> after = appStatus.find();
        if (after.isEmpty()) {
          return applicationGone(said);
        }
        current = after.get();
      }
    } catch (RuntimeException e) {
      wakeUpAt(clock.instant().plus(DELETION_RECHECK), clock.instant());
      String problem = "running the app's PostDelete hooks failed: " + e.getMessage();
      return status("", false, false, said + problem + writeDeletionError(current, problem));
    }
    return status(
        "",
        false,
        false,
        said + "other finalizers hold the object" + writeDeletionError(current, ""));
  }

  /**
   * Keeps Argo CD's {@code DeletionError} condition of the object in step with the last deletion
   * pass: set to {@code problem}, or removed when it is "". Writes only when that changes; returns
   * a problem for the status message, or "".
   */
  private String writeDeletionError(Resource object, String problem) {
    String holds =
        writtenDeletionError != null
            ? writtenDeletionError
            : ApplicationDeletion.deletionErrorMessage(object.body());
    if (holds.equals(problem)) {
      writtenDeletionError = holds;
      return "";
    }
    ObjectNode status = Yaml.mapper().createObjectNode();
    status.set("conditions", ApplicationDeletion.conditions(object, problem, clock.instant()));
    String written;
    try {
      written = appStatus.write(status);
    } catch (GlidepathException e) {
      written = "status not saved in " + appStatus.key() + ": " + e.getMessage();
    }
    if (written.isEmpty()) {
      writtenDeletionError = problem;
      return "";
    }
    writtenDeletionError = null; // read from the object again next time
    return "; " + written;
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
      // Argo CD sees no object of a kind argocd-cm excludes, so none is an orphan either
      ResourceFilter filter = settings.get().resourceFilter();
      String server = destinationServer();
      ResourceSet contents =
          destination()
              .namespaceContents(ns)
              .filter(r -> !filter.isExcluded(r.group(), r.kind(), server));
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
      return noted(s, warnings.size() + " orphaned resource(s)", warnings);
    } catch (GlidepathException e) {
      // a warning only: a failed list must not hide the reconcile's outcome
      return s;
    }
  }

  /** Adds an ExcludedResourceWarning per desired resource argocd-cm excludes. */
  private AppStatus withExcludedWarnings(AppStatus s) {
    List<String> excluded = observedExcluded;
    if (excluded.isEmpty()) {
      return s;
    }
    List<AppCondition> conditions = new ArrayList<>(s.conditions());
    for (String message : excluded) {
      conditions.add(new AppCondition(AppCondition.Type.EXCLUDED_RESOURCE_WARNING, message));
    }
    return noted(s, excluded.size() + " resource(s) excluded in the settings", conditions);
  }

  /** {@code s} with {@code note} added to its message and {@code conditions} as its conditions. */
  private static AppStatus noted(AppStatus s, String note, List<AppCondition> conditions) {
    return new AppStatus(
        s.app(),
        s.revision(),
        s.inSync(),
        s.synced(),
        s.lastSyncedRevision(),
        s.reconciledAt(),
        s.message() + "; " + note,
        conditions,
        s.sourceType(),
        s.summary());
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

  /**
   * Schedules a reconcile at {@code at} (a window's end, a selfHeal backoff's end) when the loop
   * runs and that is before the next periodic resync; returns whether one was scheduled.
   */
  private boolean wakeUpAt(Instant at, Instant now) {
    ReconcileLoop l = loop;
    Duration delay = Duration.between(now, at);
    // stopped meanwhile: a restarted loop reconciles at once anyway
    return l != null && delay.compareTo(resyncPeriod) < 0 && l.refreshAfter(delay);
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
              destination()
                  .resourceType(r.group(), r.kind())
                  .map(ResourceType::namespaced)
                  .orElse(true);
          return namespaced ? r.withNamespace(destination.get()) : r;
        });
  }

  /** The server URL of the app's destination, as argocd-cm's cluster globs match it. */
  private String destinationServer() {
    RegisteredCluster info = destinationInfo;
    return info != null ? info.server() : app.destination().server().orElse("");
  }

  /**
   * {@code placed} without the resources whose kind argocd-cm excludes; each left out is noted as
   * Argo CD's ExcludedResourceWarning (its message, in its order).
   */
  private ResourceSet included(ResourceSet placed, ResourceFilter filter, String server) {
    List<String> excluded = new ArrayList<>();
    for (Resource r : placed) {
      if (filter.isExcluded(r.group(), r.kind(), server)) {
        excluded.add(
            "Resource "
                + r.group()
                + "/"
                + r.kind()
                + " "
                + r.name()
                + " is excluded in the settings");
      }
    }
    // Argo CD walks the target objects backwards, so its conditions come in reverse order
    java.util.Collections.reverse(excluded);
    observedExcluded = List.copyOf(excluded);
    return excluded.isEmpty()
        ? placed
        : placed.filter(r -> !filter.isExcluded(r.group(), r.kind(), server));
  }

  /**
   * What a comparison reads besides the live state: the desired state (as the reconcile got it),
   * placed and filtered, and the detector with the app's and the system's ignored differences.
   */
  private record Comparison(
      DesiredState desired,
      KeptRender kept,
      ResourceSet placed,
      ResourceFilter filter,
      String server,
      DriftDetector detector) {}

  /**
   * Compares the desired state with the live state and keeps what the status shows of it (summary,
   * health, resources).
   */
  private DriftReport compareLive(Comparison c, boolean periodic) {
    ResourceSet live = liveState(c.placed(), periodic, c.filter(), c.server());
    DriftReport drift = c.detector().detect(c.placed(), live);
    LiveStateCache lc = cache;
    if (lc != null && (!periodic || cacheFirst) && !drift.isInSync()) {
      // the cache may lag behind the cluster: act only on drift a fresh read confirms
      drift = c.detector().detect(c.placed(), lc.confirm(live, drift));
    }
    observedSummary = ApplicationObjectStatus.summary(drift, app.annotations());
    if (inApplication) {
      Map<ResourceKey, Optional<Health>> healths = ApplicationObjectStatus.health(drift, health);
      observedHealth = ApplicationHealth.aggregate(healths).status().displayName();
      observedResources = ApplicationObjectStatus.resources(drift, healths);
    }
    return drift;
  }

  /**
   * Compares again once a sync has run, against what its writes answered (the cache holds those
   * until the informers show them): the status write that records the sync carries the state after
   * it (Argo CD writes the operation's result, then its refresh after the sync writes the
   * comparison: two writes, one here), and the next reconcile finds nothing changed unless the
   * cluster moved on meanwhile. A comparison that fails leaves the one before the sync, with health
   * Progressing, for the next reconcile to correct.
   */
  private void compareAfterSync(Comparison c) {
    comparedAfterSync = false;
    if (cache == null) {
      return; // no cache to hold what the writes answered: the next reconcile compares
    }
    try {
      KeptRender kept = c.kept();
      if (kept == null && source instanceof KeptRenderSource k) {
        // the render this reconcile fetched, as the source keeps it: the next reconcile then knows
        // it unchanged by identity, without reading it back
        KeptRender now = k.unchanged(app);
        kept = now != null && now.sameAs(c.desired()) ? now : null;
      }
      Compared inputs = comparedInputs(c.desired(), kept);
      if (compareLive(c, false).isInSync() && inputs != null) {
        compared = inputs.kept();
      }
      comparedAfterSync = true;
    } catch (RuntimeException e) {
      // the next reconcile compares (and reports what fails)
      LOG.debug("comparison after the sync of app {} failed: {}", app.name(), describe(e));
    }
  }

  /**
   * The app's live resources: from the started controller's cache, or listed (always on a periodic
   * resync, which also finds kinds the cache does not watch yet). Kinds argocd-cm excludes are
   * neither watched nor returned, so they are neither compared nor pruned (Argo CD).
   */
  private ResourceSet liveState(
      ResourceSet placed, boolean periodic, ResourceFilter filter, String server) {
    DefaultKubeCluster dest = destination();
    Set<ResourceType> desiredTypes = new LinkedHashSet<>();
    for (Resource r : placed) {
      dest.resourceType(r.group(), r.kind()).ifPresent(desiredTypes::add);
    }
    // a kind excluded since it was seen is watched no more by this app
    knownTypes.removeIf(t -> filter.isExcluded(t.group(), t.kind(), server));
    knownTypes.addAll(desiredTypes);
    LiveStateCache c = cache;
    if (c != null) {
      // informers of kinds excluded since they were watched stop once no app uses them
      c.unwatchExcluded(filter, server);
    }
    if (c != null && (!periodic || cacheFirst)) {
      try {
        c.watch(desiredTypes);
        return withoutExcluded(c.liveState(), filter, server);
      } catch (RuntimeException e) {
        // a kind that cannot be watched: list this time, the next reconcile tries again
      }
    }
    ResourceSet live = withoutExcluded(dest.liveState(app.name()), filter, server);
    for (Resource r : live) {
      dest.resourceType(r.group(), r.kind()).ifPresent(knownTypes::add);
    }
    if (c != null) {
      try {
        c.watch(knownTypes);
      } catch (RuntimeException e) {
        // listed this time; the next reconcile tries to watch again
      }
    }
    return live;
  }

  private static ResourceSet withoutExcluded(
      ResourceSet live, ResourceFilter filter, String server) {
    return live.filter(r -> !filter.isExcluded(r.group(), r.kind(), server));
  }

  /**
   * Keeps the Application object's observed status (sync status, revision and comparedTo, health,
   * resources, source type, summary) current; writes only when one of them changed, so an unchanged
   * reconcile writes nothing.
   */
  private AppStatus publishObserved(AppStatus s) {
    if (!inApplication) {
      return s;
    }
    String sync = s.revision().isEmpty() ? "Unknown" : s.inSync() ? "Synced" : "OutOfSync";
    // when Git could not be read, the status keeps the revision it last compared
    String revision = s.revision().isEmpty() ? written.revision() : s.revision();
    Instant now = clock.instant();
    ApplicationObjectStatus.Observation observed = observation(sync, revision, now);
    List<String> excluded = observedExcluded;
    boolean conditionChanged =
        !observedInvalidSpec.equals(writtenInvalidSpec) || !excluded.equals(writtenExcluded);
    if (observed.equals(written) && !conditionChanged) {
      return s;
    }
    String problem;
    try {
      ObjectNode status = observed.toStatus(written, now);
      if (conditionChanged) {
        status.set(
            "conditions",
            ApplicationSpec.conditions(
                currentObject(),
                Map.of(
                    ApplicationSpec.INVALID_SPEC_ERROR,
                    observedInvalidSpec.isEmpty() ? List.of() : List.of(observedInvalidSpec),
                    ApplicationSpec.EXCLUDED_RESOURCE_WARNING,
                    excluded),
                now));
      }
      problem = appStatus.write(status);
    } catch (GlidepathException e) {
      problem = "status not saved in " + appStatus.key() + ": " + e.getMessage();
    }
    if (!problem.isEmpty()) {
      return noted(s, problem, s.conditions());
    }
    written = observed;
    writtenInvalidSpec = observedInvalidSpec;
    writtenExcluded = excluded;
    return s;
  }

  /**
   * The observed part of the status now; the health's transition time kept while it is the same.
   */
  private ApplicationObjectStatus.Observation observation(
      String sync, String revision, Instant now) {
    return new ApplicationObjectStatus.Observation(
            sync,
            revision,
            written.health(),
            written.healthSince(),
            observedResources,
            comparedTo,
            observedSourceType,
            observedSummary,
            observedSourceTypes)
        .withHealth(observedHealth, now);
  }

  /**
   * The inputs of a comparison now, or null when a comparison must run anyway: the live state does
   * not come from a manager's cache (a periodic resync of a controller of its own lists), or the
   * project cannot be read. {@code desired}: the desired state as the source gave it (null: not
   * read back); {@code kept}: the source's kept render it is (null: not kept by the source).
   */
  private Compared comparedInputs(DesiredState desired, KeptRender kept) {
    LiveStateCache c = cache;
    if (!cacheFirst || c == null) {
      return null;
    }
    // read before the settings and the live state, so a change meanwhile makes the next differ
    long changes = liveChanges.get();
    // the project object as the source gives it; none found: Argo CD's permissive default (for
    // "default"), or a refusal that the comparison reports, the same for the same name
    Object project;
    try {
      project = guard.projects().find(app.project()).map(p -> (Object) p).orElse(app.project());
    } catch (RuntimeException e) {
      return null; // the comparison reports it
    }
    return new Compared(
        app, desired, kept, c, changes, settings.get(), destination(), destinationInfo, project);
  }

  /** A status with a {@code COMPARISON_ERROR} condition carrying {@code message}. */
  private AppStatus comparisonError(String revision, String message) {
    String safe = Redaction.urls(message);
    return new AppStatus(
        app.name(),
        revision,
        false,
        false,
        lastSynced.isEmpty() ? Optional.empty() : Optional.of(lastSynced),
        clock.instant(),
        safe,
        List.of(new AppCondition(AppCondition.Type.COMPARISON_ERROR, safe)));
  }

  /** An unexpected failure in one line: its type and message (no stack trace). */
  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null || message.isBlank()
            ? ""
            : ": " + message.strip().lines().findFirst().orElse(""));
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
      ApplicationObjectWatch w = appWatch;
      Optional<Resource> application =
          cacheFirst && w != null && w.synced() ? w.current() : appStatus.find();
      if (application.isPresent()) {
        inApplication = true;
        loadedObject = application.get();
        setCurrentObject(application.get());
        writtenInvalidSpec = ApplicationSpec.invalidSpecMessage(application.get().body());
        writtenExcluded =
            ApplicationSpec.conditionMessages(
                application.get().body(), ApplicationSpec.EXCLUDED_RESOURCE_WARNING);
        Optional<ApplicationObjectStatus.Loaded> loaded =
            ApplicationObjectStatus.load(application.get());
        if (loaded.isPresent()) {
          lastAttempted = loaded.get().lastAttempted();
          lastSynced = loaded.get().lastSynced();
          written = ApplicationObjectStatus.Observation.of(application.get());
          lastAttemptedSources =
              ApplicationSpec.fromJson(
                      application.get().body().at("/status/operationState/syncResult"))
                  .orElse(null);
          historyLoaded = true;
          return;
        }
        // no sync recorded in the object yet: carry on from a ConfigMap an older run wrote
      }
      // a manager's app asks the watch of the status ConfigMaps first: a new app has none
      Optional<Resource> cm =
          cacheFirst && !cluster.statusConfigMaps().mayExist(statusNamespace, statusKey().name())
              ? Optional.empty()
              : cluster.get(statusKey());
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

  /**
   * Saves the sync in the Application object when the status lives there (else, or when the object
   * is gone, in the ConfigMap); returns a problem for the status message, or "".
   */
  private String persist(String revision, SyncResult result) {
    boolean looked = comparedAfterSync;
    comparedAfterSync = false;
    if (inApplication) {
      try {
        // the object as the watch shows it, not read again: the write's precondition tells
        Optional<Resource> application = statusBasis();
        if (application.isPresent()) {
          String sync = result.succeeded() ? "Synced" : "OutOfSync";
          if (result.succeeded() && !looked) {
            // what was just applied has not been looked at yet: Argo CD shows Progressing too
            observedHealth = HealthStatus.PROGRESSING.displayName();
          }
          Instant now = clock.instant();
          ApplicationObjectStatus.Observation observed = observation(sync, revision, now);
          ApplicationObjectStatus.Observation previous = written;
          JsonNode requested = requestedSync;
          // a requested sync's operation ends in the same write (Argo CD's last operation state)
          Optional<String> problem =
              appStatus.write(
                  application.get(),
                  object ->
                      ApplicationObjectStatus.afterSync(
                          object, app, revision, result, observed, previous, now, requested),
                  requested != null);
          if (problem.isPresent()) {
            if (problem.get().isEmpty()) {
              written = observed;
              operationEnded = requested != null;
            }
            return problem.get();
          }
          // gone since the watch showed it
        }
        if (followApplicationObject) {
          // deleted meanwhile: the next reconcile finds it gone (no ConfigMap in its place)
          return "status not saved: " + appStatus.key() + " is gone";
        }
        inApplication = false;
      } catch (GlidepathException e) {
        return "status not saved in " + appStatus.key() + ": " + e.getMessage();
      }
    }
    return persistInConfigMap(revision, result);
  }

  /**
   * The Application object a status write starts from: as a started controller's watch holds it
   * (the write's resourceVersion precondition refuses it when it is no longer current), else read.
   */
  private Optional<Resource> statusBasis() {
    ApplicationObjectWatch w = appWatch;
    if (w != null && w.synced()) {
      Optional<Resource> watched = w.current();
      if (watched.isPresent()) {
        return watched;
      }
    }
    return appStatus.find();
  }

  /** Writes the status ConfigMap; returns a problem for the status message, or "". */
  private String persistInConfigMap(String revision, SyncResult result) {
    ObjectNode entry = history.addObject();
    entry.put("revision", revision);
    if (comparedTo.has("sources")) {
      entry.set("sources", comparedTo.get("sources").deepCopy());
    } else {
      entry.set("source", comparedTo.get("source").deepCopy());
    }
    observedSourceType.ifPresent(t -> entry.put("sourceType", t.argoName()));
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
    while (history.size() > app.revisionHistoryLimit()) {
      history.remove(0);
    }
    ObjectNode cm = Yaml.mapper().createObjectNode();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata");
    meta.put("name", statusKey().name());
    meta.put("namespace", statusNamespace);
    meta.putObject("labels").put(StatusConfigMaps.LABEL, app.name());
    Optional<String> owner = WriteFence.current().flatMap(WriteFence.Check::ownerStamp);
    if (owner.isPresent()) {
      // under sharding: the writer's claim epoch; the write carries the resourceVersion read before
      // its fencing check, so a replica that lost the app cannot overwrite what the new owner wrote
      meta.putObject("annotations").put(ItemClaims.OWNER_ANNOTATION, owner.get());
    }
    ObjectNode data = cm.putObject("data");
    data.put("lastAttemptedRevision", lastAttempted);
    data.put("lastSyncedRevision", lastSynced);
    data.put("history", Yaml.toJson(history));
    ResourceType type = cluster.typeOf(statusKey());
    String path = type.itemPath(statusNamespace, statusKey().name());
    KubeApi.Answer a =
        cluster
            .api()
            .patchAtReadVersion(
                path + "?fieldManager=" + FIELD_MANAGER + "&force=true",
                "application/apply-patch+yaml",
                cm,
                path,
                statusKey());
    if (!a.ok()) {
      return "status not saved (" + a.code() + " " + a.reason() + "): " + a.message();
    }
    cluster.statusConfigMaps().written(statusNamespace, statusKey().name());
    return "";
  }

  // ------------------------------------------------------------------ loop

  @Override
  public void start() {
    if (cacheFirst && destination == null) {
      // the destination first, so that the cache below is the destination's and the first
      // reconcile reads memory instead of listing every kind of the cluster
      synchronized (lock) {
        try {
          chooseDestination();
        } catch (RuntimeException e) {
          // the first reconcile chooses again and reports it
        }
      }
    }
    synchronized (startStop) {
      if (loop != null) {
        return;
      }
      ReconcileLoop l = loops.get();
      loop = l;
      cacheTried = false;
      if (cacheFirst) {
        // the manager's cache watches every kind: the first reconcile already reads memory
        cacheTried = startCache();
      }
      // otherwise the first resync lists everything (and learns the app's kinds); then the cache
      l.start(
          periodic -> {
            reconcile(periodic);
            if (!cacheTried) {
              cacheTried = startCache();
            }
          });
      Application current = app;
      for (ChangeTrigger t : triggers) {
        t.start(this::refresh);
        t.follow(current);
      }
    }
  }

  /**
   * Starts the live-state cache on the destination's shared informers; false when no destination is
   * known yet (an unknown cluster), so that a later reconcile tries again. A failure to watch
   * counts as tried: reconciles list instead.
   */
  private boolean startCache() {
    DefaultKubeCluster d = destination;
    if (d == null) {
      return false; // no destination yet: reconciles list until one is known
    }
    LiveStateCache c;
    try {
      // the cluster's informers, shared with the other controllers on it
      c =
          new LiveStateCache(
              d,
              app.name(),
              SharedLiveCache.keysOnly(
                  key -> {
                    liveChanges.incrementAndGet();
                    refresh();
                  }));
    } catch (RuntimeException e) {
      // the cluster is closed: reconciles fall back to lists
      return true;
    }
    try {
      c.watch(cacheFirst ? d.liveCache().watchedTypes() : knownTypes);
    } catch (RuntimeException e) {
      // kinds that could not be watched are listed: reconciles fall back to lists
      c.close();
      return true;
    }
    synchronized (startStop) {
      if (loop == null) {
        c.close(); // stopped meanwhile
      } else {
        cache = c;
      }
    }
    return true;
  }

  @Override
  public void refresh() {
    ReconcileLoop l = loop;
    if (l != null) {
      l.refresh();
    }
  }

  @Override
  public Optional<AppStatus> status() {
    return Optional.ofNullable(last);
  }

  @Override
  public void stop() {
    ReconcileLoop l;
    LiveStateCache c;
    ApplicationObjectWatch w;
    synchronized (startStop) {
      l = loop;
      c = cache;
      w = appWatch;
      loop = null;
      cache = null;
      appWatch = null;
      triggers.forEach(ChangeTrigger::stop);
    }
    if (c != null) {
      c.close();
    }
    if (w != null) {
      w.close();
    }
    if (l != null) {
      l.stop();
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

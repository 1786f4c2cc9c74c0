package io.glidepath.kube.controller;

import io.glidepath.core.app.Application;
import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.internal.ChangeTrigger;
import io.glidepath.kube.internal.DefaultApplicationController;
import io.glidepath.kube.internal.GitTrigger;
import io.glidepath.kube.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The GitOps loop for one Argo CD {@link Application}: fetch the desired state, read the live
 * state, detect drift, and, when the app is automated, plan and sync. Argo CD's rules: an automated
 * app is synced once per revision (commit plus parameters) — a failed revision is not retried
 * beyond its retry policy — unless {@code selfHeal}, which reverts drift (with a growing backoff
 * between heals); {@code prune} and {@code allowEmpty} are honoured by the planner; a manual app is
 * only reported. The last attempted and last synced revisions and a short sync history are kept in
 * the cluster, so a restarted controller carries on: in the app's Argo CD {@code Application}
 * object ({@code status.sync} with {@code comparedTo}, {@code status.health}, {@code
 * status.operationState}, {@code status.history}, {@code status.resources}, {@code
 * status.sourceType}, {@code status.summary}, {@code status.reconciledAt}, Argo CD's shape) when
 * the cluster serves that kind and the object exists in the status namespace, else in a ConfigMap
 * {@code glidepath-<app>}. The controller never creates the Application object, and a reconcile
 * that changes nothing writes nothing.
 *
 * <p>Where that Application object exists, it is also the app's spec, as in Argo CD: every
 * reconcile uses the object's current source, destination, project, syncPolicy and
 * ignoreDifferences (the {@link Application} given to the builder only names the app and stands in
 * until the object is read), and passes it to {@link DesiredStateSource#fetch(Application)}. A
 * started controller watches the object (through the {@link KubeCluster}'s one informer on
 * Applications, shared by every controller on it) and reconciles as soon as its spec changes
 * ({@code kubectl edit application}, {@code kubectl apply} of a changed file), and adopts an object
 * created after it started; its {@link Builder#gitWatcher GitWatcher} then also watches the
 * revision the spec names. A changed source is a new sync for automated sync even at the same
 * commit (Argo CD compares the synced source with the spec's). A spec that cannot be read is
 * reported as an {@link AppCondition.Type#INVALID_SPEC} condition (Argo CD's {@code
 * InvalidSpecError} in {@code status.conditions}) and nothing is compared or synced until it is
 * fixed. The object's {@code operation} is a sync request (Argo CD's manual sync; an
 * ApplicationSet's RollingSync): it is synced once, automated or not, with the {@code prune} it
 * states ({@link SyncReason#REQUESTED}), {@code status.operationState} records its {@code
 * initiatedBy}, and the operation is removed; an operation with other {@code sync} fields ({@code
 * revision}, {@code resources}, {@code dryRun}, ...) or other {@code syncOptions} than the app's is
 * refused in the status and removed. When the object is deleted the controller stops reconciling
 * the app ({@link ControllerListener#applicationDeleted}); when it carries Argo CD's {@code
 * resources-finalizer.argocd.argoproj.io}, the app's resources are deleted first and the finalizer
 * is removed (a failed pass is Argo CD's {@code DeletionError} condition until one succeeds). A
 * controller stopped by the deletion follows a re-created object when {@link #start()}ed again, as
 * a new app. See {@link Builder#followApplicationObject}.
 *
 * <p>A started controller reads the app's live resources from informers (one per kind the app owns
 * or Git names) rather than listing them on every reconcile, and reconciles at once when one of
 * them changes (selfHeal) or when its {@link Builder#gitWatcher GitWatcher} sees a new commit; the
 * informers are the {@link KubeCluster}'s, shared by every controller started on the same {@code
 * KubeCluster} object (one watch per kind for all apps; a change wakes only its owner's
 * controller); drift seen in that cache is confirmed with a fresh read before it is acted on, and
 * the periodic resync lists everything. {@link #reconcile()} on a controller that is not started
 * lists.
 *
 * <p>Before the first write of a sync (a server dry run included) the render result and the sync
 * plan are checked against the app's project ({@link Builder#projects}): a violation, or a sync
 * window that blocks the sync, is reported in {@link AppStatus#conditions()} and to {@link
 * ControllerListener#refused}, and nothing is applied. A refused revision is not tried again before
 * the next periodic resync (or, when only a window blocks it, before the window's block ends).
 *
 * <pre>{@code
 * ApplicationController controller =
 *     ApplicationController.builder(app, cluster, GitDesiredStateSource.of(git, app).withoutFetch())
 *         .gitWatcher(watcher) // a reconcile on every new commit
 *         .build();
 * controller.start();          // periodic resync, plus a reconcile on every live change
 * controller.refresh();        // e.g. from a Git webhook
 * }</pre>
 *
 * <p>Thread-safe: reconciles are serialized.
 */
public interface ApplicationController extends AutoCloseable {
  /** Runs one reconcile on the calling thread. */
  AppStatus reconcile();

  /** Starts the periodic resync and the live watch on the controller's own thread. */
  void start();

  /** Stops the loop and the watch; {@link #start()} may start them again. */
  void stop();

  /** Whether the loop is running. */
  boolean running();

  /**
   * A {@link io.glidepath.kube.leader.LeaderListener} that runs this controller only while its
   * instance leads: {@code LeaderElection.builder(...).listener(controller.whileLeading())}.
   */
  default io.glidepath.kube.leader.LeaderListener whileLeading() {
    ApplicationController self = this;
    return new io.glidepath.kube.leader.LeaderListener() {
      @Override
      public void startedLeading() {
        self.start();
      }

      @Override
      public void stoppedLeading() {
        self.stop();
      }
    };
  }

  /** Asks for a reconcile soon (coalesced with one already pending). */
  void refresh();

  /** The status of the last reconcile, if any. */
  Optional<AppStatus> status();

  /** Stops the loop and the watch ({@link #stop()}). */
  @Override
  void close();

  /** A builder for {@code app} on {@code cluster}, rendering with {@code source}. */
  static Builder builder(Application app, KubeCluster cluster, DesiredStateSource source) {
    return new Builder(app, cluster, source);
  }

  /**
   * Settings of an {@link ApplicationController}. Defaults: a {@link SyncEngine} with its defaults,
   * the system clock, resync every {@value #DEFAULT_RESYNC_SECONDS} s, selfHeal backoff from
   * {@value #DEFAULT_SELF_HEAL_SECONDS} s doubling up to 3 min, status in the app's namespace (or
   * {@code default}), the spec taken from the app's Application object where it exists ({@link
   * #followApplicationObject}). Not thread-safe.
   */
  final class Builder {
    public static final long DEFAULT_RESYNC_SECONDS = 180;
    public static final long DEFAULT_SELF_HEAL_SECONDS = 5;

    private final Application app;
    private final KubeCluster cluster;
    private final DesiredStateSource source;
    private SyncEngine engine;
    private io.glidepath.core.health.HealthAssessor health;
    private Clock clock = Clock.systemUTC();
    private Duration resyncPeriod = Duration.ofSeconds(DEFAULT_RESYNC_SECONDS);
    private Duration selfHealBackoff = Duration.ofSeconds(DEFAULT_SELF_HEAL_SECONDS);
    private String statusNamespace;
    private ControllerListener listener = ControllerListener.NONE;
    private ProjectSource projects = ProjectSource.defaults();
    private boolean manualSync;
    private boolean followApplicationObject = true;
    private final List<ChangeTrigger> triggers = new ArrayList<>();
    private io.glidepath.kube.cluster.ClusterResolver clusters;
    private Supplier<ArgoCdSettings> settings = ArgoCdSettings::empty;

    private Builder(Application app, KubeCluster cluster, DesiredStateSource source) {
      this.app = Objects.requireNonNull(app, "app");
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      this.source = Objects.requireNonNull(source, "source");
      this.statusNamespace = app.namespace().isEmpty() ? "default" : app.namespace();
    }

    /** The engine that runs the syncs. */
    public Builder engine(SyncEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * The health checks for the app's {@code status.health} and {@code status.resources} and for
     * the syncs' waves (for example {@code HealthAssessor.builder().argoCdSettings(settings)}).
     * Default: the engine's ({@link SyncEngine#health()}). With an {@link #engine} too, give the
     * same assessor to that engine.
     */
    public Builder health(io.glidepath.core.health.HealthAssessor health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** The clock for backoffs and timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How often to reconcile without a trigger; must be positive. */
    public Builder resyncPeriod(Duration period) {
      this.resyncPeriod = positive("resyncPeriod", period);
      return this;
    }

    /** The first wait between two heals of the same revision; doubles up to 3 min. */
    public Builder selfHealBackoff(Duration backoff) {
      this.selfHealBackoff = positive("selfHealBackoff", backoff);
      return this;
    }

    /**
     * Where the status lives: the {@code Application} object of the app's name in this namespace
     * when the cluster serves the kind and the object exists, else the ConfigMap {@code
     * glidepath-<app>} in it (the namespace must exist). Default: the app's own namespace, or
     * {@code default}.
     */
    public Builder statusNamespace(String namespace) {
      Objects.requireNonNull(namespace, "statusNamespace");
      if (namespace.isBlank()) {
        throw new IllegalArgumentException("statusNamespace must not be blank");
      }
      this.statusNamespace = namespace;
      return this;
    }

    /** Who is told about syncs and reconciles. */
    public Builder listener(ControllerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Where the app's project ({@code spec.project}) is found; default: only the permissive {@code
     * default} project, so an app naming another project is refused until it is supplied.
     */
    public Builder projects(ProjectSource projects) {
      this.projects = Objects.requireNonNull(projects, "projects");
      return this;
    }

    /**
     * Whether this controller's syncs count as manual ones, asked for by a person (like {@code
     * glidepath sync}): a deny window with {@code manualSync: true} then lets them run. Default
     * false: the loop's syncs are automated.
     */
    public Builder manualSync(boolean manual) {
      this.manualSync = manual;
      return this;
    }

    /**
     * Whether the app's Argo CD {@code Application} object, where it exists, is the app's spec
     * (re-read on every reconcile, watched while started, deletion and the resources finalizer
     * honoured), as in Argo CD. Default true. False for a one-off sync of a given file (like {@code
     * glidepath sync --app FILE}): the app given to the builder is used as it is, and the object
     * only holds the status.
     */
    public Builder followApplicationObject(boolean follow) {
      this.followApplicationObject = follow;
      return this;
    }

    /**
     * A watcher of the app's Git revision (module {@code glidepath-git}, an optional dependency of
     * this module: add it to use this): each new commit it finds asks for a reconcile at once,
     * without waiting for the periodic resync. When the app's spec (its Application object) names
     * another {@code targetRevision} than the watcher's, the watcher is asked to watch that one too
     * ({@link io.glidepath.git.watch.GitWatcher#watchAlso}) while the spec names it. {@link
     * ApplicationController#start()} starts the watcher; {@link ApplicationController#stop()} stops
     * the reconciles it asks for (the watcher stays the caller's to close). The {@link
     * DesiredStateSource} should read the same revision, e.g. {@link GitDesiredStateSource}.
     */
    public Builder gitWatcher(io.glidepath.git.watch.GitWatcher watcher) {
      Objects.requireNonNull(watcher, "gitWatcher");
      triggers.add(GitTrigger.of(watcher, source));
      return this;
    }

    /**
     * Where the app's resources go: the cluster its {@code spec.destination} names ({@code server}
     * or {@code name}), looked up on every reconcile, as Argo CD does. An unknown cluster is the
     * app's {@link AppCondition.Type#INVALID_SPEC} condition (Argo CD's message) and nothing is
     * synced; a cluster that cannot be reached leaves the app Unknown with a {@link
     * AppCondition.Type#COMPARISON_ERROR} without holding up controllers of other clusters. The
     * builder's {@code cluster} keeps the Application object and the status. Default: a registry
     * with only the in-cluster default ({@code https://kubernetes.default.svc}, name {@code
     * in-cluster}) served by that cluster. Each destination gets its own sync engine (the
     * controller's clock and health checks); an {@link #engine} given here serves the builder's
     * cluster.
     */
    public Builder clusters(io.glidepath.kube.cluster.ClusterResolver clusters) {
      this.clusters = Objects.requireNonNull(clusters, "clusters");
      return this;
    }

    /**
     * Argo CD's {@code argocd-cm} settings that shape what the controller manages and compares,
     * asked for on every reconcile (so {@code ArgoCdConfigMap::settings} makes the controller
     * follow the ConfigMap in the cluster): {@code resource.exclusions} / {@code
     * resource.inclusions} (an excluded kind is neither watched, compared, synced nor pruned; an
     * excluded resource of the desired state is left out with an {@link
     * AppCondition.Type#EXCLUDED_RESOURCE_WARNING}), and the system-level {@code
     * resource.customizations.ignoreDifferences.<group_kind>} / {@code .all} rules, applied with
     * the app's own {@code ignoreDifferences}. Health checks come from {@link #health} (for example
     * {@code ArgoCdConfigMap.assessor()}). Default: no settings.
     *
     * <pre>{@code
     * try (ArgoCdConfigMap cm = ArgoCdConfigMap.follow(cluster, "argocd", "argocd-cm")) {
     *   ApplicationController c = ApplicationController.builder(app, cluster, source)
     *       .health(cm.assessor()).settings(cm::settings).build();
     * }
     * }</pre>
     *
     * <p>The supplier is called on the controller's thread; it must be fast and never throw.
     */
    public Builder settings(Supplier<ArgoCdSettings> settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Fixed {@code argocd-cm} settings ({@link #settings(Supplier)}). */
    public Builder settings(ArgoCdSettings settings) {
      Objects.requireNonNull(settings, "settings");
      return settings(() -> settings);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, but was " + d);
      }
      return d;
    }

    /** The controller (not started). */
    public ApplicationController build() {
      SyncEngine e;
      if (engine == null) {
        SyncEngine.Builder b = SyncEngine.builder(cluster).clock(clock);
        e = (health == null ? b : b.health(health)).build();
      } else if (health != null && engine.health() != health) {
        throw new IllegalStateException(
            "the engine has other health checks than the controller: give the same HealthAssessor"
                + " to SyncEngine.Builder.health");
      } else {
        e = engine;
      }
      return new DefaultApplicationController(
          app,
          cluster,
          source,
          e,
          clock,
          resyncPeriod,
          selfHealBackoff,
          statusNamespace,
          listener,
          ProjectGuard.of(projects, cluster.scope(), clock),
          manualSync,
          followApplicationObject,
          triggers,
          clusters,
          settings);
    }
  }
}

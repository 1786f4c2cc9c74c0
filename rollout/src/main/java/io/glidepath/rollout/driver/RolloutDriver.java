package io.glidepath.rollout.driver;

import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.internal.driver.BlueGreenEngine;
import io.glidepath.rollout.internal.driver.RolloutEngine;
import io.glidepath.rollout.internal.driver.RolloutShards;
import io.glidepath.rollout.internal.driver.Stoppable;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Drives canary (and blue-green) rollouts: one state machine per workload revision that scales the
 * canary and stable ReplicaSets ({@code <name>-<pod-template-hash>}), pins the canary and stable
 * Services by hash, moves the router's weight (only once the canary is available), waits out
 * pauses, runs step and background analyses, rolls back on failure and promotes at the end.
 *
 * <pre>{@code
 * RolloutDriver driver = RolloutDriver.builder(RolloutCluster.kubernetes(client))
 *     .routers(plan -> TrafficRouter.forPlan(client, plan))
 *     .providers(MetricProviders.of(prometheus))
 *     .scheduler(AnalysisScheduler.of(executor, Clock.systemUTC()))
 *     .listener(WebhookNotifier.of(URI.create("https://hooks.slack.com/...")))
 *     .build();
 * Rollout rollout = driver.start(CanaryPlan.fromRollout(Path.of("rollout.yaml")));
 * }</pre>
 *
 * <h2>Crash safety</h2>
 *
 * <p>Every state change is persisted ({@link RolloutCluster#saveStatus}) <em>before</em> the driver
 * acts on it, and every action is idempotent, so a driver started on the same cluster after a crash
 * resumes exactly: pause timers count from the persisted step start, a completed step is never run
 * again, a failed analysis's abort is persisted before the weight is touched. An analysis that was
 * still measuring when the driver died restarts from its first measurement (it never promotes on a
 * partial analysis). Several drivers may run: only the holder of the rollout's lease acts; the
 * others retry every poll interval.
 *
 * <h2>Replicas</h2>
 *
 * <p>With {@link Builder#sharding}, several drivers (one per replica of the platform service) share
 * the rollouts: each is {@link #offer offered} every rollout and runs the ones the {@link
 * io.glidepath.kube.shard.ShardAssignment} gives to its replica among the live ones, after claiming
 * each ({@link io.glidepath.kube.shard.ItemClaims}, item {@code rollout/<namespace>/<name>}). A
 * replica that takes a rollout over resumes it from its persisted status as after a restart. Every
 * write of a rollout (status, ReplicaSets, Services, routing) is preceded by the fencing check, so
 * a replica that lost the claim while paused writes nothing for it. The claim is the rollout's
 * lease: sharded drivers do not write the rollout's own Lease, so a takeover waits for the claim
 * only.
 *
 * <p>Time comes only from the {@link AnalysisScheduler}: drive a {@code VirtualScheduler} to run
 * hours of rollout in milliseconds. Defaults: poll interval {@value #DEFAULT_POLL_SECONDS} s, lease
 * {@value #DEFAULT_LEASE_SECONDS} s, a random identity.
 *
 * <p>Thread-safe; each rollout's work runs serialized on the scheduler's threads.
 */
public final class RolloutDriver implements AutoCloseable {
  /** Default seconds between looks at a cluster when waiting for a ReplicaSet. */
  public static final int DEFAULT_POLL_SECONDS = 1;

  /** Default lease duration in seconds. */
  public static final int DEFAULT_LEASE_SECONDS = 15;

  /**
   * The field manager of the driver's updates and patches on a Kubernetes cluster (VirtualService
   * and other routing weights, Service selectors, ReplicaSet sizes, status), whatever its client's
   * User-Agent. Not a manual-edit manager for {@code io.glidepath.core.diff.DiffOptions}: a GitOps
   * controller's self-heal leaves the fields it owns alone (Argo CD users add {@code
   * ignoreDifferences} for this), while a {@code kubectl edit} of them is still drift.
   */
  public static final String FIELD_MANAGER = io.glidepath.rollout.internal.Kube.FIELD_MANAGER;

  private final RolloutEngine.Context context;
  private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();
  private final RolloutShards shards; // null without sharding

  private RolloutDriver(Builder b) {
    this.context =
        new RolloutEngine.Context(
            b.cluster,
            b.routers,
            b.providers,
            b.scheduler,
            List.copyOf(b.listeners),
            b.membership == null ? b.identity : b.membership.identity(),
            b.pollInterval,
            b.leaseDuration,
            b.health);
    this.shards =
        b.membership == null
            ? null
            : new RolloutShards(b.membership, b.assignment, context, this::engine, rollouts);
  }

  /** A builder for a driver on {@code cluster}. */
  public static Builder builder(RolloutCluster cluster) {
    return new Builder(cluster);
  }

  /** A driver with one router for every rollout. */
  public static RolloutDriver of(
      RolloutCluster cluster,
      TrafficRouter router,
      MetricProviders providers,
      AnalysisScheduler scheduler) {
    return builder(cluster).routers(p -> router).providers(providers).scheduler(scheduler).build();
  }

  /**
   * Starts (or resumes) rolling out {@code plan}: a revision already in progress in the cluster is
   * resumed from its persisted status, a new one starts at step 0, and a first deployment goes
   * straight to the full replica count.
   */
  public Rollout start(CanaryPlan plan) {
    unsharded();
    return register(engine(prepare(plan), context));
  }

  /**
   * Starts (or resumes) a blue-green rollout: the new revision runs behind the preview Service, the
   * pre-promotion analysis judges it, it is promoted (by hand or after autoPromotionSeconds), the
   * active Service switches to it, and the post-promotion analysis can still switch back.
   */
  public Rollout start(BlueGreenPlan plan) {
    unsharded();
    return register(engine(prepare(plan), context));
  }

  /** Either strategy. */
  public Rollout start(io.glidepath.rollout.RolloutSpec spec) {
    return spec instanceof CanaryPlan c ? start(c) : start((BlueGreenPlan) spec);
  }

  /**
   * With {@link Builder#sharding}: the rollout of {@code spec} (a new revision of a known one
   * replaces it) is run by whichever replica owns it; this driver runs it when its replica owns it
   * and holds its claim, now or after a later rebalance. Every replica must be offered the same
   * rollouts. Returns the rollout when it runs here now.
   *
   * @throws IllegalStateException without sharding (use {@link #start})
   */
  public Optional<Rollout> offer(io.glidepath.rollout.RolloutSpec spec) {
    if (shards == null) {
      throw new IllegalStateException("offer needs sharding (Builder.sharding); use start");
    }
    io.glidepath.rollout.RolloutSpec prepared = prepare(spec);
    return shards.offer(prepared.namespace() + "/" + prepared.name(), prepared);
  }

  /** With sharding: this replica's share of the rollouts offered, for monitoring. */
  public Optional<io.glidepath.kube.shard.ShardStats> shardStats() {
    return shards == null ? Optional.empty() : Optional.of(shards.stats());
  }

  private void unsharded() {
    if (shards != null) {
      throw new IllegalStateException(
          "this driver shares its rollouts with other replicas (Builder.sharding): use offer");
    }
  }

  private io.glidepath.rollout.RolloutSpec prepare(io.glidepath.rollout.RolloutSpec plan) {
    validate(plan);
    if (needsWorkload(plan)) {
      return plan instanceof CanaryPlan c
          ? c.newBuilder().podTemplate(workloadTemplate(plan)).build()
          : ((BlueGreenPlan) plan).newBuilder().podTemplate(workloadTemplate(plan)).build();
    }
    return plan;
  }

  private Rollout engine(io.glidepath.rollout.RolloutSpec plan, RolloutEngine.Context ctx) {
    return plan instanceof CanaryPlan c
        ? new RolloutEngine(ctx, c)
        : new BlueGreenEngine(ctx, (BlueGreenPlan) plan);
  }

  /**
   * Every metric of the plan's templates must run on this driver's providers: refused now (a {@link
   * io.glidepath.analysis.TemplateException}), not at its first measurement.
   */
  private void validate(io.glidepath.rollout.RolloutSpec plan) {
    for (java.util.Map<String, io.glidepath.analysis.AnalysisTemplate> m :
        List.of(plan.templates(), plan.clusterTemplates())) {
      for (io.glidepath.analysis.AnalysisTemplate t : m.values()) {
        for (io.glidepath.analysis.Metric metric : t.metrics()) {
          try {
            context.providers().validate(metric);
          } catch (io.glidepath.analysis.TemplateException e) {
            throw new io.glidepath.analysis.TemplateException(
                t.kind().kindName() + " '" + t.name() + "' (" + t.source() + ")",
                "spec.metrics[" + t.metrics().indexOf(metric) + "]." + e.path(),
                e.problem());
          }
        }
      }
    }
  }

  private static boolean needsWorkload(io.glidepath.rollout.RolloutSpec plan) {
    return plan.options().workloadRef().isPresent() && plan.podTemplate().isEmpty();
  }

  /** The pod template of the workload a plan's workloadRef names, read from the cluster. */
  private tools.jackson.databind.node.ObjectNode workloadTemplate(
      io.glidepath.rollout.RolloutSpec plan) {
    io.glidepath.rollout.WorkloadRef ref = plan.options().workloadRef().get();
    return context
        .cluster()
        .workloadTemplate(plan.namespace(), ref)
        .orElseThrow(
            () ->
                new io.glidepath.rollout.RolloutException(
                    "rollout "
                        + plan.namespace()
                        + "/"
                        + plan.name()
                        + " takes its pod template from "
                        + ref.kind()
                        + " '"
                        + ref.name()
                        + "' (workloadRef), which does not exist"));
  }

  private Rollout register(Rollout engine) {
    Rollout previous = rollouts.put(engine.namespace() + "/" + engine.name(), engine);
    if (previous != null) {
      ((Stoppable) previous).stop();
    }
    engine.reconcile();
    return engine;
  }

  /** The rollout of workload {@code namespace/name} this driver runs. */
  public Optional<Rollout> get(String namespace, String name) {
    return Optional.ofNullable(rollouts.get(namespace + "/" + name));
  }

  /** Every rollout this driver runs. */
  public Collection<Rollout> rollouts() {
    return new ArrayList<>(rollouts.values());
  }

  /**
   * Stops acting: cancels timers and in-flight analyses. The persisted status stays; another driver
   * resumes from it.
   */
  @Override
  public void close() {
    if (shards != null) {
      shards.close(); // stops its rollouts and releases their claims: others take them at once
    }
    rollouts.values().forEach(r -> ((Stoppable) r).stop());
    rollouts.clear();
  }

  /** Builds a {@link RolloutDriver}. Not thread-safe. */
  public static final class Builder {
    private final RolloutCluster cluster;
    private Function<CanaryPlan, TrafficRouter> routers = p -> TrafficRouter.replicaRatio();
    private MetricProviders providers = MetricProviders.of();
    private AnalysisScheduler scheduler;
    private final List<RolloutListener> listeners = new ArrayList<>();
    private String identity = "glidepath-" + UUID.randomUUID();
    private Duration pollInterval = Duration.ofSeconds(DEFAULT_POLL_SECONDS);
    private Duration leaseDuration = Duration.ofSeconds(DEFAULT_LEASE_SECONDS);
    private HealthAssessor health = HealthAssessor.ofDefaults();
    private io.glidepath.kube.shard.ReplicaMembership membership;
    private io.glidepath.kube.shard.ShardAssignment assignment =
        io.glidepath.kube.shard.ShardAssignment.rendezvous();

    private Builder(RolloutCluster cluster) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /** The traffic router of each plan (default: replica ratio). */
    public Builder routers(Function<CanaryPlan, TrafficRouter> routers) {
      this.routers = Objects.requireNonNull(routers, "routers");
      return this;
    }

    /** The metric providers analyses use. */
    public Builder providers(MetricProviders providers) {
      this.providers = Objects.requireNonNull(providers, "providers");
      return this;
    }

    /** Where time comes from and work runs (required). */
    public Builder scheduler(AnalysisScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder listener(RolloutListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The health checks {@link Rollout#health()} judges the canary and stable ReplicaSets with;
     * give the one the {@code ApplicationController} and the {@code SyncEngine} use (for example
     * {@code ArgoCdConfigMap.assessor()}). Argo Rollouts' own rules (available replicas, the
     * progress deadline, analyses) still decide how the rollout proceeds. Default: {@link
     * HealthAssessor#ofDefaults()}.
     */
    public Builder health(HealthAssessor health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** This driver's lease holder identity. */
    public Builder identity(String identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** How often to look again while waiting for the cluster; must be positive. */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** How long a lease lasts without renewal; must be positive. */
    public Builder leaseDuration(Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("leaseDuration must be positive, but was " + duration);
      }
      this.leaseDuration = duration;
      return this;
    }

    /**
     * Shares the rollouts with the other replicas of {@code membership}'s group (see the class
     * comment): rollouts are then given with {@link RolloutDriver#offer}, and the driver's identity
     * is the replica's. The membership stays the caller's (close it after the driver).
     */
    public Builder sharding(io.glidepath.kube.shard.ReplicaMembership membership) {
      this.membership = Objects.requireNonNull(membership, "membership");
      return this;
    }

    /** How rollouts map to replicas with {@link #sharding}; default rendezvous hashing. */
    public Builder shardAssignment(io.glidepath.kube.shard.ShardAssignment assignment) {
      this.assignment = Objects.requireNonNull(assignment, "shardAssignment");
      return this;
    }

    public RolloutDriver build() {
      if (scheduler == null) {
        throw new IllegalStateException("scheduler is required");
      }
      return new RolloutDriver(this);
    }
  }
}

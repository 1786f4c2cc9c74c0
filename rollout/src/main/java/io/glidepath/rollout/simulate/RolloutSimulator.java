package io.glidepath.rollout.simulate;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProvider;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.RecordedProvider;
import io.glidepath.rollout.BlueGreenPlan;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.driver.RolloutStatus;
import io.glidepath.rollout.internal.RolloutReader;
import io.glidepath.rollout.internal.simulate.Recorder;
import io.glidepath.rollout.traffic.RecordingTrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Runs a canary (or blue-green) plan with its analysis templates on virtual time, with no cluster:
 * the real {@link RolloutDriver} on an in-memory cluster, fed by recorded metrics or a built-in
 * {@link Scenario}. Answers "would this plan and these templates have promoted or rolled back this
 * canary, and when?" in milliseconds.
 *
 * <pre>{@code
 * CanaryPlan plan = CanaryPlan.fromRollout(Path.of("rollout.yaml"));
 * SimulationResult r = RolloutSimulator.builder(plan).scenario(Scenario.named("errors-8pct")).build().run();
 * r.outcome();                 // ROLLED_BACK
 * Files.writeString(Path.of("report.html"), r.toHtml());
 * }</pre>
 *
 * <p>Indefinite pauses stop the simulation as PAUSED unless {@link Builder#autoPromote(boolean)} is
 * set; so does an Inconclusive analysis (a human would decide). The stable revision exists before
 * the start; the canary is available as soon as it is scaled. Not thread-safe: one {@link #run()}
 * at a time.
 */
public final class RolloutSimulator {
  /** Default start of virtual time. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /** Default limit of virtual time. */
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(24);

  private static final String PREVIOUS = "stable";

  private final String namespace;
  private final String name;
  private final tools.jackson.databind.node.ObjectNode podTemplate;
  private final int replicas;
  private final java.util.Map<String, AnalysisTemplate> templates;
  private final java.util.function.Function<RolloutDriver, Rollout> starter;
  private final String source;
  private final BiFunction<String, Instant, MetricProvider> providers;
  private final Instant start;
  private final Duration maxDuration;
  private final boolean autoPromote;
  private final int totalWeight;

  private RolloutSimulator(Builder b) {
    this.namespace = b.namespace;
    this.name = b.name;
    this.podTemplate = b.podTemplate;
    this.replicas = b.replicas;
    this.templates = b.templates;
    this.starter = b.starter;
    this.source = b.source;
    this.providers = b.providers;
    this.start = b.start;
    this.maxDuration = b.maxDuration;
    this.autoPromote = b.autoPromote;
    this.totalWeight = b.totalWeight;
  }

  /** A simulation of a canary plan. */
  public static Builder builder(CanaryPlan plan) {
    Objects.requireNonNull(plan, "plan");
    return new Builder(
            plan.namespace(),
            plan.name(),
            plan.podTemplate(),
            plan.replicas(),
            plan.templates(),
            d -> d.start(plan))
        .totalWeight(plan.maxTrafficWeight());
  }

  /** A simulation of a blue-green plan. */
  public static Builder builder(BlueGreenPlan plan) {
    Objects.requireNonNull(plan, "plan");
    return new Builder(
        plan.namespace(),
        plan.name(),
        plan.podTemplate(),
        plan.replicas(),
        plan.templates(),
        d -> d.start(plan));
  }

  /**
   * A simulation of the Rollout in {@code rolloutFile} (canary or blue-green), with the
   * AnalysisTemplates in that file and in {@code templateFiles}.
   */
  public static Builder builder(
      java.nio.file.Path rolloutFile, List<java.nio.file.Path> templateFiles) {
    List<AnalysisTemplate> extra = new ArrayList<>();
    for (java.nio.file.Path f : templateFiles) {
      extra.addAll(AnalysisTemplate.readAll(f));
    }
    io.glidepath.rollout.RolloutSpec spec =
        RolloutReader.spec(RolloutReader.read(rolloutFile), extra);
    if (spec.options().workloadRef().isPresent() && spec.podTemplate().isEmpty()) {
      io.glidepath.rollout.WorkloadRef ref = spec.options().workloadRef().get();
      throw new IllegalArgumentException(
          "rollout '"
              + spec.name()
              + "' takes its pod template from "
              + ref.kind()
              + " '"
              + ref.name()
              + "' (workloadRef), which is not in "
              + rolloutFile
              + "; put the "
              + ref.kind()
              + " in the same file to simulate it");
    }
    return spec instanceof BlueGreenPlan g ? builder(g) : builder((CanaryPlan) spec);
  }

  /** Runs the simulation from the start. */
  public SimulationResult run() {
    VirtualScheduler scheduler = VirtualScheduler.at(start);
    RolloutCluster cluster = RolloutCluster.inMemory();
    cluster.saveStatus(namespace, name, RolloutStatus.stable(PREVIOUS, start));
    cluster.ensureReplicaSet(namespace, name, PREVIOUS, podTemplate, java.util.Map.of(), replicas);
    List<MetricProvider> list = new ArrayList<>();
    for (String type : providerTypes()) {
      list.add(providers.apply(type, start));
    }
    Recorder recorder = new Recorder(namespace + "/" + name, templates, start, totalWeight);
    RecordingTrafficRouter router = new RecordingTrafficRouter();
    RolloutDriver driver =
        RolloutDriver.builder(cluster)
            .routers(p -> router)
            .providers(MetricProviders.of(list))
            .scheduler(scheduler)
            .listener(recorder)
            .identity("simulator")
            .build();
    Instant limit = start.plus(maxDuration);
    try {
      Rollout rollout = starter.apply(driver);
      while (true) {
        RolloutStatus s = rollout.status();
        if (s.isPromoted() || s.aborted()) {
          break;
        }
        if (s.phase() == RolloutPhase.PAUSED && autoPromote && !isInconclusive(s)) {
          rollout.promote();
          continue;
        }
        if (scheduler.pending() == 0 || !scheduler.runNext() || scheduler.now().isAfter(limit)) {
          break;
        }
      }
      RolloutStatus end = rollout.status();
      SimulationResult.Outcome outcome =
          end.isPromoted()
              ? SimulationResult.Outcome.PROMOTED
              : end.aborted()
                  ? SimulationResult.Outcome.ROLLED_BACK
                  : SimulationResult.Outcome.PAUSED;
      String reason = end.message();
      if (outcome == SimulationResult.Outcome.PAUSED && reason.isEmpty()) {
        reason = "still progressing at step " + end.stepIndex() + " when virtual time ran out";
      }
      Duration elapsed = Duration.between(start, recorder.lastDecision().orElse(scheduler.now()));
      return recorder.result(source, outcome, elapsed, reason);
    } finally {
      driver.close();
    }
  }

  private static boolean isInconclusive(RolloutStatus s) {
    return RolloutStatus.PAUSE_INCONCLUSIVE.equals(s.pauseReason().orElse(""));
  }

  private Set<String> providerTypes() {
    Set<String> types = new LinkedHashSet<>();
    for (AnalysisTemplate t : templates.values()) {
      for (Metric m : t.metrics()) {
        types.add(m.provider().type());
      }
    }
    return types;
  }

  /** Builds a {@link RolloutSimulator}; metrics come from a scenario or a recording. */
  public static final class Builder {
    private final String namespace;
    private final String name;
    private final tools.jackson.databind.node.ObjectNode podTemplate;
    private final int replicas;
    private final java.util.Map<String, AnalysisTemplate> templates;
    private final java.util.function.Function<RolloutDriver, Rollout> starter;
    private String source = "healthy";
    private BiFunction<String, Instant, MetricProvider> providers =
        (type, at) -> Scenario.named("healthy").provider(type, at);
    private Instant start = DEFAULT_START;
    private Duration maxDuration = DEFAULT_MAX_DURATION;
    private boolean autoPromote;
    private int totalWeight = CanaryPlan.DEFAULT_MAX_TRAFFIC_WEIGHT;

    private Builder(
        String namespace,
        String name,
        tools.jackson.databind.node.ObjectNode podTemplate,
        int replicas,
        java.util.Map<String, AnalysisTemplate> templates,
        java.util.function.Function<RolloutDriver, Rollout> starter) {
      this.namespace = namespace;
      this.name = name;
      this.podTemplate = podTemplate;
      this.replicas = replicas;
      this.templates = templates;
      this.starter = starter;
    }

    /** The plan's maxTrafficWeight: the timeline's weights are percentages of it. */
    private Builder totalWeight(int total) {
      this.totalWeight = total;
      return this;
    }

    /** Metrics from a built-in scenario (default {@code healthy}). */
    public Builder scenario(Scenario scenario) {
      Objects.requireNonNull(scenario, "scenario");
      this.source = "scenario " + scenario.name();
      this.providers = scenario::provider;
      return this;
    }

    /** Metrics replayed from a recording, answering for every provider type of the templates. */
    public Builder recording(RecordedProvider recording, String name) {
      Objects.requireNonNull(recording, "recording");
      this.source = "recording " + name;
      this.providers = (type, at) -> recording.servingType(type);
      return this;
    }

    /** Metrics replayed from a {@code .json} or {@code .csv} recording file. */
    public Builder recording(java.nio.file.Path file) {
      return recording(RecordedProvider.read(file), file.getFileName().toString());
    }

    /** Start of virtual time. */
    public Builder start(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** Virtual time after which the simulation stops (as PAUSED); must be positive. */
    public Builder maxDuration(Duration max) {
      if (max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException("maxDuration must be positive, but was " + max);
      }
      this.maxDuration = max;
      return this;
    }

    /** Promote indefinite pauses at once instead of stopping (Inconclusive still stops). */
    public Builder autoPromote(boolean autoPromote) {
      this.autoPromote = autoPromote;
      return this;
    }

    public RolloutSimulator build() {
      return new RolloutSimulator(this);
    }
  }
}

package io.glidepath.rollout;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.time.GoDuration;
import io.glidepath.rollout.PlanValidationException.Problem;
import io.glidepath.rollout.internal.CanaryReplicas;
import io.glidepath.rollout.internal.RolloutReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A canary rollout: the workload's pod template and replicas, the steps (a {@link CanaryStep} list)
 * and the strategy's fields, with Argo Rollouts' meaning and defaults.
 *
 * <p>Build one by hand or read an Argo {@code Rollout} unchanged:
 *
 * <pre>{@code
 * CanaryPlan plan = CanaryPlan.builder("trade-service")
 *     .namespace("production").replicas(10)
 *     .setWeight(10).pause(Duration.ofMinutes(2))
 *     .setWeight(50).analysis(AnalysisRef.of("success-rate").withArg("service-name", "trade-service"))
 *     .setWeight(100)
 *     .canaryService("trade-service-canary").stableService("trade-service-stable")
 *     .trafficRouting(new TrafficRouting.Istio("trade-service-vs", List.of("primary")))
 *     .template(successRate)
 *     .build();
 * CanaryPlan seed = CanaryPlan.fromRollout(Path.of("rollout.yaml")); // templates in the file are used
 * System.out.println(seed.describe());
 * }</pre>
 *
 * <p>{@link Builder#build()} validates the whole plan and throws a {@link PlanValidationException}
 * listing every problem with its step index. Defaults: 1 replica, namespace {@code default},
 * maxSurge and maxUnavailable {@code 25%}, scaleDownDelaySeconds and abortScaleDownDelaySeconds
 * {@value #DEFAULT_SCALE_DOWN_DELAY_SECONDS}. Immutable and thread-safe.
 */
public final class CanaryPlan implements RolloutSpec {
  /** Argo's default {@code trafficRouting.maxTrafficWeight}: weights are percentages. */
  public static final int DEFAULT_MAX_TRAFFIC_WEIGHT = 100;

  /** Argo's default for scaleDownDelaySeconds and abortScaleDownDelaySeconds. */
  public static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

  /** Argo's default for maxSurge and maxUnavailable. */
  public static final String DEFAULT_MAX_SURGE = "25%";

  private final String name;
  private final String namespace;
  private final int replicas;
  private final ObjectNode podTemplate;
  private final List<CanaryStep> steps;
  private final Optional<String> canaryService;
  private final Optional<String> stableService;
  private final Optional<TrafficRouting> trafficRouting;
  private final Optional<BackgroundAnalysis> backgroundAnalysis;
  private final String maxSurge;
  private final String maxUnavailable;
  private final int scaleDownDelaySeconds;
  private final int abortScaleDownDelaySeconds;
  private final boolean dynamicStableScale;
  private final Map<String, AnalysisTemplate> templates;
  private final Map<String, AnalysisTemplate> clusterTemplates;
  private final RolloutOptions options;
  private final PodMetadata canaryMetadata;
  private final PodMetadata stableMetadata;
  private final Optional<AntiAffinity> antiAffinity;
  private final OptionalInt scaleDownDelayRevisionLimit;
  private final OptionalInt minPodsPerReplicaSet;
  private final Optional<PingPong> pingPong;
  private final List<String> managedRoutes;
  private final int maxTrafficWeight;

  private CanaryPlan(Builder b) {
    this.name = b.name;
    this.namespace = b.namespace;
    this.replicas = b.replicas;
    this.podTemplate = b.podTemplate.deepCopy();
    this.steps = List.copyOf(b.steps);
    this.canaryService = Optional.ofNullable(b.canaryService);
    this.stableService = Optional.ofNullable(b.stableService);
    this.trafficRouting = Optional.ofNullable(b.trafficRouting);
    this.backgroundAnalysis = Optional.ofNullable(b.backgroundAnalysis);
    this.maxSurge = b.maxSurge;
    this.maxUnavailable = b.maxUnavailable;
    this.scaleDownDelaySeconds = b.scaleDownDelaySeconds;
    this.abortScaleDownDelaySeconds = b.abortScaleDownDelaySeconds;
    this.dynamicStableScale = b.dynamicStableScale;
    this.templates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.templates));
    this.clusterTemplates =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.clusterTemplates));
    this.options = b.options;
    this.canaryMetadata = b.canaryMetadata;
    this.stableMetadata = b.stableMetadata;
    this.antiAffinity = Optional.ofNullable(b.antiAffinity);
    this.scaleDownDelayRevisionLimit = b.scaleDownDelayRevisionLimit;
    this.minPodsPerReplicaSet = b.minPodsPerReplicaSet;
    this.pingPong = Optional.ofNullable(b.pingPong);
    this.managedRoutes = List.copyOf(b.managedRoutes);
    this.maxTrafficWeight = b.maxTrafficWeight;
  }

  /** A builder for a plan named {@code name} (the workload's name). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this plan's values. */
  public Builder newBuilder() {
    Builder b = new Builder(name);
    b.namespace = namespace;
    b.replicas = replicas;
    b.podTemplate = podTemplate.deepCopy();
    b.steps.addAll(steps);
    b.canaryService = canaryService.orElse(null);
    b.stableService = stableService.orElse(null);
    b.trafficRouting = trafficRouting.orElse(null);
    b.backgroundAnalysis = backgroundAnalysis.orElse(null);
    b.maxSurge = maxSurge;
    b.maxUnavailable = maxUnavailable;
    b.scaleDownDelaySeconds = scaleDownDelaySeconds;
    b.abortScaleDownDelaySeconds = abortScaleDownDelaySeconds;
    b.dynamicStableScale = dynamicStableScale;
    b.templates.putAll(templates);
    b.clusterTemplates.putAll(clusterTemplates);
    b.options = options;
    b.canaryMetadata = canaryMetadata;
    b.stableMetadata = stableMetadata;
    b.antiAffinity = antiAffinity.orElse(null);
    b.scaleDownDelayRevisionLimit = scaleDownDelayRevisionLimit;
    b.minPodsPerReplicaSet = minPodsPerReplicaSet;
    b.pingPong = pingPong.orElse(null);
    b.managedRoutes.addAll(managedRoutes);
    b.maxTrafficWeight = maxTrafficWeight;
    return b;
  }

  /**
   * Reads the canary Rollout in a YAML file; the (Cluster)AnalysisTemplates in the same file (and
   * {@code templates}) are the plan's templates. Every field is honoured or refused, see {@link
   * io.glidepath.rollout.load.ArgoRollouts}.
   *
   * @throws io.glidepath.rollout.load.DocumentRefusedException naming the file, line and field of
   *     everything Glidepath refuses in the Rollout or its templates
   * @throws PlanValidationException if the file holds no Rollout, several, or a blue-green one
   */
  public static CanaryPlan fromRollout(Path file, AnalysisTemplate... templates) {
    return RolloutReader.canary(RolloutReader.read(file), List.of(templates));
  }

  /**
   * Reads the canary Rollout in {@code rolloutFile} with the AnalysisTemplates in the same file and
   * in {@code templateFiles} (a later template of the same name wins).
   */
  public static CanaryPlan fromFiles(Path rolloutFile, List<Path> templateFiles) {
    List<AnalysisTemplate> extra = new ArrayList<>();
    for (Path f : templateFiles) {
      extra.addAll(AnalysisTemplate.readAll(f));
    }
    return RolloutReader.canary(RolloutReader.read(rolloutFile), extra);
  }

  /** Like {@link #fromRollout(Path, AnalysisTemplate...)}, from YAML text. */
  public static CanaryPlan fromRollout(String yaml, String source, AnalysisTemplate... templates) {
    return RolloutReader.canary(RolloutReader.read(yaml, source), List.of(templates));
  }

  /** Reads a parsed Rollout resource, with the templates it refers to. */
  public static CanaryPlan fromRollout(Resource rollout, Collection<AnalysisTemplate> templates) {
    return RolloutReader.canary(RolloutReader.of(rollout), List.copyOf(templates));
  }

  /** The workload's name. */
  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  /** spec.replicas. */
  public int replicas() {
    return replicas;
  }

  /** The pod template (a copy). */
  public ObjectNode podTemplate() {
    return podTemplate.deepCopy();
  }

  public List<CanaryStep> steps() {
    return steps;
  }

  public Optional<String> canaryService() {
    return canaryService;
  }

  public Optional<String> stableService() {
    return stableService;
  }

  public Optional<TrafficRouting> trafficRouting() {
    return trafficRouting;
  }

  /**
   * The weight all traffic destinations share (Argo's {@code trafficRouting.maxTrafficWeight},
   * default {@value #DEFAULT_MAX_TRAFFIC_WEIGHT}): setWeight, setCanaryScale's weight and
   * experiment template weights are out of it, the canary runs {@code ceil(replicas * weight /
   * maxTrafficWeight)} replicas, and the routers write weights that total it.
   */
  public int maxTrafficWeight() {
    return maxTrafficWeight;
  }

  public Optional<BackgroundAnalysis> backgroundAnalysis() {
    return backgroundAnalysis;
  }

  public String maxSurge() {
    return maxSurge;
  }

  public String maxUnavailable() {
    return maxUnavailable;
  }

  /**
   * {@link #maxSurge()} in replicas: a percentage of {@link #replicas()} rounded up, as Kubernetes
   * and Argo Rollouts do. Applies to a canary without traffic routing.
   */
  public int maxSurgeReplicas() {
    return CanaryReplicas.maxSurge(maxSurge, replicas);
  }

  /**
   * {@link #maxUnavailable()} in replicas: a percentage rounded down, at most {@link #replicas()},
   * and 1 when it and maxSurge both resolve to 0 (Kubernetes' rule).
   */
  public int maxUnavailableReplicas() {
    return CanaryReplicas.maxUnavailable(maxSurge, maxUnavailable, replicas);
  }

  public int scaleDownDelaySeconds() {
    return scaleDownDelaySeconds;
  }

  public int abortScaleDownDelaySeconds() {
    return abortScaleDownDelaySeconds;
  }

  public boolean dynamicStableScale() {
    return dynamicStableScale;
  }

  /** The analysis templates by name. */
  @Override
  public Map<String, AnalysisTemplate> templates() {
    return templates;
  }

  @Override
  public Map<String, AnalysisTemplate> clusterTemplates() {
    return clusterTemplates;
  }

  /** The template named {@code name}; the plan was validated to have every referenced one. */
  public AnalysisTemplate template(String templateName) {
    AnalysisTemplate t = templates.get(templateName);
    if (t == null) {
      throw new IllegalArgumentException(
          "plan '" + name + "' has no analysis template '" + templateName + "'");
    }
    return t;
  }

  @Override
  public RolloutOptions options() {
    return options;
  }

  /** Labels and annotations the canary's pods carry while they are the canary. */
  public PodMetadata canaryMetadata() {
    return canaryMetadata;
  }

  /** Labels and annotations the stable pods carry while they are stable. */
  public PodMetadata stableMetadata() {
    return stableMetadata;
  }

  /** Anti-affinity of the new revision's pods to the stable revision's nodes, if any. */
  public Optional<AntiAffinity> antiAffinity() {
    return antiAffinity;
  }

  /**
   * Old ReplicaSets that may wait out scaleDownDelaySeconds at once; with 0 the previous stable is
   * scaled down as soon as the canary is promoted. Empty: no limit.
   */
  public OptionalInt scaleDownDelayRevisionLimit() {
    return scaleDownDelayRevisionLimit;
  }

  /**
   * With traffic routing, the fewest replicas the canary and the stable ReplicaSet get whenever
   * they get any (Argo's default 1).
   */
  public OptionalInt minPodsPerReplicaSet() {
    return minPodsPerReplicaSet;
  }

  /** Ping-pong Services that take the canary and stable roles in turn, if any. */
  public Optional<PingPong> pingPong() {
    return pingPong;
  }

  /** {@code trafficRouting.managedRoutes}: the header and mirror routes, in precedence order. */
  public List<String> managedRoutes() {
    return managedRoutes;
  }

  /**
   * {@code ref} with the plan's shared argument values added where it gives none: a value given by
   * any analysis step of the plan (first one wins) fills an argument the reference leaves out. The
   * seed's background analysis names no arguments while its templates need {@code service-name},
   * which its analysis step gives; Argo would fail that run, Glidepath uses the step's value (and
   * {@link Builder#build()} rejects a plan where an argument has no value anywhere).
   */
  public AnalysisRef effectiveAnalysis(AnalysisRef ref) {
    return withSharedArgs(steps, ref);
  }

  private static AnalysisRef withSharedArgs(List<CanaryStep> steps, AnalysisRef ref) {
    Map<String, String> args = new LinkedHashMap<>();
    for (CanaryStep s : steps) {
      if (s instanceof CanaryStep.Analysis a) {
        a.analysis().args().forEach(args::putIfAbsent);
      }
    }
    args.putAll(ref.args());
    ref.valueFrom().keySet().forEach(args::remove);
    return new AnalysisRef(
        ref.templates(),
        args,
        ref.valueFrom(),
        ref.clusterScoped(),
        ref.dryRun(),
        ref.measurementRetention());
  }

  /**
   * The highest traffic weight any step up to and including {@code stepIndex} sets (0 before the
   * first setWeight).
   */
  public int maxWeightThrough(int stepIndex) {
    int max = 0;
    for (int i = 0; i <= stepIndex && i < steps.size(); i++) {
      if (steps.get(i) instanceof CanaryStep.SetWeight w) {
        max = Math.max(max, w.weight());
      }
    }
    return max;
  }

  /**
   * The shortest time an analysis of {@code ref} takes: per metric, initialDelay plus (count - 1)
   * intervals; empty if a metric runs without a count.
   */
  public Optional<Duration> minimumAnalysisDuration(AnalysisRef ref) {
    Duration longest = Duration.ZERO;
    for (String t : ref.templates()) {
      AnalysisTemplate template = templates.get(t);
      if (template == null) {
        continue;
      }
      for (Metric m : template.metrics()) {
        OptionalInt count = m.effectiveCount();
        if (count.isEmpty()) {
          return Optional.empty();
        }
        Duration d =
            m.initialDelay()
                .orElse(Duration.ZERO)
                .plus(m.interval().orElse(Duration.ZERO).multipliedBy(count.getAsInt() - 1L));
        if (d.compareTo(longest) > 0) {
          longest = d;
        }
      }
    }
    return Optional.of(longest);
  }

  /**
   * The timeline, one line per step with the earliest time it can start, and the minimum duration
   * of the whole rollout (indefinite pauses and analyses without a count make it open-ended).
   */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("Canary plan ")
        .append(namespace)
        .append('/')
        .append(name)
        .append(" (")
        .append(replicas)
        .append(replicas == 1 ? " replica" : " replicas")
        .append(", ")
        .append(trafficRouting.map(TrafficRouting::describe).orElse("replica ratio, no mesh"))
        .append(")\n");
    canaryService.ifPresent(s -> out.append("  canary service: ").append(s).append('\n'));
    stableService.ifPresent(s -> out.append("  stable service: ").append(s).append('\n'));
    Duration at = Duration.ZERO;
    boolean openEnded = false;
    for (int i = 0; i < steps.size(); i++) {
      CanaryStep step = steps.get(i);
      out.append(String.format("  step %-2d %s  %s%n", i, clock(at, openEnded), describe(step)));
      if (step instanceof CanaryStep.Pause p) {
        if (p.duration().isPresent()) {
          at = at.plus(p.duration().get());
        } else {
          openEnded = true;
        }
      } else if (step instanceof CanaryStep.Analysis a) {
        Optional<Duration> d = minimumAnalysisDuration(a.analysis());
        if (d.isPresent()) {
          at = at.plus(d.get());
        } else {
          openEnded = true;
        }
      }
    }
    out.append(
        String.format("  done    %s  promoted: canary becomes stable%n", clock(at, openEnded)));
    backgroundAnalysis.ifPresent(
        b ->
            out.append("  background analysis: ")
                .append(String.join(", ", b.analysis().templates()))
                .append(" from step ")
                .append(b.startingStep())
                .append(", aborts on failure\n"));
    out.append("  minimum duration: ")
        .append(GoDuration.format(at))
        .append(openEnded ? " plus time waiting for promotion" : "")
        .append('\n');
    return out.toString();
  }

  private static String clock(Duration at, boolean openEnded) {
    String s = String.format("%d:%02d", at.toMinutes(), at.toSecondsPart());
    return String.format("%-7s", (openEnded ? ">" : "") + s);
  }

  private String describe(CanaryStep step) {
    if (step instanceof CanaryStep.SetWeight w) {
      return "setWeight " + w.weight() + "%";
    } else if (step instanceof CanaryStep.Pause p) {
      return p.duration().map(d -> "pause " + GoDuration.format(d)).orElse("pause until promoted");
    } else if (step instanceof CanaryStep.Analysis a) {
      String min =
          minimumAnalysisDuration(a.analysis())
              .map(d -> " (at least " + GoDuration.format(d) + ")")
              .orElse(" (runs until stopped)");
      return "analysis " + String.join(", ", a.analysis().templates()) + min;
    } else if (step instanceof CanaryStep.SetCanaryScale s) {
      if (s.replicas().isPresent()) {
        return "setCanaryScale replicas " + s.replicas().getAsInt();
      }
      if (s.weight().isPresent()) {
        return "setCanaryScale weight " + s.weight().getAsInt() + "%";
      }
      return "setCanaryScale matchTrafficWeight";
    } else if (step instanceof CanaryStep.SetHeaderRoute h) {
      return "setHeaderRoute " + h.name() + (h.match().isEmpty() ? " (remove)" : " " + h.match());
    } else {
      CanaryStep.SetMirrorRoute m = (CanaryStep.SetMirrorRoute) step;
      return "setMirrorRoute " + m.name() + " " + m.percentage() + "%";
    }
  }

  @Override
  public String toString() {
    return "CanaryPlan[" + namespace + "/" + name + ", " + steps.size() + " steps]";
  }

  /**
   * Builds a {@link CanaryPlan}; step methods append steps in order. Not thread-safe.
   *
   * <p>{@link #build()} validates: weights and percentages within 0..100, pauses not negative,
   * every analysis names at least one template and only supplied ones, traffic routing and header
   * or mirror routes need services (and Istio), background analysis's startingStep within the
   * steps.
   */
  public static final class Builder {
    private final String name;
    private String namespace = "default";
    private int replicas = 1;
    private ObjectNode podTemplate = JsonNodeFactory.instance.objectNode();
    private final List<CanaryStep> steps = new ArrayList<>();
    private String canaryService;
    private String stableService;
    private TrafficRouting trafficRouting;
    private int maxTrafficWeight = DEFAULT_MAX_TRAFFIC_WEIGHT;
    private BackgroundAnalysis backgroundAnalysis;
    private String maxSurge = DEFAULT_MAX_SURGE;
    private String maxUnavailable = DEFAULT_MAX_SURGE;
    private int scaleDownDelaySeconds = DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    private int abortScaleDownDelaySeconds = DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    private boolean dynamicStableScale;
    private final Map<String, AnalysisTemplate> templates = new LinkedHashMap<>();
    private final Map<String, AnalysisTemplate> clusterTemplates = new LinkedHashMap<>();
    private RolloutOptions options = RolloutOptions.ofDefaults();
    private PodMetadata canaryMetadata = PodMetadata.NONE;
    private PodMetadata stableMetadata = PodMetadata.NONE;
    private AntiAffinity antiAffinity;
    private OptionalInt scaleDownDelayRevisionLimit = OptionalInt.empty();
    private OptionalInt minPodsPerReplicaSet = OptionalInt.empty();
    private PingPong pingPong;
    private final List<String> managedRoutes = new ArrayList<>();

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
    }

    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** spec.replicas; must be >= 0. */
    public Builder replicas(int replicas) {
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must be >= 0, but was " + replicas);
      }
      this.replicas = replicas;
      return this;
    }

    /** The pod template (spec.template), copied. */
    public Builder podTemplate(ObjectNode template) {
      this.podTemplate = Objects.requireNonNull(template, "template").deepCopy();
      return this;
    }

    public Builder step(CanaryStep step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    public Builder setWeight(int weight) {
      return step(new CanaryStep.SetWeight(weight));
    }

    /** A timed pause. */
    public Builder pause(Duration duration) {
      return step(CanaryStep.Pause.of(duration));
    }

    /** A pause until promoted. */
    public Builder pause() {
      return step(CanaryStep.Pause.indefinite());
    }

    public Builder analysis(AnalysisRef analysis) {
      return step(new CanaryStep.Analysis(analysis));
    }

    public Builder setCanaryScale(CanaryStep.SetCanaryScale scale) {
      return step(scale);
    }

    public Builder canaryService(String service) {
      this.canaryService = service;
      return this;
    }

    public Builder stableService(String service) {
      this.stableService = service;
      return this;
    }

    public Builder trafficRouting(TrafficRouting routing) {
      this.trafficRouting = routing;
      return this;
    }

    /**
     * Argo's {@code trafficRouting.maxTrafficWeight}: the total of the traffic weights (default
     * {@value CanaryPlan#DEFAULT_MAX_TRAFFIC_WEIGHT}); needs traffic routing.
     */
    public Builder maxTrafficWeight(int total) {
      if (total < 1) {
        throw new IllegalArgumentException("maxTrafficWeight must be >= 1, but was " + total);
      }
      this.maxTrafficWeight = total;
      return this;
    }

    public Builder backgroundAnalysis(BackgroundAnalysis analysis) {
      this.backgroundAnalysis = analysis;
      return this;
    }

    /**
     * The replicas a canary without traffic routing may run above {@link #replicas}: an int or a
     * percentage ({@code "25%"}, rounded up); default {@value CanaryPlan#DEFAULT_MAX_SURGE}.
     */
    public Builder maxSurge(String maxSurge) {
      this.maxSurge = Objects.requireNonNull(maxSurge, "maxSurge");
      return this;
    }

    /**
     * The replicas a canary without traffic routing may have unavailable below {@link #replicas}:
     * an int or a percentage (rounded down); not 0 when maxSurge is 0.
     */
    public Builder maxUnavailable(String maxUnavailable) {
      this.maxUnavailable = Objects.requireNonNull(maxUnavailable, "maxUnavailable");
      return this;
    }

    /** Seconds before the old stable ReplicaSet is scaled down after promotion; must be >= 0. */
    public Builder scaleDownDelaySeconds(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException(
            "scaleDownDelaySeconds must be >= 0, but was " + seconds);
      }
      this.scaleDownDelaySeconds = seconds;
      return this;
    }

    /** Seconds before an aborted canary is scaled down; must be >= 0. */
    public Builder abortScaleDownDelaySeconds(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException(
            "abortScaleDownDelaySeconds must be >= 0, but was " + seconds);
      }
      this.abortScaleDownDelaySeconds = seconds;
      return this;
    }

    public Builder dynamicStableScale(boolean dynamic) {
      this.dynamicStableScale = dynamic;
      return this;
    }

    /**
     * Supplies an analysis template the steps or background analysis refer to by name; a
     * ClusterAnalysisTemplate is filed apart, for references with clusterScope.
     */
    public Builder template(AnalysisTemplate template) {
      (template.kind() == AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE
              ? clusterTemplates
              : templates)
          .put(template.name(), template);
      return this;
    }

    /** The Rollout-level settings (progress deadline, minReadySeconds, ...). */
    public Builder options(RolloutOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    public Builder canaryMetadata(PodMetadata metadata) {
      this.canaryMetadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    public Builder stableMetadata(PodMetadata metadata) {
      this.stableMetadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    public Builder antiAffinity(AntiAffinity antiAffinity) {
      this.antiAffinity = antiAffinity;
      return this;
    }

    /** Must be >= 0. */
    public Builder scaleDownDelayRevisionLimit(int limit) {
      if (limit < 0) {
        throw new IllegalArgumentException(
            "scaleDownDelayRevisionLimit must be >= 0, but was " + limit);
      }
      this.scaleDownDelayRevisionLimit = OptionalInt.of(limit);
      return this;
    }

    /** Must be >= 1. */
    public Builder minPodsPerReplicaSet(int min) {
      if (min < 1) {
        throw new IllegalArgumentException("minPodsPerReplicaSet must be >= 1, but was " + min);
      }
      this.minPodsPerReplicaSet = OptionalInt.of(min);
      return this;
    }

    public Builder pingPong(PingPong pingPong) {
      this.pingPong = pingPong;
      return this;
    }

    /** A route name of {@code trafficRouting.managedRoutes}, in precedence order. */
    public Builder managedRoute(String route) {
      managedRoutes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /** Validates and builds the plan. */
    public CanaryPlan build() {
      List<Problem> problems = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        validateStep(i, steps.get(i), problems);
      }
      boolean subsets =
          trafficRouting instanceof TrafficRouting.Istio i && i.destinationRule().isPresent();
      if (trafficRouting != null && !subsets && pingPong == null) {
        if (canaryService == null || canaryService.isBlank()) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "canaryService",
                  "is required with trafficRouting (" + trafficRouting.describe() + ")"));
        }
        if (stableService == null || stableService.isBlank()) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "stableService",
                  "is required with trafficRouting (" + trafficRouting.describe() + ")"));
        }
      }
      if (pingPong != null
          && !(routers(trafficRouting).stream()
              .anyMatch(
                  r -> r instanceof TrafficRouting.Alb || r instanceof TrafficRouting.Istio))) {
        problems.add(
            new Problem(
                Optional.empty(),
                "pingPong",
                "needs ALB or Istio traffic routing, but the plan has "
                    + (trafficRouting == null ? "none" : trafficRouting.describe())));
      }
      if (pingPong != null
          && routers(trafficRouting).stream()
              .anyMatch(r -> r instanceof TrafficRouting.Alb a && a.rootService().isEmpty())) {
        problems.add(
            new Problem(
                Optional.empty(),
                "trafficRouting.alb.rootService",
                "is required with pingPong (the ALB action is named after it)"));
      }
      if (maxTrafficWeight != DEFAULT_MAX_TRAFFIC_WEIGHT) {
        if (trafficRouting == null) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "trafficRouting.maxTrafficWeight",
                  "needs traffic routing (without it the weight is a share of the replicas)"));
        }
        for (TrafficRouting r : routers(trafficRouting)) {
          if (r instanceof TrafficRouting.Ambassador || r instanceof TrafficRouting.AppMesh) {
            problems.add(
                new Problem(
                    Optional.empty(),
                    "trafficRouting.maxTrafficWeight",
                    "must be 100 with "
                        + r.describe()
                        + " (its weights are percentages of at most 100), but was "
                        + maxTrafficWeight));
          }
        }
      }
      CanaryReplicas.invalid(maxSurge)
          .ifPresent(m -> problems.add(new Problem(Optional.empty(), "maxSurge", m)));
      CanaryReplicas.invalid(maxUnavailable)
          .ifPresent(m -> problems.add(new Problem(Optional.empty(), "maxUnavailable", m)));
      if (CanaryReplicas.isZero(maxSurge) && CanaryReplicas.isZero(maxUnavailable)) {
        problems.add(
            new Problem(
                Optional.empty(),
                "maxUnavailable",
                "must not be 0 when maxSurge is 0 (the canary could never be scaled), but was \""
                    + maxUnavailable
                    + "\""));
      }
      if (backgroundAnalysis != null) {
        checkRef(null, "analysis", backgroundAnalysis.analysis(), problems);
        int start = backgroundAnalysis.startingStep();
        if (start < 0 || (start > 0 && start >= steps.size())) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "analysis.startingStep",
                  "must be within 0.." + Math.max(0, steps.size() - 1) + ", but was " + start));
        }
      }
      if (!problems.isEmpty()) {
        throw new PlanValidationException(name, problems);
      }
      return new CanaryPlan(this);
    }

    private static List<TrafficRouting> routers(TrafficRouting routing) {
      if (routing == null) {
        return List.of();
      }
      return routing instanceof TrafficRouting.Combined c ? c.routers() : List.of(routing);
    }

    /** Routers that can send matching requests to the canary (Argo: Istio, ALB, APISIX). */
    private static boolean headerRoutes(TrafficRouting r) {
      return (r instanceof TrafficRouting.Istio i && i.destinationRule().isEmpty())
          || r instanceof TrafficRouting.Alb
          || r instanceof TrafficRouting.Apisix;
    }

    private void validateStep(int i, CanaryStep step, List<Problem> problems) {
      String field = "steps[" + i + "]." + step.kind();
      Optional<Integer> index = Optional.of(i);
      if (step instanceof CanaryStep.SetWeight w) {
        weight(index, field, w.weight(), problems);
      } else if (step instanceof CanaryStep.Pause p) {
        if (p.duration().isPresent() && p.duration().get().isNegative()) {
          problems.add(
              new Problem(
                  index,
                  field + ".duration",
                  "must not be negative, but was " + p.duration().get()));
        }
      } else if (step instanceof CanaryStep.Analysis a) {
        checkRef(i, field, a.analysis(), problems);
      } else if (step instanceof CanaryStep.Experiment e) {
        checkExperiment(i, field, e, problems);
      } else if (step instanceof CanaryStep.SetCanaryScale s) {
        int set =
            (s.replicas().isPresent() ? 1 : 0)
                + (s.weight().isPresent() ? 1 : 0)
                + (s.matchTrafficWeight() ? 1 : 0);
        if (set != 1) {
          problems.add(
              new Problem(
                  index,
                  field,
                  "must set exactly one of replicas, weight and matchTrafficWeight, but set "
                      + set));
        }
        if (s.replicas().isPresent() && s.replicas().getAsInt() < 0) {
          problems.add(
              new Problem(
                  index, field + ".replicas", "must be >= 0, but was " + s.replicas().getAsInt()));
        }
        if (s.weight().isPresent()) {
          weight(index, field + ".weight", s.weight().getAsInt(), problems);
        }
      } else if (step instanceof CanaryStep.SetHeaderRoute h) {
        if (routers(trafficRouting).stream().anyMatch(r -> r instanceof TrafficRouting.Alb)) {
          for (CanaryStep.HeaderMatch m : h.match()) {
            if (!m.matchType().equals("exact")) {
              problems.add(
                  new Problem(
                      index,
                      field + ".match",
                      "ALB header conditions match exact values only, but header '"
                          + m.headerName()
                          + "' matches by "
                          + m.matchType()));
            }
          }
        }
        if (trafficRouting instanceof TrafficRouting.Istio istio
            && istio.destinationRule().isPresent()) {
          problems.add(
              new Problem(
                  index,
                  field,
                  "is not supported with Istio subset-level routing (destinationRule)"));
        } else if (routers(trafficRouting).stream().noneMatch(Builder::headerRoutes)) {
          problems.add(
              new Problem(
                  index,
                  field,
                  "needs Istio, ALB or APISIX traffic routing, but the plan has "
                      + (trafficRouting == null ? "none" : trafficRouting.describe())));
        }
      } else if (step instanceof CanaryStep.SetMirrorRoute m) {
        if (trafficRouting instanceof TrafficRouting.Istio istio
            && istio.destinationRule().isPresent()) {
          problems.add(
              new Problem(
                  index,
                  field,
                  "is not supported with Istio subset-level routing (destinationRule)"));
        } else if (routers(trafficRouting).stream()
            .noneMatch(r -> r instanceof TrafficRouting.Istio)) {
          problems.add(
              new Problem(
                  index,
                  field,
                  "needs Istio traffic routing, but the plan has "
                      + (trafficRouting == null ? "none" : trafficRouting.describe())));
        }
        percent(index, field + ".percentage", m.percentage(), problems);
      }
    }

    /** Argo Rollouts sends experiment weights through Istio host routing, SMI and ALB only. */
    private static boolean takesExperimentWeights(TrafficRouting r) {
      return (r instanceof TrafficRouting.Istio i && i.destinationRule().isEmpty())
          || r instanceof TrafficRouting.Smi
          || r instanceof TrafficRouting.Alb;
    }

    private void checkExperiment(
        int i, String field, CanaryStep.Experiment e, List<Problem> problems) {
      Optional<Integer> index = Optional.of(i);
      if (e.templates().isEmpty()) {
        problems.add(new Problem(index, field + ".templates", "must list at least one template"));
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int t = 0; t < e.templates().size(); t++) {
        io.glidepath.rollout.experiment.ExperimentTemplate tpl = e.templates().get(t);
        if (!names.add(tpl.name())) {
          problems.add(
              new Problem(
                  index, field + ".templates[" + t + "].name", "repeats '" + tpl.name() + "'"));
        }
        if (tpl.specRef().isEmpty()) {
          problems.add(
              new Problem(
                  index, field + ".templates[" + t + "].specRef", "must be canary or stable"));
        }
        if (tpl.weight().isPresent()) {
          if (trafficRouting == null) {
            problems.add(
                new Problem(
                    index,
                    field + ".templates[" + t + "].weight",
                    "needs traffic routing, but the plan has none"));
          } else if (!routers(trafficRouting).stream().allMatch(Builder::takesExperimentWeights)) {
            problems.add(
                new Problem(
                    index,
                    field + ".templates[" + t + "].weight",
                    "needs Istio (without destinationRule), SMI or ALB traffic routing, as in Argo"
                        + " Rollouts, but the plan has "
                        + trafficRouting.describe()));
          }
        }
      }
      int weights = e.templates().stream().mapToInt(x -> x.weight().orElse(0)).sum();
      int canaryWeight = 0;
      for (int k = 0; k < i; k++) {
        if (steps.get(k) instanceof CanaryStep.SetWeight w) {
          canaryWeight = w.weight();
        }
      }
      if (weights > 0 && canaryWeight + weights > maxTrafficWeight) {
        problems.add(
            new Problem(
                index,
                field + ".templates",
                "weights "
                    + weights
                    + " and the canary's "
                    + canaryWeight
                    + " add up to more than "
                    + maxTrafficWeight
                    + " (maxTrafficWeight)"));
      }
      java.util.Set<String> analysisNames = new java.util.HashSet<>();
      for (int a = 0; a < e.analyses().size(); a++) {
        io.glidepath.rollout.experiment.ExperimentAnalysis ea = e.analyses().get(a);
        if (!analysisNames.add(ea.name())) {
          problems.add(
              new Problem(
                  index, field + ".analyses[" + a + "].name", "repeats '" + ea.name() + "'"));
        }
        AnalysisRef ref =
            new AnalysisRef(
                List.of(ea.templateName()),
                ea.args(),
                ea.valueFrom(),
                ea.clusterScope() ? java.util.Set.of(ea.templateName()) : java.util.Set.of(),
                List.of(),
                List.of());
        checkRef(i, field + ".analyses[" + a + "]", ref, problems);
      }
    }

    /** A traffic weight: within 0..maxTrafficWeight (Argo validates setWeight the same way). */
    private void weight(Optional<Integer> index, String field, int value, List<Problem> problems) {
      if (value < 0 || value > maxTrafficWeight) {
        problems.add(
            new Problem(
                index,
                field,
                "must be within 0.."
                    + maxTrafficWeight
                    + (maxTrafficWeight == DEFAULT_MAX_TRAFFIC_WEIGHT
                        ? ""
                        : " (trafficRouting.maxTrafficWeight)")
                    + ", but was "
                    + value));
      }
    }

    private static void percent(
        Optional<Integer> index, String field, int value, List<Problem> problems) {
      if (value < 0 || value > 100) {
        problems.add(new Problem(index, field, "must be within 0..100, but was " + value));
      }
    }

    private void checkRef(Integer i, String field, AnalysisRef ref, List<Problem> problems) {
      Optional<Integer> index = Optional.ofNullable(i);
      if (ref.templates().isEmpty()) {
        problems.add(new Problem(index, field + ".templates", "must name at least one template"));
      }
      AnalysisRef effective = withSharedArgs(steps, ref);
      boolean allPresent = true;
      for (String t : ref.templates()) {
        boolean cluster = ref.isClusterScoped(t);
        AnalysisTemplate template = (cluster ? clusterTemplates : templates).get(t);
        if (template == null) {
          problems.add(
              new Problem(
                  index,
                  field + ".templates",
                  "names "
                      + (cluster ? "ClusterAnalysisTemplate" : "template")
                      + " '"
                      + t
                      + "', which is not supplied (supplied: "
                      + (cluster ? clusterTemplates : templates).keySet()
                      + ")"));
          allPresent = false;
        }
      }
      if (allPresent && !ref.templates().isEmpty()) {
        java.util.Set<String> given = new java.util.HashSet<>(effective.args().keySet());
        given.addAll(effective.valueFrom().keySet());
        for (var p :
            io.glidepath.rollout.internal.Analyses.check(
                templates, clusterTemplates, effective, given)) {
          problems.add(
              new Problem(
                  index,
                  field + "." + p.getKey(),
                  p.getKey().equals("args")
                      ? p.getValue() + ", and no analysis step of the plan does"
                      : p.getValue()));
        }
      }
    }
  }
}

package io.glidepath.rollout;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.core.time.GoDuration;
import io.glidepath.rollout.PlanValidationException.Problem;
import io.glidepath.rollout.internal.RolloutReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A blue-green rollout with Argo Rollouts' fields: the new version runs behind {@code
 * previewService}, is (optionally) analysed, then {@code activeService} switches to it.
 *
 * <pre>{@code
 * BlueGreenPlan plan = BlueGreenPlan.builder("trade-service")
 *     .activeService("trade-service").previewService("trade-service-preview")
 *     .autoPromotionSeconds(60)
 *     .prePromotionAnalysis(AnalysisRef.of("success-rate"))
 *     .template(successRate)
 *     .build();
 * }</pre>
 *
 * <p>Defaults: autoPromotionEnabled true, previewReplicaCount = replicas, scaleDownDelaySeconds
 * {@value CanaryPlan#DEFAULT_SCALE_DOWN_DELAY_SECONDS}. Immutable and thread-safe.
 */
public final class BlueGreenPlan implements RolloutSpec {
  private final String name;
  private final String namespace;
  private final int replicas;
  private final ObjectNode podTemplate;
  private final String activeService;
  private final Optional<String> previewService;
  private final OptionalInt previewReplicaCount;
  private final boolean autoPromotionEnabled;
  private final OptionalInt autoPromotionSeconds;
  private final Optional<AnalysisRef> prePromotionAnalysis;
  private final Optional<AnalysisRef> postPromotionAnalysis;
  private final int scaleDownDelaySeconds;
  private final String maxUnavailable;
  private final Map<String, AnalysisTemplate> templates;
  private final Map<String, AnalysisTemplate> clusterTemplates;
  private final RolloutOptions options;
  private final int abortScaleDownDelaySeconds;
  private final Optional<AntiAffinity> antiAffinity;
  private final PodMetadata previewMetadata;
  private final PodMetadata activeMetadata;
  private final OptionalInt scaleDownDelayRevisionLimit;

  private BlueGreenPlan(Builder b) {
    name = b.name;
    namespace = b.namespace;
    replicas = b.replicas;
    podTemplate = b.podTemplate.deepCopy();
    activeService = b.activeService;
    previewService = Optional.ofNullable(b.previewService);
    previewReplicaCount = b.previewReplicaCount;
    autoPromotionEnabled = b.autoPromotionEnabled;
    autoPromotionSeconds = b.autoPromotionSeconds;
    prePromotionAnalysis = Optional.ofNullable(b.prePromotionAnalysis);
    postPromotionAnalysis = Optional.ofNullable(b.postPromotionAnalysis);
    scaleDownDelaySeconds = b.scaleDownDelaySeconds;
    maxUnavailable = b.maxUnavailable;
    templates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.templates));
    clusterTemplates =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.clusterTemplates));
    options = b.options;
    abortScaleDownDelaySeconds = b.abortScaleDownDelaySeconds;
    antiAffinity = Optional.ofNullable(b.antiAffinity);
    previewMetadata = b.previewMetadata;
    activeMetadata = b.activeMetadata;
    scaleDownDelayRevisionLimit = b.scaleDownDelayRevisionLimit;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this plan's values. */
  public Builder newBuilder() {
    Builder b = new Builder(name);
    b.namespace = namespace;
    b.replicas = replicas;
    b.podTemplate = podTemplate.deepCopy();
    b.activeService = activeService;
    b.previewService = previewService.orElse(null);
    b.previewReplicaCount = previewReplicaCount;
    b.autoPromotionEnabled = autoPromotionEnabled;
    b.autoPromotionSeconds = autoPromotionSeconds;
    b.prePromotionAnalysis = prePromotionAnalysis.orElse(null);
    b.postPromotionAnalysis = postPromotionAnalysis.orElse(null);
    b.scaleDownDelaySeconds = scaleDownDelaySeconds;
    b.maxUnavailable = maxUnavailable;
    b.templates.putAll(templates);
    b.clusterTemplates.putAll(clusterTemplates);
    b.options = options;
    b.abortScaleDownDelaySeconds = abortScaleDownDelaySeconds;
    b.antiAffinity = antiAffinity.orElse(null);
    b.previewMetadata = previewMetadata;
    b.activeMetadata = activeMetadata;
    b.scaleDownDelayRevisionLimit = scaleDownDelayRevisionLimit;
    return b;
  }

  /**
   * Reads the blue-green Rollout in a YAML file; the (Cluster)AnalysisTemplates in the same file
   * (and {@code templates}) are the plan's templates.
   *
   * @throws io.glidepath.rollout.load.DocumentRefusedException naming the file, line and field of
   *     everything Glidepath refuses
   */
  public static BlueGreenPlan fromRollout(Path file, AnalysisTemplate... templates) {
    return RolloutReader.blueGreen(RolloutReader.read(file), List.of(templates));
  }

  /**
   * Reads the blue-green Rollout in {@code rolloutFile} with the templates in the same file and in
   * {@code templateFiles} (a later template of the same name wins).
   */
  public static BlueGreenPlan fromFiles(Path rolloutFile, List<Path> templateFiles) {
    List<AnalysisTemplate> extra = new ArrayList<>();
    for (Path f : templateFiles) {
      extra.addAll(AnalysisTemplate.readAll(f));
    }
    return RolloutReader.blueGreen(RolloutReader.read(rolloutFile), extra);
  }

  /** Like {@link #fromRollout(Path, AnalysisTemplate...)}, from YAML text. */
  public static BlueGreenPlan fromRollout(
      String yaml, String source, AnalysisTemplate... templates) {
    return RolloutReader.blueGreen(RolloutReader.read(yaml, source), List.of(templates));
  }

  /** Reads a parsed Rollout resource, with the templates it refers to. */
  public static BlueGreenPlan fromRollout(
      io.glidepath.core.resource.Resource rollout,
      java.util.Collection<AnalysisTemplate> templates) {
    return RolloutReader.blueGreen(RolloutReader.of(rollout), List.copyOf(templates));
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public int replicas() {
    return replicas;
  }

  public ObjectNode podTemplate() {
    return podTemplate.deepCopy();
  }

  public String activeService() {
    return activeService;
  }

  public Optional<String> previewService() {
    return previewService;
  }

  /** Replicas of the preview before promotion; empty = spec.replicas. */
  public OptionalInt previewReplicaCount() {
    return previewReplicaCount;
  }

  public boolean autoPromotionEnabled() {
    return autoPromotionEnabled;
  }

  public OptionalInt autoPromotionSeconds() {
    return autoPromotionSeconds;
  }

  public Optional<AnalysisRef> prePromotionAnalysis() {
    return prePromotionAnalysis;
  }

  public Optional<AnalysisRef> postPromotionAnalysis() {
    return postPromotionAnalysis;
  }

  public int scaleDownDelaySeconds() {
    return scaleDownDelaySeconds;
  }

  /**
   * Argo's {@code blueGreen.maxUnavailable}: how many pods a restart ({@code spec.restartAt}) takes
   * down at once, in replicas (a percentage rounds down; 0 still restarts one at a time).
   */
  public int maxUnavailableReplicas() {
    return io.glidepath.rollout.internal.CanaryReplicas.maxUnavailable(
        "0", maxUnavailable, replicas);
  }

  @Override
  public Map<String, AnalysisTemplate> templates() {
    return templates;
  }

  @Override
  public Map<String, AnalysisTemplate> clusterTemplates() {
    return clusterTemplates;
  }

  @Override
  public RolloutOptions options() {
    return options;
  }

  /** Seconds after an abort before the preview ReplicaSet is scaled down; 0: never. */
  public int abortScaleDownDelaySeconds() {
    return abortScaleDownDelaySeconds;
  }

  /** Anti-affinity of the new revision's pods to the active revision's nodes, if any. */
  public Optional<AntiAffinity> antiAffinity() {
    return antiAffinity;
  }

  /** Labels and annotations the new pods carry while they are the preview. */
  public PodMetadata previewMetadata() {
    return previewMetadata;
  }

  /** Labels and annotations the active pods carry. */
  public PodMetadata activeMetadata() {
    return activeMetadata;
  }

  /** With 0 the previous active ReplicaSet is scaled down at once after the switch. */
  public OptionalInt scaleDownDelayRevisionLimit() {
    return scaleDownDelayRevisionLimit;
  }

  /** The phases in order with the minimum duration. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("Blue-green plan ")
        .append(namespace)
        .append('/')
        .append(name)
        .append(" (")
        .append(replicas)
        .append(" replicas)\n");
    out.append("  1. new ReplicaSet at ")
        .append(previewReplicaCount.orElse(replicas))
        .append(" replicas behind ")
        .append(previewService.orElse("(no preview service)"))
        .append('\n');
    prePromotionAnalysis.ifPresent(
        a -> out.append("  2. pre-promotion analysis ").append(a.templates()).append('\n'));
    Duration min = Duration.ZERO;
    if (!autoPromotionEnabled) {
      out.append("  3. wait until promoted\n");
    } else if (autoPromotionSeconds.isPresent()) {
      min = Duration.ofSeconds(autoPromotionSeconds.getAsInt());
      out.append("  3. promote automatically after ").append(GoDuration.format(min)).append('\n');
    } else {
      out.append("  3. promote as soon as ready\n");
    }
    out.append("  4. switch ").append(activeService).append(" to the new ReplicaSet\n");
    postPromotionAnalysis.ifPresent(
        a -> out.append("  5. post-promotion analysis ").append(a.templates()).append('\n'));
    out.append("  6. scale the old ReplicaSet down after ")
        .append(scaleDownDelaySeconds)
        .append("s\n");
    out.append("  minimum duration: ")
        .append(GoDuration.format(min.plusSeconds(scaleDownDelaySeconds)))
        .append(autoPromotionEnabled ? "" : " plus time waiting for promotion")
        .append('\n');
    return out.toString();
  }

  @Override
  public String toString() {
    return "BlueGreenPlan[" + namespace + "/" + name + "]";
  }

  /** Builds a {@link BlueGreenPlan}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String namespace = "default";
    private int replicas = 1;
    private ObjectNode podTemplate = JsonNodeFactory.instance.objectNode();
    private String activeService;
    private String previewService;
    private OptionalInt previewReplicaCount = OptionalInt.empty();
    private boolean autoPromotionEnabled = true;
    private OptionalInt autoPromotionSeconds = OptionalInt.empty();
    private AnalysisRef prePromotionAnalysis;
    private AnalysisRef postPromotionAnalysis;
    private int scaleDownDelaySeconds = CanaryPlan.DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    private String maxUnavailable = "0";
    private final Map<String, AnalysisTemplate> templates = new LinkedHashMap<>();
    private final Map<String, AnalysisTemplate> clusterTemplates = new LinkedHashMap<>();
    private RolloutOptions options = RolloutOptions.ofDefaults();
    private int abortScaleDownDelaySeconds = CanaryPlan.DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    private AntiAffinity antiAffinity;
    private PodMetadata previewMetadata = PodMetadata.NONE;
    private PodMetadata activeMetadata = PodMetadata.NONE;
    private OptionalInt scaleDownDelayRevisionLimit = OptionalInt.empty();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder podTemplate(ObjectNode template) {
      this.podTemplate = template.deepCopy();
      return this;
    }

    public Builder activeService(String service) {
      this.activeService = service;
      return this;
    }

    public Builder previewService(String service) {
      this.previewService = service;
      return this;
    }

    public Builder previewReplicaCount(int count) {
      this.previewReplicaCount = OptionalInt.of(count);
      return this;
    }

    public Builder autoPromotionEnabled(boolean enabled) {
      this.autoPromotionEnabled = enabled;
      return this;
    }

    public Builder autoPromotionSeconds(int seconds) {
      this.autoPromotionSeconds = OptionalInt.of(seconds);
      return this;
    }

    public Builder prePromotionAnalysis(AnalysisRef ref) {
      this.prePromotionAnalysis = ref;
      return this;
    }

    public Builder postPromotionAnalysis(AnalysisRef ref) {
      this.postPromotionAnalysis = ref;
      return this;
    }

    public Builder scaleDownDelaySeconds(int seconds) {
      this.scaleDownDelaySeconds = seconds;
      return this;
    }

    /**
     * Argo's {@code blueGreen.maxUnavailable} (a number or a percentage, default 0): the pods a
     * restart takes down at once.
     */
    public Builder maxUnavailable(String value) {
      this.maxUnavailable = Objects.requireNonNull(value, "value");
      return this;
    }

    /** Supplies a template; a ClusterAnalysisTemplate is filed apart, for clusterScope. */
    public Builder template(AnalysisTemplate template) {
      (template.kind() == AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE
              ? clusterTemplates
              : templates)
          .put(template.name(), template);
      return this;
    }

    public Builder options(RolloutOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Seconds after an abort before the preview is scaled down; 0: never. Must be >= 0. */
    public Builder abortScaleDownDelaySeconds(int seconds) {
      this.abortScaleDownDelaySeconds = seconds;
      return this;
    }

    public Builder antiAffinity(AntiAffinity antiAffinity) {
      this.antiAffinity = antiAffinity;
      return this;
    }

    public Builder previewMetadata(PodMetadata metadata) {
      this.previewMetadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    public Builder activeMetadata(PodMetadata metadata) {
      this.activeMetadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    public Builder scaleDownDelayRevisionLimit(int limit) {
      this.scaleDownDelayRevisionLimit = OptionalInt.of(limit);
      return this;
    }

    /** Validates and builds. */
    public BlueGreenPlan build() {
      List<Problem> problems = new ArrayList<>();
      if (activeService == null || activeService.isBlank()) {
        problems.add(new Problem(Optional.empty(), "activeService", "is required"));
      }
      if (activeService != null && activeService.equals(previewService)) {
        problems.add(
            new Problem(
                Optional.empty(),
                "previewService",
                "must differ from activeService, but both are '" + activeService + "'"));
      }
      io.glidepath.rollout.internal.CanaryReplicas.invalid(maxUnavailable)
          .ifPresent(m -> problems.add(new Problem(Optional.empty(), "maxUnavailable", m)));
      if (replicas < 0) {
        problems.add(
            new Problem(Optional.empty(), "replicas", "must be >= 0, but was " + replicas));
      }
      if (previewReplicaCount.isPresent()
          && (previewReplicaCount.getAsInt() < 0 || previewReplicaCount.getAsInt() > replicas)) {
        problems.add(
            new Problem(
                Optional.empty(),
                "previewReplicaCount",
                "must be within 0.." + replicas + ", but was " + previewReplicaCount.getAsInt()));
      }
      if (autoPromotionSeconds.isPresent() && autoPromotionSeconds.getAsInt() < 0) {
        problems.add(
            new Problem(
                Optional.empty(),
                "autoPromotionSeconds",
                "must be >= 0, but was " + autoPromotionSeconds.getAsInt()));
      }
      if (scaleDownDelaySeconds < 0) {
        problems.add(
            new Problem(
                Optional.empty(),
                "scaleDownDelaySeconds",
                "must be >= 0, but was " + scaleDownDelaySeconds));
      }
      if (abortScaleDownDelaySeconds < 0) {
        problems.add(
            new Problem(
                Optional.empty(),
                "abortScaleDownDelaySeconds",
                "must be >= 0, but was " + abortScaleDownDelaySeconds));
      }
      if (scaleDownDelayRevisionLimit.isPresent() && scaleDownDelayRevisionLimit.getAsInt() < 0) {
        problems.add(
            new Problem(
                Optional.empty(),
                "scaleDownDelayRevisionLimit",
                "must be >= 0, but was " + scaleDownDelayRevisionLimit.getAsInt()));
      }
      check("prePromotionAnalysis", prePromotionAnalysis, problems);
      check("postPromotionAnalysis", postPromotionAnalysis, problems);
      if (!problems.isEmpty()) {
        throw new PlanValidationException(name, problems);
      }
      return new BlueGreenPlan(this);
    }

    private void check(String field, AnalysisRef ref, List<Problem> problems) {
      if (ref == null) {
        return;
      }
      if (ref.templates().isEmpty()) {
        problems.add(new Problem(Optional.empty(), field, "must name at least one template"));
      }
      boolean allPresent = true;
      for (String t : ref.templates()) {
        boolean cluster = ref.isClusterScoped(t);
        AnalysisTemplate template = (cluster ? clusterTemplates : templates).get(t);
        if (template == null) {
          allPresent = false;
          problems.add(
              new Problem(
                  Optional.empty(),
                  field + ".templates",
                  "names "
                      + (cluster ? "ClusterAnalysisTemplate" : "template")
                      + " '"
                      + t
                      + "', which is not supplied"));
        }
      }
      if (allPresent && !ref.templates().isEmpty()) {
        java.util.Set<String> given = new java.util.HashSet<>(ref.args().keySet());
        given.addAll(ref.valueFrom().keySet());
        for (var p :
            io.glidepath.rollout.internal.Analyses.check(templates, clusterTemplates, ref, given)) {
          problems.add(new Problem(Optional.empty(), field + "." + p.getKey(), p.getValue()));
        }
      }
    }
  }
}

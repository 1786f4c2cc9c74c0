package io.glidepath.rollout.experiment;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.AnalysisTemplate.MeasurementRetention;
import io.glidepath.rollout.PlanValidationException;
import io.glidepath.rollout.PlanValidationException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An Argo Rollouts {@code Experiment}: ReplicaSets run side by side for a duration while analyses
 * judge them; the experiment's phase is the worst of its analyses (Successful without any).
 *
 * <pre>{@code
 * ExperimentSpec e = ExperimentSpec.builder("canary-vs-baseline")
 *     .template(baseline).template(canary)
 *     .duration(Duration.ofMinutes(10))
 *     .analysis(ExperimentAnalysis.of("compare", "mann-whitney"))
 *     .analysisTemplate(mannWhitney)
 *     .build();
 * }</pre>
 *
 * <p>Without a duration the experiment lasts until the analyses marked {@code
 * requiredForCompletion} complete, or (with none) until it is terminated. Defaults: namespace
 * {@code default}, progressDeadlineSeconds 600, scaleDownDelaySeconds {@value
 * #DEFAULT_SCALE_DOWN_DELAY_SECONDS}. Immutable and thread-safe.
 */
public final class ExperimentSpec {
  /** Argo's default delay before an experiment's ReplicaSets are scaled down. */
  public static final int DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

  /** Argo's default experiment progressDeadlineSeconds. */
  public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  private final String name;
  private final String namespace;
  private final List<ExperimentTemplate> templates;
  private final Optional<Duration> duration;
  private final int progressDeadlineSeconds;
  private final boolean terminate;
  private final List<ExperimentAnalysis> analyses;
  private final int scaleDownDelaySeconds;
  private final List<String> dryRun;
  private final List<MeasurementRetention> measurementRetention;
  private final Map<String, AnalysisTemplate> analysisTemplates;
  private final Map<String, AnalysisTemplate> clusterTemplates;

  private ExperimentSpec(Builder b) {
    name = b.name;
    namespace = b.namespace;
    templates = List.copyOf(b.templates);
    duration = Optional.ofNullable(b.duration);
    progressDeadlineSeconds = b.progressDeadlineSeconds;
    terminate = b.terminate;
    analyses = List.copyOf(b.analyses);
    scaleDownDelaySeconds = b.scaleDownDelaySeconds;
    dryRun = List.copyOf(b.dryRun);
    measurementRetention = List.copyOf(b.measurementRetention);
    analysisTemplates =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.analysisTemplates));
    clusterTemplates =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.clusterTemplates));
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this experiment's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.namespace = namespace;
    b.templates.addAll(templates);
    b.duration = duration.orElse(null);
    b.progressDeadlineSeconds = progressDeadlineSeconds;
    b.terminate = terminate;
    b.analyses.addAll(analyses);
    b.scaleDownDelaySeconds = scaleDownDelaySeconds;
    b.dryRun.addAll(dryRun);
    b.measurementRetention.addAll(measurementRetention);
    b.analysisTemplates.putAll(analysisTemplates);
    b.clusterTemplates.putAll(clusterTemplates);
    return b;
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public List<ExperimentTemplate> templates() {
    return templates;
  }

  /** How long the experiment runs once its ReplicaSets are available; empty: see above. */
  public Optional<Duration> duration() {
    return duration;
  }

  /** Seconds the ReplicaSets may take to become available before the experiment fails. */
  public int progressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  /** {@code terminate: true}: the experiment stops at once (its analyses are terminated). */
  public boolean terminate() {
    return terminate;
  }

  public List<ExperimentAnalysis> analyses() {
    return analyses;
  }

  /** Seconds after the experiment ends before its ReplicaSets are scaled to 0. */
  public int scaleDownDelaySeconds() {
    return scaleDownDelaySeconds;
  }

  /** Dry-run metric patterns applied to every analysis. */
  public List<String> dryRun() {
    return dryRun;
  }

  /** Retention rules applied to every analysis. */
  public List<MeasurementRetention> measurementRetention() {
    return measurementRetention;
  }

  /** The AnalysisTemplates the analyses name, by name. */
  public Map<String, AnalysisTemplate> analysisTemplates() {
    return analysisTemplates;
  }

  /** The ClusterAnalysisTemplates the analyses name with clusterScope, by name. */
  public Map<String, AnalysisTemplate> clusterTemplates() {
    return clusterTemplates;
  }

  /** The template an analysis names. */
  public AnalysisTemplate template(ExperimentAnalysis analysis) {
    AnalysisTemplate t =
        (analysis.clusterScope() ? clusterTemplates : analysisTemplates)
            .get(analysis.templateName());
    if (t == null) {
      throw new IllegalArgumentException(
          "experiment '" + name + "' has no template '" + analysis.templateName() + "'");
    }
    return t;
  }

  @Override
  public String toString() {
    return "Experiment[" + namespace + "/" + name + ", " + templates.size() + " templates]";
  }

  /** Builds an {@link ExperimentSpec}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String namespace = "default";
    private final List<ExperimentTemplate> templates = new ArrayList<>();
    private Duration duration;
    private int progressDeadlineSeconds = DEFAULT_PROGRESS_DEADLINE_SECONDS;
    private boolean terminate;
    private final List<ExperimentAnalysis> analyses = new ArrayList<>();
    private int scaleDownDelaySeconds = DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    private final List<String> dryRun = new ArrayList<>();
    private final List<MeasurementRetention> measurementRetention = new ArrayList<>();
    private final Map<String, AnalysisTemplate> analysisTemplates = new LinkedHashMap<>();
    private final Map<String, AnalysisTemplate> clusterTemplates = new LinkedHashMap<>();

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

    public Builder template(ExperimentTemplate template) {
      templates.add(Objects.requireNonNull(template, "template"));
      return this;
    }

    public Builder duration(Duration duration) {
      if (duration != null && duration.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative, but was " + duration);
      }
      this.duration = duration;
      return this;
    }

    public Builder progressDeadlineSeconds(int seconds) {
      if (seconds < 1) {
        throw new IllegalArgumentException(
            "progressDeadlineSeconds must be >= 1, but was " + seconds);
      }
      this.progressDeadlineSeconds = seconds;
      return this;
    }

    public Builder terminate(boolean terminate) {
      this.terminate = terminate;
      return this;
    }

    public Builder analysis(ExperimentAnalysis analysis) {
      analyses.add(Objects.requireNonNull(analysis, "analysis"));
      return this;
    }

    public Builder scaleDownDelaySeconds(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException(
            "scaleDownDelaySeconds must be >= 0, but was " + seconds);
      }
      this.scaleDownDelaySeconds = seconds;
      return this;
    }

    public Builder addDryRun(String metricNamePattern) {
      dryRun.add(Objects.requireNonNull(metricNamePattern, "metricNamePattern"));
      return this;
    }

    public Builder addMeasurementRetention(MeasurementRetention rule) {
      measurementRetention.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** Supplies an (Cluster)AnalysisTemplate the analyses name, filed by its kind. */
    public Builder analysisTemplate(AnalysisTemplate template) {
      (template.kind() == AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE
              ? clusterTemplates
              : analysisTemplates)
          .put(template.name(), template);
      return this;
    }

    /** Validates and builds. */
    public ExperimentSpec build() {
      List<Problem> problems = new ArrayList<>();
      if (templates.isEmpty()) {
        problems.add(new Problem(Optional.empty(), "templates", "must list at least one template"));
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < templates.size(); i++) {
        if (!names.add(templates.get(i).name())) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  "templates[" + i + "].name",
                  "repeats '" + templates.get(i).name() + "'"));
        }
      }
      Set<String> analysisNames = new HashSet<>();
      for (int i = 0; i < analyses.size(); i++) {
        ExperimentAnalysis a = analyses.get(i);
        String field = "analyses[" + i + "]";
        if (!analysisNames.add(a.name())) {
          problems.add(
              new Problem(Optional.empty(), field + ".name", "repeats '" + a.name() + "'"));
        }
        AnalysisTemplate t =
            (a.clusterScope() ? clusterTemplates : analysisTemplates).get(a.templateName());
        if (t == null) {
          problems.add(
              new Problem(
                  Optional.empty(),
                  field + ".templateName",
                  "names "
                      + (a.clusterScope() ? "ClusterAnalysisTemplate" : "AnalysisTemplate")
                      + " '"
                      + a.templateName()
                      + "', which is not supplied"));
        }
      }
      if (!problems.isEmpty()) {
        throw new PlanValidationException(name, problems);
      }
      return new ExperimentSpec(this);
    }
  }
}

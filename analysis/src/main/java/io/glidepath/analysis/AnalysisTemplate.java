package io.glidepath.analysis;

import com.google.re2j.Pattern;
import io.glidepath.analysis.internal.ArgSubstitution;
import io.glidepath.analysis.internal.TemplateReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An Argo Rollouts {@code AnalysisTemplate} or {@code ClusterAnalysisTemplate}: arguments, metrics,
 * dry-run rules and measurement retention.
 *
 * <p>Read one from Argo YAML unchanged ({@link #read(Path, String)}, {@link #parse(String,
 * String)}) or build one in Java ({@link #newBuilder(String)}). Unknown fields are errors that name
 * their path. Before running, {@link #resolve(Map, ArgumentResolver)} substitutes {@code
 * {{args.NAME}}}; values that land inside a PromQL string literal are escaped so that they cannot
 * end the literal.
 *
 * <pre>{@code
 * AnalysisTemplate t = AnalysisTemplate.read(Path.of("rollout.yaml"), "success-rate")
 *     .resolve(Map.of("service-name", "trade-service"), ArgumentResolver.NONE);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AnalysisTemplate {
  /** Argo's default number of measurements retained per metric. */
  public static final int DEFAULT_MEASUREMENT_RETENTION = 10;

  /** The two kinds of template Argo Rollouts knows. */
  public enum Kind {
    ANALYSIS_TEMPLATE("AnalysisTemplate"),
    CLUSTER_ANALYSIS_TEMPLATE("ClusterAnalysisTemplate");

    private final String kindName;

    Kind(String kindName) {
      this.kindName = kindName;
    }

    /** The Kubernetes kind, e.g. {@code AnalysisTemplate}. */
    public String kindName() {
      return kindName;
    }
  }

  /**
   * Keep {@code limit} measurements of metrics whose name matches {@code metricName} (a regular
   * expression, or {@code *}).
   *
   * @param metricName regular expression matched anywhere in the name (as Argo does), or {@code *}
   * @param limit measurements to keep, >= 1
   */
  public record MeasurementRetention(String metricName, int limit) {
    public MeasurementRetention {
      Objects.requireNonNull(metricName, "metricName");
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
      }
      compileMetricPattern(metricName);
    }
  }

  private final Kind kind;
  private final String name;
  private final String namespace;
  private final List<Argument> args;
  private final List<Metric> metrics;
  private final List<String> dryRun;
  private final List<MeasurementRetention> retention;
  private final String source;
  private final Set<String> sensitiveValues;

  private AnalysisTemplate(Builder b, Set<String> sensitiveValues) {
    this.kind = b.kind;
    this.name = b.name;
    this.namespace = b.namespace;
    this.args = List.copyOf(b.args);
    this.metrics = List.copyOf(b.metrics);
    this.dryRun = List.copyOf(b.dryRun);
    this.retention = List.copyOf(b.retention);
    this.source = b.source;
    this.sensitiveValues = Set.copyOf(sensitiveValues);
  }

  /** A builder for a template named {@code name}. */
  public static Builder newBuilder(String name) {
    return new Builder(name);
  }

  /** A builder holding this template's settings. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /**
   * Reads every AnalysisTemplate and ClusterAnalysisTemplate in a YAML stream; other documents (a
   * Rollout, a Service) are skipped.
   *
   * @throws TemplateException naming the source and field path of an invalid template
   */
  public static List<AnalysisTemplate> parseAll(String yaml, String source) {
    return TemplateReader.readAll(yaml, source);
  }

  /** The only (or first) template in a YAML stream. */
  public static AnalysisTemplate parse(String yaml, String source) {
    List<AnalysisTemplate> all = parseAll(yaml, source);
    if (all.isEmpty()) {
      throw new TemplateException(
          source, "", "no AnalysisTemplate or ClusterAnalysisTemplate found");
    }
    return all.get(0);
  }

  /** All templates in a YAML file. */
  public static List<AnalysisTemplate> readAll(Path file) {
    return TemplateReader.readAll(file);
  }

  /** The template named {@code name} in a YAML file. */
  public static AnalysisTemplate read(Path file, String name) {
    return readAll(file).stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new TemplateException(file.toString(), "", "no template named '" + name + "'"));
  }

  /** A template from one parsed document. */
  public static AnalysisTemplate fromTree(JsonNode document, String source) {
    return TemplateReader.fromTree(document, source);
  }

  /**
   * One template holding the arguments, metrics and rules of several, as Argo Rollouts flattens the
   * templates of one analysis into a single run. One template is returned unchanged.
   *
   * <p>Arguments declared by several templates merge: a declaration with a value (or {@code
   * valueFrom}) replaces one without; two different values are refused.
   *
   * @throws IllegalArgumentException with Argo's messages: {@code two metrics have the same name
   *     'x'}, {@code two Dry-Run metric rules have the same name 'x'}, {@code two Measurement
   *     Retention metric rules have the same name 'x'}, {@code Argument `x` specified multiple
   *     times with different values: 'a', 'b'}
   */
  public static AnalysisTemplate combine(String name, List<AnalysisTemplate> templates) {
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("templates must not be empty");
    }
    if (templates.size() == 1) {
      return templates.get(0);
    }
    Builder b = newBuilder(name);
    b.source(templates.get(0).source());
    templates.get(0).namespace().ifPresent(b::namespace);
    List<Argument> args = new ArrayList<>();
    Set<String> metricNames = new LinkedHashSet<>();
    Set<String> dryRunNames = new LinkedHashSet<>();
    Set<String> retentionNames = new LinkedHashSet<>();
    for (AnalysisTemplate t : templates) {
      for (Metric m : t.metrics()) {
        if (!metricNames.add(m.name())) {
          throw new IllegalArgumentException("two metrics have the same name '" + m.name() + "'");
        }
        b.metrics.add(m);
      }
      for (String d : t.dryRun()) {
        if (!dryRunNames.add(d)) {
          throw new IllegalArgumentException(
              "two Dry-Run metric rules have the same name '" + d + "'");
        }
        b.dryRun.add(d);
      }
      for (MeasurementRetention r : t.measurementRetention()) {
        if (!retentionNames.add(r.metricName())) {
          throw new IllegalArgumentException(
              "two Measurement Retention metric rules have the same name '" + r.metricName() + "'");
        }
        b.retention.add(r);
      }
      for (Argument a : t.args()) {
        appendOrUpdate(args, a);
      }
      b.sensitive.addAll(t.sensitiveValues());
    }
    b.args.addAll(args);
    return b.build();
  }

  private static void appendOrUpdate(List<Argument> args, Argument arg) {
    for (int i = 0; i < args.size(); i++) {
      Argument prev = args.get(i);
      if (!prev.name().equals(arg.name())) {
        continue;
      }
      if (prev.value().isPresent()
          && arg.value().isPresent()
          && !prev.value().get().equals(arg.value().get())) {
        throw new IllegalArgumentException(
            "Argument `"
                + arg.name()
                + "` specified multiple times with different values: '"
                + prev.value().get()
                + "', '"
                + arg.value().get()
                + "'");
      }
      boolean prevHasNone = prev.value().isEmpty() && prev.valueFrom().isEmpty();
      if (prevHasNone && (arg.value().isPresent() || arg.valueFrom().isPresent())) {
        args.set(i, arg);
      }
      return;
    }
    args.add(arg);
  }

  /**
   * This template with an analysis' own dry-run and retention rules added, as Argo merges a
   * rollout's rules with the templates': the analysis' rules whose metric name no template rule has
   * come first, then the template's rules.
   */
  public AnalysisTemplate withRunRules(
      List<String> runDryRun, List<MeasurementRetention> runRetention) {
    if (runDryRun.isEmpty() && runRetention.isEmpty()) {
      return this;
    }
    Builder b = newBuilder();
    b.dryRun.clear();
    for (String d : runDryRun) {
      if (!dryRun.contains(d) && !b.dryRun.contains(d)) {
        b.addDryRun(d);
      }
    }
    b.dryRun.addAll(dryRun);
    b.retention.clear();
    for (MeasurementRetention r : runRetention) {
      boolean known =
          retention.stream().anyMatch(x -> x.metricName().equals(r.metricName()))
              || b.retention.stream().anyMatch(x -> x.metricName().equals(r.metricName()));
      if (!known) {
        b.addMeasurementRetention(r);
      }
    }
    b.retention.addAll(retention);
    return b.build();
  }

  /**
   * Checks that every dry-run and retention rule matches a metric, as Argo does before a run
   * starts.
   *
   * @throws IllegalArgumentException {@code dryRun[i]: Rule didn't match any metric name(s)} or
   *     {@code measurementRetention[i]: Rule didn't match any metric name(s)}
   */
  public void checkRules() {
    for (int i = 0; i < dryRun.size(); i++) {
      if (!matchesAnyMetric(dryRun.get(i))) {
        throw new IllegalArgumentException(
            "dryRun[" + i + "]: Rule didn't match any metric name(s)");
      }
    }
    for (int i = 0; i < retention.size(); i++) {
      if (!matchesAnyMetric(retention.get(i).metricName())) {
        throw new IllegalArgumentException(
            "measurementRetention[" + i + "]: Rule didn't match any metric name(s)");
      }
    }
  }

  private boolean matchesAnyMetric(String rule) {
    for (Metric m : metrics) {
      if (compileMetricPattern(rule).matcher(m.name()).find()) {
        return true;
      }
    }
    return false;
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  public List<Argument> args() {
    return args;
  }

  public List<Metric> metrics() {
    return metrics;
  }

  /** The metric named {@code metricName}. */
  public Optional<Metric> metric(String metricName) {
    return metrics.stream().filter(m -> m.name().equals(metricName)).findFirst();
  }

  /** The dry-run metric name patterns. */
  public List<String> dryRun() {
    return dryRun;
  }

  public List<MeasurementRetention> measurementRetention() {
    return retention;
  }

  /** Where the template was read from ({@code <java>} when built in code). */
  public String source() {
    return source;
  }

  /**
   * True if the metric runs in dry-run mode: a {@code dryRun} entry is {@code *} or a regular
   * expression found in the name (Argo's unanchored match).
   */
  public boolean isDryRun(String metricName) {
    for (String pattern : dryRun) {
      if (compileMetricPattern(pattern).matcher(metricName).find()) {
        return true;
      }
    }
    return false;
  }

  /** Measurements retained for the metric: the first matching rule's limit, else 10. */
  public int retentionFor(String metricName) {
    for (MeasurementRetention r : retention) {
      if (compileMetricPattern(r.metricName()).matcher(metricName).find()) {
        return r.limit();
      }
    }
    return DEFAULT_MEASUREMENT_RETENTION;
  }

  /**
   * Values that came from secrets when the template was resolved; the analysis masks them in
   * messages.
   */
  public Set<String> sensitiveValues() {
    return sensitiveValues;
  }

  /** Substitutes argument values supplied here (or defaults) into every metric. */
  public AnalysisTemplate resolve(Map<String, String> values) {
    return resolve(values, ArgumentResolver.NONE);
  }

  /**
   * Substitutes {@code {{args.NAME}}} in every metric's conditions and provider settings.
   *
   * <p>A value comes from {@code values}, else the argument's default, else its {@code valueFrom}
   * via {@code resolver}. Inside a PromQL string literal ({@code "..."} or {@code '...'}) the value
   * is escaped ({@code \}, quotes and control characters), so {@code a"} cannot end the literal; a
   * value in a backtick literal must not contain a backtick.
   *
   * <p>Every declared argument must end with a value, whether a metric uses it or not (Argo's
   * {@code args.NAME was not resolved}); values for undeclared arguments are ignored. Fields that
   * held an argument ({@code count: "{{args.n}}"}) are set and checked once substituted.
   *
   * @throws MissingArgumentException if a declared argument has no value, or a metric refers to an
   *     undeclared argument
   * @throws IllegalArgumentException if a substituted field is invalid (e.g. a count that is not a
   *     number, or below failureLimit)
   */
  public AnalysisTemplate resolve(Map<String, String> values, ArgumentResolver resolver) {
    return resolve(values, resolver, ArgumentBinding.TEXT);
  }

  /**
   * Like {@link #resolve(Map, ArgumentResolver)}, with the conditions' arguments bound as {@code
   * binding} says: {@link ArgumentBinding#VARIABLES} makes each argument one CEL value, so that no
   * argument can change what a condition does ({@code docs/analysis.md}, "Arguments in
   * conditions").
   */
  public AnalysisTemplate resolve(
      Map<String, String> values, ArgumentResolver resolver, ArgumentBinding binding) {
    Map<String, String> resolved = new LinkedHashMap<>();
    Set<String> secrets = new LinkedHashSet<>(sensitiveValues);
    for (Argument arg : args) {
      String value = values.get(arg.name());
      if (value == null && arg.value().isPresent()) {
        value = arg.value().get();
      }
      if (value == null && arg.valueFrom().isPresent()) {
        Optional<String> found = resolver.resolve(arg.valueFrom().get());
        if (found.isPresent()) {
          value = found.get();
          if (arg.valueFrom().get() instanceof Argument.SecretKeyRef && !value.isEmpty()) {
            secrets.add(value);
          }
        }
      }
      if (value == null) {
        // Argo refuses a run whose template declares an argument left without a value, used or not
        Optional<Metric> user = metrics.stream().filter(m -> uses(m, arg.name())).findFirst();
        throw user.isPresent()
            ? new MissingArgumentException(name, user.get().name(), arg.name())
            : new MissingArgumentException(name, arg.name());
      }
      resolved.put(arg.name(), value);
    }
    Set<String> declared = new LinkedHashSet<>();
    args.forEach(a -> declared.add(a.name()));
    Builder b = newBuilder();
    b.metrics.clear();
    for (Metric m : metrics) {
      b.metrics.add(ArgSubstitution.resolve(this, m, declared, resolved, binding));
    }
    return new AnalysisTemplate(b, secrets);
  }

  private static boolean uses(Metric m, String arg) {
    Pattern p = Pattern.compile("\\{\\{\\s*args\\." + Pattern.quote(arg) + "\\s*}}");
    return m.successCondition().filter(c -> p.matcher(c).find()).isPresent()
        || m.failureCondition().filter(c -> p.matcher(c).find()).isPresent()
        || p.matcher(m.provider().config().toString()).find()
        || m.unresolvedFields().values().stream().anyMatch(v -> p.matcher(v).find());
  }

  @Override
  public String toString() {
    return kind.kindName() + "[" + (namespace == null ? "" : namespace + "/") + name + "]";
  }

  static Pattern compileMetricPattern(String pattern) {
    if (pattern.equals("*")) {
      return Pattern.compile("");
    }
    // RE2 semantics, as Argo's Go regexp: linear time whatever the pattern, so a hostile
    // (.*a){20}b cannot stall the analysis
    try {
      return Pattern.compile(pattern);
    } catch (com.google.re2j.PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "metricName must be a regular expression (RE2 syntax) or '*', but was '"
              + pattern
              + "': "
              + e.getDescription(),
          e);
    }
  }

  /** Builds an {@link AnalysisTemplate}; validates as it goes. */
  public static final class Builder {
    private Kind kind = Kind.ANALYSIS_TEMPLATE;
    private String name;
    private String namespace;
    private final List<Argument> args = new ArrayList<>();
    private final List<Metric> metrics = new ArrayList<>();
    private final List<String> dryRun = new ArrayList<>();
    private final List<MeasurementRetention> retention = new ArrayList<>();
    private String source = "<java>";
    private final Set<String> sensitive = new LinkedHashSet<>();

    private Builder(String name) {
      name(name);
    }

    private Builder(AnalysisTemplate t) {
      this.kind = t.kind;
      this.name = t.name;
      this.namespace = t.namespace;
      this.args.addAll(t.args);
      this.metrics.addAll(t.metrics);
      this.dryRun.addAll(t.dryRun);
      this.retention.addAll(t.retention);
      this.source = t.source;
      this.sensitive.addAll(t.sensitiveValues);
    }

    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    public Builder kind(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder addArg(Argument arg) {
      Objects.requireNonNull(arg, "arg");
      if (args.stream().anyMatch(a -> a.name().equals(arg.name()))) {
        throw new IllegalArgumentException("argument '" + arg.name() + "' is declared twice");
      }
      args.add(arg);
      return this;
    }

    /** Replaces the metrics with {@code newMetrics}. */
    public Builder metrics(List<Metric> newMetrics) {
      metrics.clear();
      newMetrics.forEach(this::addMetric);
      return this;
    }

    public Builder addMetric(Metric metric) {
      Objects.requireNonNull(metric, "metric");
      if (metrics.stream().anyMatch(m -> m.name().equals(metric.name()))) {
        throw new IllegalArgumentException("metric '" + metric.name() + "' is declared twice");
      }
      metrics.add(metric);
      return this;
    }

    /** Runs metrics whose name matches {@code metricNamePattern} (regex or {@code *}) dry. */
    public Builder addDryRun(String metricNamePattern) {
      compileMetricPattern(metricNamePattern);
      dryRun.add(metricNamePattern);
      return this;
    }

    public Builder addMeasurementRetention(MeasurementRetention rule) {
      retention.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public AnalysisTemplate build() {
      if (metrics.isEmpty()) {
        throw new IllegalArgumentException("template '" + name + "': metrics must not be empty");
      }
      return new AnalysisTemplate(this, sensitive);
    }
  }
}

package io.glidepath.analysis;

import io.glidepath.analysis.condition.Condition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One metric of an analysis template: what to measure (the provider), how often, and how
 * measurements are judged.
 *
 * <p>Fields and defaults are Argo Rollouts': {@code failureLimit} 0 ({@code -1} disables it),
 * {@code inconclusiveLimit} 0, {@code consecutiveErrorLimit} 4, {@code consecutiveSuccessLimit} 0
 * (disabled). Without an interval the metric takes one measurement; with an interval and no count
 * it runs until the analysis is terminated. {@code successLimit} is not an Argo field: it carries
 * the meaning the seed article gives it (see {@link Builder#successLimit(Integer)}).
 *
 * <p>Example:
 *
 * <pre>{@code
 * Metric m = Metric.newBuilder("success-rate")
 *     .interval(Duration.ofSeconds(30)).count(6).failureLimit(2)
 *     .successCondition("result[0] >= 0.99").failureCondition("result[0] < 0.95")
 *     .provider(new ProviderSpec("prometheus", config))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #newBuilder()} gives a builder for a modified copy.
 */
public final class Metric {
  /** Argo's default failure limit. */
  public static final int DEFAULT_FAILURE_LIMIT = 0;

  /** Argo's default inconclusive limit. */
  public static final int DEFAULT_INCONCLUSIVE_LIMIT = 0;

  /** Argo's default consecutive error limit. */
  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

  /** Argo's default consecutive success limit (0: disabled). */
  public static final int DEFAULT_CONSECUTIVE_SUCCESS_LIMIT = 0;

  /**
   * The fields that may hold an argument ({@code count: "{{args.count}}"}) until the template is
   * resolved, as Argo's integer-or-string and duration fields do.
   */
  public static final Set<String> ARGUMENT_FIELDS =
      Set.of(
          "interval",
          "initialDelay",
          "count",
          "failureLimit",
          "inconclusiveLimit",
          "consecutiveErrorLimit",
          "consecutiveSuccessLimit");

  private final String name;
  private final Duration interval;
  private final Duration initialDelay;
  private final Integer count;
  private final String successCondition;
  private final String failureCondition;
  private final int failureLimit;
  private final int inconclusiveLimit;
  private final int consecutiveErrorLimit;
  private final int consecutiveSuccessLimit;
  private final Integer successLimit;
  private final ProviderSpec provider;
  private final Map<String, Object> conditionArgs;
  private final Map<String, String> unresolved;
  private final boolean lenientConditions;

  private Metric(Builder b) {
    this.name = b.name;
    this.interval = b.interval;
    this.initialDelay = b.initialDelay;
    this.count = b.count;
    this.successCondition = b.successCondition;
    this.failureCondition = b.failureCondition;
    this.failureLimit = b.failureLimit;
    this.inconclusiveLimit = b.inconclusiveLimit;
    this.consecutiveErrorLimit = b.consecutiveErrorLimit;
    this.consecutiveSuccessLimit = b.consecutiveSuccessLimit;
    this.successLimit = b.successLimit;
    this.provider = b.provider;
    this.conditionArgs = Map.copyOf(b.conditionArgs);
    this.unresolved = Map.copyOf(b.unresolved);
    this.lenientConditions = b.lenientConditions;
  }

  /** A builder for a metric named {@code name}. */
  public static Builder newBuilder(String name) {
    return new Builder(name);
  }

  /** A builder holding this metric's settings. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  public String name() {
    return name;
  }

  /** Time between measurements; empty: a single measurement. */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }

  /** Delay before the first measurement. */
  public Optional<Duration> initialDelay() {
    return Optional.ofNullable(initialDelay);
  }

  /** The configured count, if any. */
  public OptionalInt count() {
    return count == null ? OptionalInt.empty() : OptionalInt.of(count);
  }

  /**
   * The number of (non-error) measurements after which the metric completes: the count, or 1 when
   * neither count nor interval is set, or empty (runs until terminated) for an interval without a
   * count.
   */
  public OptionalInt effectiveCount() {
    if (count != null) {
      return OptionalInt.of(count);
    }
    return interval == null ? OptionalInt.of(1) : OptionalInt.empty();
  }

  public Optional<String> successCondition() {
    return Optional.ofNullable(successCondition);
  }

  public Optional<String> failureCondition() {
    return Optional.ofNullable(failureCondition);
  }

  public int failureLimit() {
    return failureLimit;
  }

  public int inconclusiveLimit() {
    return inconclusiveLimit;
  }

  public int consecutiveErrorLimit() {
    return consecutiveErrorLimit;
  }

  public int consecutiveSuccessLimit() {
    return consecutiveSuccessLimit;
  }

  /** The seed article's {@code successLimit}, if set. */
  public OptionalInt successLimit() {
    return successLimit == null ? OptionalInt.empty() : OptionalInt.of(successLimit);
  }

  public ProviderSpec provider() {
    return provider;
  }

  /**
   * The values the conditions' {@code args["NAME"]} are bound to: empty unless the template was
   * resolved with {@link ArgumentBinding#VARIABLES}.
   */
  public Map<String, Object> conditionArgs() {
    return conditionArgs;
  }

  /**
   * Fields that still hold an argument (field name to text, e.g. {@code count -> {{args.n}}});
   * empty once the template is resolved. A metric with such fields cannot run.
   */
  public Map<String, String> unresolvedFields() {
    return unresolved;
  }

  /**
   * True if a condition that does not compile makes each measurement Error instead of being refused
   * (set when arguments were substituted into the condition, as Argo judges it).
   */
  public boolean lenientConditions() {
    return lenientConditions;
  }

  @Override
  public String toString() {
    return "Metric[" + name + ", provider=" + provider.type() + "]";
  }

  /**
   * Builds a {@link Metric}; every setter validates at once and names the parameter, the rule and
   * the value it was given.
   */
  public static final class Builder {
    private String name;
    private Duration interval;
    private Duration initialDelay;
    private Integer count;
    private String successCondition;
    private String failureCondition;
    private int failureLimit = DEFAULT_FAILURE_LIMIT;
    private int inconclusiveLimit = DEFAULT_INCONCLUSIVE_LIMIT;
    private int consecutiveErrorLimit = DEFAULT_CONSECUTIVE_ERROR_LIMIT;
    private int consecutiveSuccessLimit = DEFAULT_CONSECUTIVE_SUCCESS_LIMIT;
    private Integer successLimit;
    private ProviderSpec provider;
    private Map<String, Object> conditionArgs = Map.of();
    private final Map<String, String> unresolved = new LinkedHashMap<>();
    private boolean lenientConditions;

    private Builder(String name) {
      name(name);
    }

    private Builder(Metric m) {
      this.name = m.name;
      this.interval = m.interval;
      this.initialDelay = m.initialDelay;
      this.count = m.count;
      this.successCondition = m.successCondition;
      this.failureCondition = m.failureCondition;
      this.failureLimit = m.failureLimit;
      this.inconclusiveLimit = m.inconclusiveLimit;
      this.consecutiveErrorLimit = m.consecutiveErrorLimit;
      this.consecutiveSuccessLimit = m.consecutiveSuccessLimit;
      this.successLimit = m.successLimit;
      this.provider = m.provider;
      this.conditionArgs = m.conditionArgs;
      this.unresolved.putAll(m.unresolved);
      this.lenientConditions = m.lenientConditions;
    }

    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Time between measurements; {@code null} for a single measurement. */
    public Builder interval(Duration interval) {
      if (interval != null && (interval.isNegative() || interval.isZero())) {
        throw new IllegalArgumentException("interval must be > 0, but was " + interval);
      }
      this.interval = interval;
      unresolved.remove("interval");
      return this;
    }

    public Builder initialDelay(Duration initialDelay) {
      if (initialDelay != null && initialDelay.isNegative()) {
        throw new IllegalArgumentException("initialDelay must be >= 0, but was " + initialDelay);
      }
      this.initialDelay = initialDelay;
      unresolved.remove("initialDelay");
      return this;
    }

    /** Number of measurements; {@code null} to unset. */
    public Builder count(Integer count) {
      if (count != null && count < 1) {
        throw new IllegalArgumentException("count must be >= 1, but was " + count);
      }
      this.count = count;
      unresolved.remove("count");
      return this;
    }

    /**
     * Keeps a field's argument ({@code "{{args.count}}"}) until the template is resolved; {@link
     * AnalysisTemplate#resolve} substitutes it and then sets and checks the field.
     *
     * @param field one of {@link #ARGUMENT_FIELDS}
     * @param text the field's text, containing {@code {{args.NAME}}}
     */
    public Builder unresolved(String field, String text) {
      Objects.requireNonNull(text, "text");
      if (!ARGUMENT_FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "field '" + field + "' cannot hold an argument (fields that can: " + ARGUMENT_FIELDS);
      }
      if (!text.contains("{{")) {
        throw new IllegalArgumentException(
            field + " must refer to an argument ({{args.NAME}}), but was '" + text + "'");
      }
      unresolved.put(field, text);
      return this;
    }

    /** True if {@code field} holds an argument not yet substituted. */
    public boolean isUnresolved(String field) {
      return unresolved.containsKey(field);
    }

    /**
     * With {@code true}, a condition that does not compile is kept, and every measurement judged
     * with it is Error (naming the syntax error), as Argo treats a condition that substituted
     * arguments made invalid. Default {@code false}: such a condition is refused at once.
     */
    public Builder lenientConditions(boolean lenient) {
      this.lenientConditions = lenient;
      return this;
    }

    /** A condition under which a measurement succeeds; compiled at once. */
    public Builder successCondition(String condition) {
      this.successCondition = checkCondition(condition);
      return this;
    }

    /** A condition under which a measurement fails; compiled at once. */
    public Builder failureCondition(String condition) {
      this.failureCondition = checkCondition(condition);
      return this;
    }

    private String checkCondition(String condition) {
      if (condition == null || condition.isBlank()) {
        return null;
      }
      if (!condition.contains("{{") && !lenientConditions) {
        // templates with unresolved {{args.x}} are compiled after substitution
        Condition.compile(condition.strip());
      }
      return condition.strip();
    }

    public Builder failureLimit(int failureLimit) {
      if (failureLimit < -1) {
        throw new IllegalArgumentException("failureLimit must be >= -1, but was " + failureLimit);
      }
      this.failureLimit = failureLimit;
      unresolved.remove("failureLimit");
      return this;
    }

    public Builder inconclusiveLimit(int inconclusiveLimit) {
      if (inconclusiveLimit < 0) {
        throw new IllegalArgumentException(
            "inconclusiveLimit must be >= 0, but was " + inconclusiveLimit);
      }
      this.inconclusiveLimit = inconclusiveLimit;
      unresolved.remove("inconclusiveLimit");
      return this;
    }

    public Builder consecutiveErrorLimit(int consecutiveErrorLimit) {
      if (consecutiveErrorLimit < 0) {
        throw new IllegalArgumentException(
            "consecutiveErrorLimit must be >= 0, but was " + consecutiveErrorLimit);
      }
      this.consecutiveErrorLimit = consecutiveErrorLimit;
      unresolved.remove("consecutiveErrorLimit");
      return this;
    }

    public Builder consecutiveSuccessLimit(int consecutiveSuccessLimit) {
      if (consecutiveSuccessLimit < 0) {
        throw new IllegalArgumentException(
            "consecutiveSuccessLimit must be >= 0, but was " + consecutiveSuccessLimit);
      }
      this.consecutiveSuccessLimit = consecutiveSuccessLimit;
      unresolved.remove("consecutiveSuccessLimit");
      return this;
    }

    /**
     * The seed article's {@code successLimit} (not an Argo Rollouts field): when the metric reaches
     * its count it is Successful only if at least this many measurements succeeded, and it is
     * Failed as soon as that has become impossible (successes so far plus measurements left is
     * below the limit). Requires a count. {@code null} to unset.
     */
    public Builder successLimit(Integer successLimit) {
      if (successLimit != null && successLimit < 1) {
        throw new IllegalArgumentException("successLimit must be >= 1, but was " + successLimit);
      }
      this.successLimit = successLimit;
      return this;
    }

    public Builder provider(ProviderSpec provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * The values of {@code args["NAME"]} in the conditions (see {@link ArgumentBinding#VARIABLES});
     * each a {@link String}, {@link Long}, {@link Double} or {@link Boolean}.
     */
    public Builder conditionArgs(Map<String, Object> args) {
      for (Map.Entry<String, Object> e : args.entrySet()) {
        Object v = e.getValue();
        if (!(v instanceof String
            || v instanceof Long
            || v instanceof Double
            || v instanceof Boolean)) {
          throw new IllegalArgumentException(
              "conditionArgs values must be String, Long, Double or Boolean, but "
                  + e.getKey()
                  + " was "
                  + (v == null ? "null" : v.getClass().getSimpleName()));
        }
      }
      this.conditionArgs = Map.copyOf(args);
      return this;
    }

    /** Builds the metric, checking the rules that involve several fields. */
    public Metric build() {
      if (provider == null) {
        throw new IllegalArgumentException("metric '" + name + "': provider must be set");
      }
      if (count != null && unresolved.isEmpty()) {
        if (failureLimit >= 0 && count < failureLimit) {
          throw new IllegalArgumentException(
              "metric '"
                  + name
                  + "': count must be >= failureLimit ("
                  + failureLimit
                  + "), but was "
                  + count);
        }
        if (count < inconclusiveLimit) {
          throw new IllegalArgumentException(
              "metric '"
                  + name
                  + "': count must be >= inconclusiveLimit ("
                  + inconclusiveLimit
                  + "), but was "
                  + count);
        }
        if (consecutiveSuccessLimit > 0 && count < consecutiveSuccessLimit) {
          throw new IllegalArgumentException(
              "metric '"
                  + name
                  + "': count must be >= consecutiveSuccessLimit ("
                  + consecutiveSuccessLimit
                  + "), but was "
                  + count);
        }
        if (count > 1 && interval == null) {
          throw new IllegalArgumentException(
              "metric '" + name + "': interval must be set when count > 1, but count was " + count);
        }
      }
      if (successLimit != null && !unresolved.containsKey("count")) {
        if (count == null) {
          throw new IllegalArgumentException(
              "metric '" + name + "': successLimit requires count, but count is not set");
        }
        if (successLimit > count) {
          throw new IllegalArgumentException(
              "metric '"
                  + name
                  + "': successLimit must be <= count ("
                  + count
                  + "), but was "
                  + successLimit);
        }
      }
      return new Metric(this);
    }
  }
}

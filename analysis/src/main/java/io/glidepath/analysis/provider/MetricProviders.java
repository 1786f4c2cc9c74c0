package io.glidepath.analysis.provider;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.Metric;
import io.glidepath.analysis.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The providers available to an analysis, by type.
 *
 * <p>Build the set by hand, {@code MetricProviders.of(PrometheusProvider.ofDefaults(),
 * WebProvider.ofDefaults())}, or let {@link #discover(ProviderContext)} find every {@link
 * MetricProviderFactory} on the class path (Glidepath's own and a platform's). {@link
 * #validate(AnalysisTemplate)} checks a template against them before a run.
 *
 * <p>Immutable and thread-safe.
 */
public final class MetricProviders {
  private static final String GLIDEPATH_PACKAGE = "io.glidepath.";

  private final Map<String, MetricProvider> byType;

  private MetricProviders(Map<String, MetricProvider> byType) {
    this.byType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byType));
  }

  /** Providers by their {@link MetricProvider#type()}; a later one replaces an earlier one. */
  public static MetricProviders of(MetricProvider... providers) {
    return of(List.of(providers));
  }

  /** Providers by their {@link MetricProvider#type()}; a later one replaces an earlier one. */
  public static MetricProviders of(List<MetricProvider> providers) {
    Map<String, MetricProvider> map = new LinkedHashMap<>();
    for (MetricProvider p : providers) {
      map.put(Objects.requireNonNull(p.type(), "type"), p);
    }
    return new MetricProviders(map);
  }

  /**
   * Every provider whose {@link MetricProviderFactory} is published through {@link ServiceLoader}
   * on the thread's context class path, made from {@code context}. With {@code glidepath-analysis}
   * alone that is {@code prometheus}, {@code web}, {@code datadog}, {@code newRelic}, {@code
   * wavefront}, {@code graphite}, {@code influxdb}, {@code kayenta} and {@code skywalking}; {@code
   * glidepath-analysis-aws} adds {@code cloudWatch} and {@code glidepath-analysis-kube} adds {@code
   * job}.
   *
   * <p>A factory from outside Glidepath replaces Glidepath's for the same type.
   *
   * @throws IllegalStateException if two factories from outside Glidepath serve the same type
   */
  public static MetricProviders discover(ProviderContext context) {
    Objects.requireNonNull(context, "context");
    Map<String, MetricProviderFactory> chosen = new LinkedHashMap<>();
    for (MetricProviderFactory f : ServiceLoader.load(MetricProviderFactory.class)) {
      MetricProviderFactory previous = chosen.get(f.type());
      if (previous == null || isGlidepath(previous)) {
        chosen.put(f.type(), f);
      } else if (!isGlidepath(f)) {
        throw new IllegalStateException(
            "two metric provider factories serve type '"
                + f.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
    List<MetricProvider> providers = new ArrayList<>();
    for (MetricProviderFactory f : chosen.values()) {
      providers.add(f.create(context));
    }
    return of(providers);
  }

  private static boolean isGlidepath(MetricProviderFactory f) {
    return f.getClass().getName().startsWith(GLIDEPATH_PACKAGE);
  }

  /** The provider for {@code type}. */
  public Optional<MetricProvider> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** The types served, in registration order. */
  public List<String> types() {
    return List.copyOf(byType.keySet());
  }

  /**
   * Checks that {@code metric} can run here: its provider type is registered and the provider
   * accepts its options ({@link MetricProvider#validate}). Loading a template and building a plan
   * call this, so that a metric no provider can measure is refused then, not at its first
   * measurement.
   *
   * @throws TemplateException whose source names the metric and whose path is the refused field,
   *     e.g. {@code provider.prometheus.authentication} or {@code provider.datadog} for a type that
   *     is not registered
   */
  public void validate(Metric metric) {
    String type = metric.provider().type();
    String where = "metric '" + metric.name() + "'";
    MetricProvider provider = byType.get(type);
    if (provider == null) {
      throw new TemplateException(
          where,
          "provider." + type,
          "no metric provider is registered for type '"
              + type
              + "' (registered: "
              + byType.keySet().stream().sorted().toList()
              + ")");
    }
    try {
      provider.validate(metric.provider());
    } catch (TemplateException e) {
      throw new TemplateException(
          where, "provider." + type + (e.path().isEmpty() ? "" : "." + e.path()), e.problem());
    }
  }

  /** These providers plus {@code provider} (replacing one of the same type). */
  public MetricProviders with(MetricProvider provider) {
    Map<String, MetricProvider> map = new LinkedHashMap<>(byType);
    map.put(provider.type(), provider);
    return new MetricProviders(map);
  }

  /**
   * Checks every metric of {@code template} against these providers: its type must be served, and
   * the provider's {@link MetricProvider#validate} must accept its options.
   *
   * @throws TemplateException naming the template's source and the refused field, e.g. {@code
   *     spec.metrics[0].provider.datadog.aggregator}
   */
  public void validate(AnalysisTemplate template) {
    List<Metric> metrics = template.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      try {
        validate(metrics.get(i));
      } catch (TemplateException e) {
        throw new TemplateException(
            template.source(), "spec.metrics[" + i + "]." + e.path(), e.problem());
      }
    }
  }

  @Override
  public String toString() {
    return "MetricProviders" + byType.keySet();
  }
}

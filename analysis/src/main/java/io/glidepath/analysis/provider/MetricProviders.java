package io.glidepath.analysis.provider;

import io.glidepath.analysis.Metric;
import io.glidepath.analysis.TemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The providers available to an analysis, by type.
 *
 * <p>Example: {@code MetricProviders.of(PrometheusProvider.ofDefaults(),
 * WebProvider.ofDefaults())}. Immutable and thread-safe.
 */
public final class MetricProviders {
  private final Map<String, MetricProvider> byType;

  private MetricProviders(Map<String, MetricProvider> byType) {
    this.byType = Map.copyOf(byType);
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

  /** The provider for {@code type}. */
  public Optional<MetricProvider> find(String type) {
    return Optional.ofNullable(byType.get(type));
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

  @Override
  public String toString() {
    return "MetricProviders" + byType.keySet();
  }
}

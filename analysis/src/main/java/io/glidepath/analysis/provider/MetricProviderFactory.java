package io.glidepath.analysis.provider;

/**
 * Makes a {@link MetricProvider} from a {@link ProviderContext}; published through {@link
 * java.util.ServiceLoader} ({@code
 * META-INF/services/io.glidepath.analysis.provider.MetricProviderFactory}) so that {@link
 * MetricProviders#discover(ProviderContext)} finds providers by type name.
 *
 * <p>A platform adds its own provider by shipping a factory in a jar on the class path; a factory
 * from outside Glidepath replaces Glidepath's own for the same type.
 *
 * <pre>{@code
 * public final class SplunkFactory implements MetricProviderFactory {
 *   public String type() { return "splunk"; }
 *   public MetricProvider create(ProviderContext ctx) { return new SplunkProvider(ctx.secrets()); }
 * }
 * }</pre>
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface MetricProviderFactory {
  /** The provider block key the created provider serves, e.g. {@code datadog}. */
  String type();

  /** A provider for this type, configured from {@code context}. */
  MetricProvider create(ProviderContext context);
}

package io.glidepath.analysis.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link MetricProviderFactory factories} build providers from: the Secrets Argo names, the
 * environment variables Argo reads ({@code DD_API_KEY}, {@code ARGO_ROLLOUTS_PROMETHEUS_ADDRESS},
 * {@code AWS_REGION}, ...), and services a platform hands over (a {@code KubernetesClient} for the
 * {@code job} provider).
 *
 * <pre>{@code
 * ProviderContext ctx = ProviderContext.newBuilder()
 *     .secrets(KubernetesSecrets.of(client, "argo-rollouts"))
 *     .service(KubernetesClient.class, client)
 *     .build();
 * MetricProviders providers = MetricProviders.discover(ctx);
 * }</pre>
 *
 * <p>Defaults: no Secrets, the process environment, no services. Immutable and thread-safe.
 */
public final class ProviderContext {
  private final SecretSource secrets;
  private final Map<String, String> environment;
  private final Map<Class<?>, Object> services;

  private ProviderContext(Builder b) {
    this.secrets = b.secrets;
    this.environment = Map.copyOf(b.environment);
    this.services = Map.copyOf(b.services);
  }

  /** No Secrets, the process environment, no services. */
  public static ProviderContext ofDefaults() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Where the Secrets Argo names are read. */
  public SecretSource secrets() {
    return secrets;
  }

  /** An environment variable, if set and not empty. */
  public Optional<String> env(String name) {
    String v = environment.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** All environment variables. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The service of {@code type} the platform handed over, if any. */
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(services.get(type)).map(type::cast);
  }

  @Override
  public String toString() {
    return "ProviderContext[secrets=" + secrets + ", services=" + services.keySet() + "]";
  }

  /** Builds a {@link ProviderContext}. Not thread-safe. */
  public static final class Builder {
    private SecretSource secrets = SecretSource.NONE;
    private Map<String, String> environment = System.getenv();
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();

    private Builder() {}

    /** Where Secrets are read (default: none). */
    public Builder secrets(SecretSource secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    /** The environment variables providers read (default: the process's). */
    public Builder environment(Map<String, String> environment) {
      this.environment = new LinkedHashMap<>(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** Hands {@code service} to factories that ask for {@code type}. */
    public <T> Builder service(Class<T> type, T service) {
      services.put(
          Objects.requireNonNull(type, "type"), Objects.requireNonNull(service, "service"));
      return this;
    }

    public ProviderContext build() {
      return new ProviderContext(this);
    }
  }
}

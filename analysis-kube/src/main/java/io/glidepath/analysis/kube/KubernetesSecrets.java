package io.glidepath.analysis.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.analysis.provider.SecretSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the Secrets Argo Rollouts' providers name from a cluster: the platform's own namespace
 * (where Argo's controller runs, {@code argo-rollouts} by default) for {@code datadog}, {@code
 * newrelic}, {@code influxdb} and {@code wavefront-api-tokens}, the analysis's namespace for a
 * namespaced {@code secretRef} and for {@code valueFrom.secretKeyRef} arguments.
 *
 * <pre>{@code
 * SecretSource secrets = KubernetesSecrets.of(client, KubernetesSecrets.platformNamespace());
 * }</pre>
 *
 * <p>Thread-safe. Values never appear in messages.
 */
public final class KubernetesSecrets implements SecretSource {
  /** Argo's namespace when nothing says otherwise. */
  public static final String DEFAULT_PLATFORM_NAMESPACE = "argo-rollouts";

  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private final Supplier<KubernetesClient> client;
  private final String platformNamespace;

  private KubernetesSecrets(Supplier<KubernetesClient> client, String platformNamespace) {
    this.client = client;
    this.platformNamespace = platformNamespace;
  }

  /** Secrets of {@code client}'s cluster; the platform's own are in {@code platformNamespace}. */
  public static KubernetesSecrets of(KubernetesClient client, String platformNamespace) {
    Objects.requireNonNull(client, "client");
    return new KubernetesSecrets(() -> client, Objects.requireNonNull(platformNamespace));
  }

  /** As {@link #of(KubernetesClient, String)}, with the client made on first use. */
  public static KubernetesSecrets of(Supplier<KubernetesClient> client, String platformNamespace) {
    return new KubernetesSecrets(
        Objects.requireNonNull(client, "client"), Objects.requireNonNull(platformNamespace));
  }

  /**
   * The platform namespace the way Argo finds its own: {@code POD_NAMESPACE}, else the service
   * account's namespace file, else {@value #DEFAULT_PLATFORM_NAMESPACE}.
   */
  public static String platformNamespace(Map<String, String> environment) {
    String env = environment.getOrDefault("POD_NAMESPACE", "");
    if (!env.isEmpty()) {
      return env;
    }
    try {
      if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
        String ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE, StandardCharsets.UTF_8).trim();
        if (!ns.isEmpty()) {
          return ns;
        }
      }
    } catch (IOException e) {
      // fall through to the default
    }
    return DEFAULT_PLATFORM_NAMESPACE;
  }

  @Override
  public Optional<Map<String, String>> secret(Optional<String> namespace, String name) {
    String ns = namespace.orElse(platformNamespace);
    Secret s;
    try {
      s = client.get().secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new MetricProviderException(
          "secrets",
          "reading Secret " + ns + "/" + name + " failed (HTTP " + e.getCode() + ")",
          e.getCode(),
          e);
    }
    if (s == null) {
      return Optional.empty();
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      data.putAll(s.getStringData());
    }
    return Optional.of(Map.copyOf(data));
  }

  @Override
  public String toString() {
    return "KubernetesSecrets[platformNamespace=" + platformNamespace + "]";
  }
}

package io.glidepath.analysis.provider;

import io.glidepath.analysis.Argument;
import io.glidepath.analysis.ArgumentResolver;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Where providers read the Kubernetes Secrets Argo Rollouts names: {@code datadog}, {@code
 * newrelic}, {@code influxdb}, {@code wavefront-api-tokens} (or a template's {@code secretRef} /
 * {@code profile}).
 *
 * <p>Argo reads those Secrets in its own namespace; here that is the <em>platform namespace</em>,
 * asked for with an empty {@code namespace}. A Datadog {@code secretRef} with {@code namespaced:
 * true} asks for the analysis's namespace instead. The analysis module knows nothing of Kubernetes:
 * {@code glidepath-analysis-kube} reads Secrets from a cluster, {@link #of(Map)} from memory and
 * {@link #fromManifests(List)} from Secret YAML files.
 *
 * <pre>{@code
 * SecretSource secrets = SecretSource.of(Map.of("datadog",
 *     Map.of("api-key", apiKey, "app-key", appKey)));
 * }</pre>
 *
 * <p>Implementations must be thread-safe and never show a value in a message or {@code toString}.
 */
@FunctionalInterface
public interface SecretSource {
  /** A source without any Secret. */
  SecretSource NONE = (namespace, name) -> Optional.empty();

  /**
   * The data of Secret {@code name} (keys to decoded values), or empty if there is no such Secret.
   *
   * @param namespace the Secret's namespace; empty for the platform namespace
   * @param name the Secret's name
   * @throws MetricProviderException if the Secret cannot be read (not for a missing one)
   */
  Optional<Map<String, String>> secret(Optional<String> namespace, String name);

  /** This source, then {@code fallback} for Secrets this one does not have. */
  default SecretSource or(SecretSource fallback) {
    Objects.requireNonNull(fallback, "fallback");
    SecretSource self = this;
    return (namespace, name) -> {
      Optional<Map<String, String>> found = self.secret(namespace, name);
      return found.isPresent() ? found : fallback.secret(namespace, name);
    };
  }

  /**
   * An {@link ArgumentResolver} for template arguments with {@code valueFrom.secretKeyRef}: reads
   * the key of the Secret in {@code namespace} (the analysis's namespace, as Argo does).
   */
  default ArgumentResolver argumentResolver(Optional<String> namespace) {
    return ref ->
        ref instanceof Argument.SecretKeyRef s
            ? secret(namespace, s.name()).map(data -> data.get(s.key()))
            : Optional.empty();
  }

  /** Secrets of the platform namespace, by name (the maps are copied). */
  static SecretSource of(Map<String, Map<String, String>> secrets) {
    Map<String, Map<String, String>> copy = new HashMap<>();
    secrets.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
    return new SecretSource() {
      @Override
      public Optional<Map<String, String>> secret(Optional<String> namespace, String name) {
        return namespace.isPresent() ? Optional.empty() : Optional.ofNullable(copy.get(name));
      }

      @Override
      public String toString() {
        return "SecretSource" + copy.keySet();
      }
    };
  }

  /**
   * Secrets from Kubernetes Secret manifests ({@code kind: Secret}, {@code data} base64-encoded,
   * {@code stringData} plain, {@code stringData} winning as in the API server). A Secret without
   * {@code metadata.namespace} belongs to the platform namespace. Other documents are skipped.
   *
   * @throws IllegalArgumentException naming the file and field of a malformed Secret
   */
  static SecretSource fromManifests(List<Path> files) {
    Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
    for (Path file : files) {
      for (YamlDocument doc : Yaml.readDocuments(file)) {
        JsonNode s = doc.content();
        if (s == null || !s.isObject() || !"Secret".equals(s.path("kind").asString(""))) {
          continue;
        }
        String where = doc.origin().toString();
        String name = s.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
          throw new IllegalArgumentException(where + ": metadata.name: is required");
        }
        String ns = s.path("metadata").path("namespace").asString("");
        Map<String, String> data = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : s.path("data").properties()) {
          try {
            data.put(
                e.getKey(),
                new String(
                    Base64.getDecoder().decode(e.getValue().asString("").replaceAll("\\s", "")),
                    StandardCharsets.UTF_8));
          } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(
                where + ": data." + e.getKey() + ": is not base64", bad);
          }
        }
        for (Map.Entry<String, JsonNode> e : s.path("stringData").properties()) {
          data.put(e.getKey(), e.getValue().asString(""));
        }
        byKey.put(ns + "/" + name, Map.copyOf(data));
      }
    }
    List<String> names = new ArrayList<>(byKey.keySet());
    return new SecretSource() {
      @Override
      public Optional<Map<String, String>> secret(Optional<String> namespace, String name) {
        return Optional.ofNullable(byKey.get(namespace.orElse("") + "/" + name));
      }

      @Override
      public String toString() {
        return "SecretSource" + names;
      }
    };
  }
}

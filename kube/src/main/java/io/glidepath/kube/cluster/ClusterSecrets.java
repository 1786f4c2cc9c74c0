package io.glidepath.kube.cluster;

import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads Argo CD cluster Secrets ({@code argocd.argoproj.io/secret-type: cluster}): {@code name},
 * {@code server}, {@code config} (JSON: {@code bearerToken}, {@code username}/{@code password},
 * {@code tlsClientConfig} with {@code insecure}, {@code caData}, {@code certData}, {@code keyData};
 * {@code proxyUrl}; {@code disableCompression: false}), {@code namespaces} (comma-separated),
 * {@code clusterResources}, {@code project}, {@code shard}, from {@code data} (base64) or {@code
 * stringData}, and the Secret's labels and annotations.
 *
 * <p>Refused, naming the Secret and the key but never a value: {@code execProviderConfig} and
 * {@code awsAuthConfig} (Glidepath runs no credential plugins), {@code tlsClientConfig.serverName}
 * and {@code disableCompression: true} (the Kubernetes client cannot honour them), any other key.
 */
public final class ClusterSecrets {
  private ClusterSecrets() {}

  /** The label that marks a cluster Secret. */
  public static final String SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

  private static final Set<String> DATA_KEYS =
      Set.of("name", "server", "config", "namespaces", "clusterResources", "project", "shard");
  private static final Set<String> CONFIG_KEYS =
      Set.of(
          "bearerToken",
          "username",
          "password",
          "tlsClientConfig",
          "proxyUrl",
          "disableCompression",
          "execProviderConfig",
          "awsAuthConfig");
  private static final Set<String> TLS_KEYS =
      Set.of("insecure", "serverName", "caData", "certData", "keyData");

  /** Whether {@code r} is a Secret labelled as an Argo CD cluster Secret. */
  public static boolean isClusterSecret(Resource r) {
    return r.kind().equals("Secret")
        && r.group().isEmpty()
        && "cluster".equals(r.labels().get(SECRET_TYPE_LABEL));
  }

  /**
   * The cluster {@code secret} describes.
   *
   * @throws ClusterException naming the Secret and key for a missing, unknown or refused key
   */
  public static RegisteredCluster read(Resource secret) {
    String source = "Secret " + secret.namespace().map(ns -> ns + "/").orElse("") + secret.name();
    if (!isClusterSecret(secret)) {
      throw new ClusterException(
          source, "metadata.labels", "is not labelled " + SECRET_TYPE_LABEL + ": cluster");
    }
    Map<String, String> data = data(secret, source);
    for (String key : data.keySet()) {
      if (!DATA_KEYS.contains(key)) {
        throw new ClusterException(
            source,
            "data." + key,
            "unknown key in an Argo CD cluster Secret (known: "
                + String.join(", ", sorted(DATA_KEYS))
                + ")");
      }
    }
    String server = data.getOrDefault("server", "").strip();
    if (server.isEmpty()) {
      throw new ClusterException(source, "data.server", "is required");
    }
    String name = data.getOrDefault("name", "").strip();
    if (name.isEmpty()) {
      // Argo CD names a Secret-less name after its server
      name = server;
    }
    List<String> namespaces = new ArrayList<>();
    for (String ns : data.getOrDefault("namespaces", "").split(",")) {
      if (!ns.isBlank()) {
        namespaces.add(ns.strip());
      }
    }
    String cr = data.getOrDefault("clusterResources", "false").strip();
    if (!cr.equals("true") && !cr.equals("false") && !cr.isEmpty()) {
      throw new ClusterException(source, "data.clusterResources", "must be \"true\" or \"false\"");
    }
    ClusterCredentials creds = credentials(data.getOrDefault("config", "{}"), source);
    RegisteredCluster c =
        new RegisteredCluster(
            name,
            server,
            namespaces,
            cr.equals("true"),
            data.getOrDefault("project", "").strip(),
            secret.labels(),
            secret.annotations(),
            Optional.ofNullable(data.get("shard")).map(String::strip).filter(s -> !s.isEmpty()),
            source,
            true,
            creds);
    return c;
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    java.util.Collections.sort(l);
    return l;
  }

  private static Map<String, String> data(Resource secret, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode body = secret.body();
    for (Map.Entry<String, JsonNode> e : body.path("data").properties()) {
      try {
        out.put(
            e.getKey(),
            new String(
                Base64.getMimeDecoder().decode(e.getValue().asString("")), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException bad) {
        throw new ClusterException(source, "data." + e.getKey(), "is not valid base64");
      }
    }
    for (Map.Entry<String, JsonNode> e : body.path("stringData").properties()) {
      out.put(e.getKey(), e.getValue().asString(""));
    }
    return out;
  }

  private static ClusterCredentials credentials(String configJson, String source) {
    JsonNode config;
    try {
      config = Yaml.mapper().readTree(configJson.isBlank() ? "{}" : configJson);
    } catch (RuntimeException e) {
      // the parser's message may quote the text, which holds credentials
      throw new ClusterException(source, "data.config", "is not valid JSON");
    }
    if (!config.isObject()) {
      throw new ClusterException(source, "data.config", "must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      if (!CONFIG_KEYS.contains(e.getKey())) {
        throw new ClusterException(source, "config." + e.getKey(), "unknown field");
      }
    }
    if (config.has("execProviderConfig")) {
      throw new ClusterException(
          source,
          "config.execProviderConfig",
          "exec credential plugins are not supported by Glidepath (it runs no external commands"
              + " for credentials): give a bearerToken or a client certificate, or a kubeconfig"
              + " context");
    }
    if (config.has("awsAuthConfig")) {
      throw new ClusterException(
          source,
          "config.awsAuthConfig",
          "AWS IAM authentication is not supported by Glidepath: give a bearerToken or a client"
              + " certificate");
    }
    if (config.path("disableCompression").asBoolean(false)) {
      throw new ClusterException(
          source,
          "config.disableCompression",
          "true is not supported: Glidepath's Kubernetes client has no such switch");
    }
    JsonNode tls = config.path("tlsClientConfig");
    if (!tls.isMissingNode() && !tls.isObject()) {
      throw new ClusterException(source, "config.tlsClientConfig", "must be an object");
    }
    for (Map.Entry<String, JsonNode> e : tls.properties()) {
      if (!TLS_KEYS.contains(e.getKey())) {
        throw new ClusterException(source, "config.tlsClientConfig." + e.getKey(), "unknown field");
      }
    }
    if (!text(tls, "serverName").isEmpty()) {
      throw new ClusterException(
          source,
          "config.tlsClientConfig.serverName",
          "is not supported: Glidepath's Kubernetes client cannot verify another name than the"
              + " server URL's host");
    }
    Optional<String> user = opt(config, "username");
    Optional<String> pass = opt(config, "password");
    if (user.isPresent() != pass.isPresent()) {
      throw new ClusterException(
          source,
          "config." + (user.isPresent() ? "password" : "username"),
          "is required with the other");
    }
    Optional<String> cert = opt(tls, "certData");
    Optional<String> key = opt(tls, "keyData");
    if (cert.isPresent() != key.isPresent()) {
      throw new ClusterException(
          source,
          "config.tlsClientConfig." + (cert.isPresent() ? "keyData" : "certData"),
          "is required with the other");
    }
    return new ClusterCredentials(
        opt(config, "bearerToken"),
        user,
        pass,
        tls.path("insecure").asBoolean(false),
        Optional.empty(),
        opt(tls, "caData"),
        cert,
        key,
        opt(config, "proxyUrl"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isString() ? v.asString() : "";
  }

  private static Optional<String> opt(JsonNode n, String field) {
    String t = text(n, field);
    return t.isEmpty() ? Optional.empty() : Optional.of(t);
  }
}

package io.glidepath.core.internal.repo;

import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import io.glidepath.core.repo.RepoCredentialsException;
import io.glidepath.core.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The {@link RepoCredentialStore} read from Argo CD's Secrets and ConfigMaps. Immutable. */
public final class ArgoRepoConfig implements RepoCredentialStore {
  static final String SECRET_TYPE = "argocd.argoproj.io/secret-type";
  static final String TLS_CERTS = "argocd-tls-certs-cm";
  static final String KNOWN_HOSTS = "argocd-ssh-known-hosts-cm";

  private static final Set<String> FIELDS =
      Set.of(
          "type",
          "name",
          "url",
          "project",
          "username",
          "password",
          "bearerToken",
          "sshPrivateKey",
          "tlsClientCertData",
          "tlsClientCertKey",
          "insecure",
          "enableOCI",
          "forceHttpBasicAuth",
          "insecureOCIForceHttp",
          "enableLfs",
          "depth");

  /** Argo CD fields Glidepath cannot honour: refused when they ask for something. */
  private static final Map<String, String> UNSUPPORTED =
      Map.of(
          "githubAppID", "GitHub App authentication is not supported by Glidepath",
          "githubAppInstallationID", "GitHub App authentication is not supported by Glidepath",
          "githubAppPrivateKey", "GitHub App authentication is not supported by Glidepath",
          "githubAppEnterpriseBaseUrl", "GitHub App authentication is not supported by Glidepath",
          "gcpServiceAccountKey", "Google Cloud credentials are not supported by Glidepath",
          "useAzureWorkloadIdentity", "Azure workload identity is not supported by Glidepath",
          "proxy", "repository proxies are not supported by Glidepath",
          "noProxy", "repository proxies are not supported by Glidepath");

  private final List<RepoCredentials> repositories;
  private final List<RepoCredentials> templates;
  private final Map<String, String> tlsCerts;
  private final String knownHosts;

  private ArgoRepoConfig(
      List<RepoCredentials> repositories,
      List<RepoCredentials> templates,
      Map<String, String> tlsCerts,
      String knownHosts) {
    this.repositories = List.copyOf(repositories);
    this.templates = List.copyOf(templates);
    this.tlsCerts = Map.copyOf(tlsCerts);
    this.knownHosts = knownHosts;
  }

  public static ArgoRepoConfig ofCredentials(Collection<RepoCredentials> credentials) {
    List<RepoCredentials> repos = new ArrayList<>();
    List<RepoCredentials> templates = new ArrayList<>();
    for (RepoCredentials c : credentials) {
      (c.template() ? templates : repos).add(c);
    }
    return new ArgoRepoConfig(repos, templates, Map.of(), "");
  }

  public static ArgoRepoConfig of(Collection<Resource> objects) {
    List<RepoCredentials> repos = new ArrayList<>();
    List<RepoCredentials> templates = new ArrayList<>();
    Map<String, String> certs = new LinkedHashMap<>();
    StringBuilder hosts = new StringBuilder();
    List<JsonNode> all = new ArrayList<>();
    for (Resource r : objects) {
      if (r.kind().endsWith("List") && r.body().path("items").isArray()) {
        r.body().path("items").forEach(all::add);
      } else {
        all.add(r.body());
      }
    }
    for (JsonNode o : all) {
      String kind = o.path("kind").asString("");
      JsonNode meta = o.path("metadata");
      String name = meta.path("name").asString("");
      String where =
          kind.toLowerCase(Locale.ROOT)
              + " "
              + (meta.path("namespace").asString("").isEmpty()
                  ? ""
                  : meta.path("namespace").asString("") + "/")
              + name;
      if (kind.equals("Secret") && o.path("apiVersion").asString("").equals("v1")) {
        String type = meta.path("labels").path(SECRET_TYPE).asString("");
        if (type.equals("repository") || type.equals("repo-creds")) {
          RepoCredentials c = secret(o, where, type.equals("repo-creds"));
          (c.template() ? templates : repos).add(c);
        }
      } else if (kind.equals("ConfigMap") && name.equals(TLS_CERTS)) {
        for (Map.Entry<String, String> e : strings(o, "data", where).entrySet()) {
          certs.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
      } else if (kind.equals("ConfigMap") && name.equals(KNOWN_HOSTS)) {
        String h = strings(o, "data", where).get("ssh_known_hosts");
        if (h != null) {
          hosts.append(h).append(h.endsWith("\n") ? "" : "\n");
        }
      }
    }
    return new ArgoRepoConfig(repos, templates, certs, hosts.toString());
  }

  private static RepoCredentials secret(JsonNode o, String where, boolean template) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.path("data").properties()) {
      JsonNode v = e.getValue();
      if (!v.isString()) {
        throw new RepoCredentialsException(where, "data." + e.getKey(), "must be a base64 string");
      }
      try {
        fields.put(
            e.getKey(),
            new String(Base64.getMimeDecoder().decode(v.stringValue()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ex) {
        throw new RepoCredentialsException(where, "data." + e.getKey(), "is not valid base64");
      }
    }
    // stringData wins over data, as when the API server merges them
    fields.putAll(strings(o, "stringData", where));
    for (String key : fields.keySet()) {
      String unsupported = UNSUPPORTED.get(key);
      if (unsupported != null) {
        if (!fields.get(key).isBlank() && !fields.get(key).equals("false")) {
          throw new RepoCredentialsException(where, key, unsupported);
        }
      } else if (!FIELDS.contains(key)) {
        throw new RepoCredentialsException(
            where, key, "is not a field of an Argo CD repository Secret");
      }
    }
    if (truthy(where, fields, "enableLfs")) {
      throw new RepoCredentialsException(
          where, "enableLfs", "Git LFS is not supported by Glidepath");
    }
    String url = fields.getOrDefault("url", "");
    if (url.isBlank()) {
      throw new RepoCredentialsException(where, "url", "is required");
    }
    Optional<String> type = opt(fields, "type");
    if (type.isPresent() && !Set.of("git", "helm", "oci").contains(type.get())) {
      throw new RepoCredentialsException(
          where, "type", "must be git, helm or oci, but was \"" + type.get() + "\"");
    }
    Optional<String> cert = opt(fields, "tlsClientCertData");
    Optional<String> key = opt(fields, "tlsClientCertKey");
    if (cert.isPresent() != key.isPresent()) {
      throw new RepoCredentialsException(
          where,
          cert.isPresent() ? "tlsClientCertKey" : "tlsClientCertData",
          "is required with " + (cert.isPresent() ? "tlsClientCertData" : "tlsClientCertKey"));
    }
    return new RepoCredentials(
        where,
        template,
        url.strip(),
        type,
        opt(fields, "name"),
        opt(fields, "project"),
        opt(fields, "username"),
        opt(fields, "password"),
        opt(fields, "bearerToken"),
        opt(fields, "sshPrivateKey"),
        cert,
        key,
        truthy(where, fields, "insecure"),
        truthy(where, fields, "enableOCI") || type.filter("oci"::equals).isPresent(),
        truthy(where, fields, "forceHttpBasicAuth"),
        truthy(where, fields, "insecureOCIForceHttp"));
  }

  private static Map<String, String> strings(JsonNode o, String field, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.path(field).properties()) {
      if (!e.getValue().isString()) {
        // the API server refuses anything but strings here
        throw new RepoCredentialsException(where, field + "." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), e.getValue().stringValue());
    }
    return out;
  }

  private static Optional<String> opt(Map<String, String> fields, String key) {
    String v = fields.get(key);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private static boolean truthy(String where, Map<String, String> fields, String key) {
    String v = fields.getOrDefault(key, "").strip();
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "", "false", "0" -> false;
      case "true", "1" -> true;
      default ->
          throw new RepoCredentialsException(
              where, key, "must be \"true\" or \"false\", but was \"" + v + "\"");
    };
  }

  @Override
  public Optional<RepoCredentials> find(String repoUrl) {
    String wanted = RepoUrls.normalize(repoUrl);
    for (RepoCredentials r : repositories) {
      if (RepoUrls.normalize(r.url()).equals(wanted)) {
        if (r.hasBasic()
            || r.bearerToken().isPresent()
            || r.sshPrivateKey().isPresent()
            || r.tlsClientCertData().isPresent()) {
          return Optional.of(r);
        }
        // a repository without credentials takes them from its template, as in Argo CD
        Optional<RepoCredentials> t = template(repoUrl);
        return Optional.of(t.map(tt -> merge(r, tt)).orElse(r));
      }
    }
    return template(repoUrl).map(t -> t.forUrl(repoUrl));
  }

  private Optional<RepoCredentials> template(String repoUrl) {
    String wanted = RepoUrls.stripOci(repoUrl);
    RepoCredentials best = null;
    for (RepoCredentials t : templates) {
      String prefix = RepoUrls.stripOci(t.url());
      if (wanted.startsWith(prefix)
          && (best == null || prefix.length() > RepoUrls.stripOci(best.url()).length())) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  private static RepoCredentials merge(RepoCredentials repo, RepoCredentials t) {
    return new RepoCredentials(
        repo.source() + " with " + t.source(),
        false,
        repo.url(),
        repo.type().or(t::type),
        repo.name(),
        repo.project(),
        t.username(),
        t.password(),
        t.bearerToken(),
        t.sshPrivateKey(),
        t.tlsClientCertData(),
        t.tlsClientCertKey(),
        repo.insecure() || t.insecure(),
        repo.enableOci() || t.enableOci(),
        repo.forceHttpBasicAuth() || t.forceHttpBasicAuth(),
        repo.insecureOciForceHttp() || t.insecureOciForceHttp());
  }

  @Override
  public List<RepoCredentials> repositories() {
    return repositories;
  }

  @Override
  public Optional<String> tlsCertificates(String serverName) {
    return Optional.ofNullable(tlsCerts.get(serverName.toLowerCase(Locale.ROOT)));
  }

  @Override
  public String sshKnownHosts() {
    return knownHosts;
  }

  @Override
  public String toString() {
    return "RepoCredentialStore["
        + repositories.size()
        + " repositories, "
        + templates.size()
        + " templates, CA certificates for "
        + tlsCerts.keySet()
        + "]";
  }
}

package io.glidepath.core.repo;

import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one repository (Git, Helm or OCI), as Argo CD stores it in a Secret labelled {@code
 * argocd.argoproj.io/secret-type: repository} (one repository) or {@code repo-creds} (a template:
 * every repository whose URL starts with {@link #url()}).
 *
 * <pre>{@code
 * RepoCredentialStore store = RepoCredentialStore.read(Path.of("argocd-repositories.yaml"));
 * RepoCredentials c = store.find("https://charts.example.com/stable").orElseThrow();
 * c.username();   // Optional[ci]
 * c.toString();   // never shows a password, token or key
 * }</pre>
 *
 * @param source where these credentials were read from, e.g. {@code secret argocd/private-charts}
 * @param template whether this is a {@code repo-creds} template (matched by URL prefix)
 * @param url the repository URL, or for a template the URL prefix
 * @param type {@code git}, {@code helm} or {@code oci} when the Secret says
 * @param name the repository's name when the Secret gives one (Helm repositories)
 * @param project the Argo CD project the repository is scoped to, when it is
 * @param username the user name (HTTPS Git, Helm, OCI)
 * @param password the password or token; never shown
 * @param bearerToken a bearer token sent as {@code Authorization: Bearer}; never shown
 * @param sshPrivateKey a private key for SSH Git; never shown
 * @param tlsClientCertData a PEM client certificate for mutual TLS
 * @param tlsClientCertKey the PEM private key of the client certificate; never shown
 * @param insecure skip TLS certificate verification (HTTPS) or host key checking (SSH)
 * @param enableOci the repository is an OCI registry ({@code enableOCI}, Argo CD's older form)
 * @param forceHttpBasicAuth send basic authentication without waiting for a challenge
 * @param insecureOciForceHttp talk to the OCI registry over plain HTTP ({@code
 *     insecureOCIForceHttp})
 */
public record RepoCredentials(
    String source,
    boolean template,
    String url,
    Optional<String> type,
    Optional<String> name,
    Optional<String> project,
    Optional<String> username,
    Optional<String> password,
    Optional<String> bearerToken,
    Optional<String> sshPrivateKey,
    Optional<String> tlsClientCertData,
    Optional<String> tlsClientCertKey,
    boolean insecure,
    boolean enableOci,
    boolean forceHttpBasicAuth,
    boolean insecureOciForceHttp) {
  public RepoCredentials {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(bearerToken, "bearerToken");
    Objects.requireNonNull(sshPrivateKey, "sshPrivateKey");
    Objects.requireNonNull(tlsClientCertData, "tlsClientCertData");
    Objects.requireNonNull(tlsClientCertKey, "tlsClientCertKey");
    if (url.isBlank()) {
      throw new IllegalArgumentException("url must not be blank");
    }
    if (tlsClientCertData.isPresent() != tlsClientCertKey.isPresent()) {
      throw new IllegalArgumentException(
          "tlsClientCertData and tlsClientCertKey must be given together");
    }
  }

  /** Credentials for {@code url} with a user name and a password (or token). */
  public static RepoCredentials basic(String url, String username, String password) {
    return new RepoCredentials(
        "code",
        false,
        url,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(username),
        Optional.of(password),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        false,
        false);
  }

  /** Credentials for {@code url} with a bearer token. */
  public static RepoCredentials bearer(String url, String token) {
    return new RepoCredentials(
        "code",
        false,
        url,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(token),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        false,
        false);
  }

  /** These credentials for another URL (a template applied to one repository). */
  public RepoCredentials forUrl(String repoUrl) {
    return new RepoCredentials(
        source,
        false,
        repoUrl,
        type,
        name,
        project,
        username,
        password,
        bearerToken,
        sshPrivateKey,
        tlsClientCertData,
        tlsClientCertKey,
        insecure,
        enableOci,
        forceHttpBasicAuth,
        insecureOciForceHttp);
  }

  /** These credentials with a client certificate and key (PEM) for mutual TLS. */
  public RepoCredentials withClientCertificate(String certPem, String keyPem) {
    return new RepoCredentials(
        source,
        template,
        url,
        type,
        name,
        project,
        username,
        password,
        bearerToken,
        sshPrivateKey,
        Optional.of(certPem),
        Optional.of(keyPem),
        insecure,
        enableOci,
        forceHttpBasicAuth,
        insecureOciForceHttp);
  }

  /** Whether a user name or password is set. */
  public boolean hasBasic() {
    return username.isPresent() || password.isPresent();
  }

  /** The source, URL and which kinds of secret are set; never a value. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RepoCredentials[");
    sb.append(template ? "template " : "").append(url).append(" from ").append(source);
    type.ifPresent(t -> sb.append(", type=").append(t));
    username.ifPresent(u -> sb.append(", username=").append(u));
    password.ifPresent(p -> sb.append(", password=***"));
    bearerToken.ifPresent(p -> sb.append(", bearerToken=***"));
    sshPrivateKey.ifPresent(p -> sb.append(", sshPrivateKey=***"));
    tlsClientCertKey.ifPresent(p -> sb.append(", tlsClientCert=***"));
    if (insecure) {
      sb.append(", insecure");
    }
    if (enableOci) {
      sb.append(", enableOCI");
    }
    if (insecureOciForceHttp) {
      sb.append(", insecureOCIForceHttp");
    }
    return sb.append(']').toString();
  }
}

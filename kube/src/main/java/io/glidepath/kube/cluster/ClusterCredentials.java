package io.glidepath.kube.cluster;

import java.util.Objects;
import java.util.Optional;

/**
 * How Glidepath authenticates to one cluster: the {@code config} of an Argo CD cluster Secret
 * ({@code bearerToken}, {@code username}/{@code password}, {@code tlsClientConfig}, {@code
 * proxyUrl}). Certificates and keys are base64 PEM, as Argo CD stores them.
 *
 * <p>{@link #toString()} never shows a token, a password or a key: only which kinds are present.
 *
 * @param bearerToken the bearer token
 * @param username basic-auth user
 * @param password basic-auth password
 * @param insecure skip server certificate verification ({@code tlsClientConfig.insecure})
 * @param serverName the TLS server name to verify ({@code tlsClientConfig.serverName})
 * @param caData base64 PEM of the CA that signs the server's certificate
 * @param certData base64 PEM client certificate
 * @param keyData base64 PEM client key
 * @param proxyUrl an HTTP(S) proxy for requests to this cluster
 */
public record ClusterCredentials(
    Optional<String> bearerToken,
    Optional<String> username,
    Optional<String> password,
    boolean insecure,
    Optional<String> serverName,
    Optional<String> caData,
    Optional<String> certData,
    Optional<String> keyData,
    Optional<String> proxyUrl) {
  /** No credentials: plain HTTP clusters (an EmbeddedCluster) or a kubeconfig's own. */
  public static final ClusterCredentials NONE =
      new ClusterCredentials(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          false,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public ClusterCredentials {
    Objects.requireNonNull(bearerToken, "bearerToken");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(caData, "caData");
    Objects.requireNonNull(certData, "certData");
    Objects.requireNonNull(keyData, "keyData");
    Objects.requireNonNull(proxyUrl, "proxyUrl");
  }

  /** Credentials with only a bearer token. */
  public static ClusterCredentials bearerToken(String token) {
    return new ClusterCredentials(
        Optional.of(token),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ClusterCredentials[");
    String sep = "";
    if (bearerToken.isPresent()) {
      b.append("bearerToken=<redacted>");
      sep = ", ";
    }
    if (username.isPresent()) {
      b.append(sep).append("username=<redacted>, password=<redacted>");
      sep = ", ";
    }
    if (certData.isPresent() || keyData.isPresent()) {
      b.append(sep).append("clientCertificate=<redacted>");
      sep = ", ";
    }
    if (caData.isPresent()) {
      b.append(sep).append("caData=<present>");
      sep = ", ";
    }
    if (insecure) {
      b.append(sep).append("insecure=true");
      sep = ", ";
    }
    serverName.ifPresent(s -> b.append(", serverName=").append(s));
    if (proxyUrl.isPresent()) {
      b.append(sep).append("proxyUrl=<redacted>");
    }
    return b.append(']').toString();
  }
}

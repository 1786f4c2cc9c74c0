package io.glidepath.kube.cluster;

import io.glidepath.core.GlidepathException;

/**
 * A cluster Secret, kubeconfig or destination Glidepath cannot use: a required key missing, an
 * unknown key, a credential kind it does not support ({@code execProviderConfig}, {@code
 * awsAuthConfig}), two clusters with one name. The message names the Secret (or file) and the key,
 * never a credential's value.
 */
public class ClusterException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final String field;

  public ClusterException(String source, String field, String problem) {
    super(source + (field.isEmpty() ? "" : ": " + field) + ": " + problem);
    this.source = source;
    this.field = field;
  }

  /** The Secret ({@code Secret argocd/prod-eu}) or file the problem is in. */
  public String source() {
    return source;
  }

  /** The key or field ({@code config.execProviderConfig}), or {@code ""}. */
  public String field() {
    return field;
  }
}

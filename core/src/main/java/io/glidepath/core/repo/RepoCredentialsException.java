package io.glidepath.core.repo;

import io.glidepath.core.GlidepathException;

/**
 * A repository Secret (or ConfigMap) Glidepath cannot use: a field it does not support, a value of
 * the wrong type, no URL. Names the object and the field, never a value.
 */
public final class RepoCredentialsException extends GlidepathException {
  private static final long serialVersionUID = 1L;
  private final String object;
  private final String field;

  public RepoCredentialsException(String object, String field, String problem) {
    super(object + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
    this.object = object;
    this.field = field;
  }

  /** The object, e.g. {@code secret argocd/private-charts (repos.yaml)}. */
  public String object() {
    return object;
  }

  /** The field, e.g. {@code stringData.githubAppID}; empty when about the whole object. */
  public String field() {
    return field;
  }
}

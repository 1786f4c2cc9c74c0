package io.glidepath.core.project;

import io.glidepath.core.app.Application;
import java.util.Objects;

/**
 * What a project's rules are checked against: the application, where its source comes from and
 * where it deploys.
 *
 * @param application the application's name
 * @param repoUrl the source repository URL
 * @param server the destination cluster's API server URL
 * @param clusterName the destination cluster's name ({@code ""} when unknown)
 * @param namespace the destination namespace (for namespaced resources that name none)
 * @param appNamespace the namespace the Application object itself lives in ({@code ""} when it
 *     lives in the control plane's namespace)
 */
public record AppTarget(
    String application,
    String repoUrl,
    String server,
    String clusterName,
    String namespace,
    String appNamespace) {
  public AppTarget {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(repoUrl, "repoUrl");
    Objects.requireNonNull(server, "server");
    clusterName = clusterName == null ? "" : clusterName;
    namespace = namespace == null ? "" : namespace;
    appNamespace = appNamespace == null ? "" : appNamespace;
  }

  /**
   * The target of an Argo CD Application: its name, {@code spec.source.repoURL}, destination and
   * {@code metadata.namespace}.
   */
  public static AppTarget of(Application app) {
    return new AppTarget(
        app.name(),
        app.source().repoURL(),
        app.destination().server().orElse(""),
        app.destination().name().orElse(""),
        app.destination().namespace(),
        app.namespace());
  }

  /** A target for an Application in the control plane's namespace. */
  public AppTarget(
      String application, String repoUrl, String server, String clusterName, String namespace) {
    this(application, repoUrl, server, clusterName, namespace, "");
  }
}

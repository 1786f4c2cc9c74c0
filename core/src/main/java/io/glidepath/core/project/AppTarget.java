package io.glidepath.core.project;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationSource;
import java.util.List;
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
 * @param repoUrls every source's repository URL (a multi-source application's, in order); {@code
 *     repoUrl} alone when empty
 */
public record AppTarget(
    String application,
    String repoUrl,
    String server,
    String clusterName,
    String namespace,
    String appNamespace,
    List<String> repoUrls) {
  public AppTarget {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(repoUrl, "repoUrl");
    Objects.requireNonNull(server, "server");
    clusterName = clusterName == null ? "" : clusterName;
    namespace = namespace == null ? "" : namespace;
    appNamespace = appNamespace == null ? "" : appNamespace;
    repoUrls = repoUrls == null || repoUrls.isEmpty() ? List.of(repoUrl) : List.copyOf(repoUrls);
  }

  /** A target with one source repository. */
  public AppTarget(
      String application,
      String repoUrl,
      String server,
      String clusterName,
      String namespace,
      String appNamespace) {
    this(application, repoUrl, server, clusterName, namespace, appNamespace, List.of());
  }

  /**
   * The target of an Argo CD Application: its name, the repository of every source ({@code
   * spec.source.repoURL}, or each of {@code spec.sources}), destination and {@code
   * metadata.namespace}.
   */
  public static AppTarget of(Application app) {
    return new AppTarget(
        app.name(),
        app.source().repoURL(),
        app.destination().server().orElse(""),
        app.destination().name().orElse(""),
        app.destination().namespace(),
        app.namespace(),
        app.allSources().stream().map(ApplicationSource::repoURL).distinct().toList());
  }

  /** A target for an Application in the control plane's namespace. */
  public AppTarget(
      String application, String repoUrl, String server, String clusterName, String namespace) {
    this(application, repoUrl, server, clusterName, namespace, "");
  }
}

package io.glidepath.core.app;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an Application deploys to ({@code spec.destination}): a cluster by API server URL or by
 * name, and the default namespace.
 *
 * @param server the cluster's API server URL ({@code https://kubernetes.default.svc} for the local
 *     one)
 * @param name the cluster's name, the alternative to {@code server}
 * @param namespace the namespace for resources without one
 */
public record ApplicationDestination(
    Optional<String> server, Optional<String> name, String namespace) {
  /** The in-cluster API server. */
  public static final String IN_CLUSTER = "https://kubernetes.default.svc";

  public ApplicationDestination {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
  }

  /** The in-cluster API server and {@code namespace}. */
  public static ApplicationDestination inCluster(String namespace) {
    return new ApplicationDestination(Optional.of(IN_CLUSTER), Optional.empty(), namespace);
  }
}

package io.glidepath.kube.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One cluster a {@link ClusterRegistry} knows, as Argo CD knows it from a cluster Secret: its name
 * and API server URL, the namespaces Glidepath may manage there ({@code namespaces}; empty: all)
 * and whether it may manage cluster-scoped resources when namespaces are listed ({@code
 * clusterResources}), the project it is scoped to, the Secret's labels and annotations (what the
 * ApplicationSet {@code clusters} generator selects on) and its credentials.
 *
 * <p>{@link #toString()} names the cluster and where it came from, never its credentials.
 *
 * @param name the cluster's name ({@code in-cluster} for the in-cluster default)
 * @param server the API server URL ({@code https://kubernetes.default.svc} in-cluster)
 * @param namespaces the namespaces that may be managed; empty means every namespace
 * @param clusterResources whether cluster-scoped resources may be managed although namespaces are
 *     listed (Argo CD's {@code clusterResources}); ignored when {@code namespaces} is empty
 * @param project the Argo CD project the cluster is scoped to, or {@code ""}
 * @param labels the cluster Secret's labels
 * @param annotations the cluster Secret's annotations
 * @param shard the application controller shard ({@code shard}), if set
 * @param origin where it was read: {@code Secret argocd/prod-eu}, {@code kubeconfig context prod},
 *     {@code in-cluster default}
 * @param fromSecret whether it was read from a cluster Secret (the {@code clusters} generator's
 *     local-cluster rule)
 * @param credentials how to authenticate
 */
public record RegisteredCluster(
    String name,
    String server,
    List<String> namespaces,
    boolean clusterResources,
    String project,
    Map<String, String> labels,
    Map<String, String> annotations,
    Optional<String> shard,
    String origin,
    boolean fromSecret,
    ClusterCredentials credentials) {
  /** Argo CD's name of the in-cluster default. */
  public static final String IN_CLUSTER_NAME = "in-cluster";

  /** Argo CD's URL of the in-cluster default. */
  public static final String IN_CLUSTER_SERVER = "https://kubernetes.default.svc";

  public RegisteredCluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(server, "server");
    if (server.isBlank()) {
      throw new IllegalArgumentException("cluster " + name + " needs a server URL");
    }
    namespaces = List.copyOf(namespaces);
    project = project == null ? "" : project;
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** The in-cluster default, with no Secret behind it. */
  public static RegisteredCluster inCluster() {
    return new RegisteredCluster(
        IN_CLUSTER_NAME,
        IN_CLUSTER_SERVER,
        List.of(),
        true,
        "",
        Map.of(),
        Map.of(),
        Optional.empty(),
        "in-cluster default",
        false,
        ClusterCredentials.NONE);
  }

  /** A cluster of {@code name} at {@code server}, with no Secret and no credentials. */
  public static RegisteredCluster of(String name, String server) {
    return new RegisteredCluster(
        name,
        server,
        List.of(),
        true,
        "",
        Map.of(),
        Map.of(),
        Optional.empty(),
        "cluster " + name,
        false,
        ClusterCredentials.NONE);
  }

  /** A copy read from a Secret, carrying its labels and annotations. */
  public RegisteredCluster withSecretMetadata(
      Map<String, String> labels, Map<String, String> annotations) {
    return new RegisteredCluster(
        name,
        server,
        namespaces,
        clusterResources,
        project,
        labels,
        annotations,
        shard,
        origin,
        true,
        credentials);
  }

  /** Whether Glidepath may manage objects in {@code namespace} here. */
  public boolean managesNamespace(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  /** Whether Glidepath may manage cluster-scoped objects here. */
  public boolean managesClusterResources() {
    return namespaces.isEmpty() || clusterResources;
  }

  @Override
  public String toString() {
    return "cluster " + name + " (" + server + ", " + origin + ")";
  }
}

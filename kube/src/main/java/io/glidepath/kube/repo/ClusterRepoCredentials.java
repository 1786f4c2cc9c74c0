package io.glidepath.kube.repo;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.KubeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Argo CD's repository credentials as the cluster holds them: the Secrets of a namespace (Argo
 * CD's, usually {@code argocd}) labelled {@code argocd.argoproj.io/secret-type} {@code repository}
 * or {@code repo-creds}, and its {@code argocd-tls-certs-cm} and {@code argocd-ssh-known-hosts-cm}
 * ConfigMaps, as a {@link RepoCredentialStore} for Git, Helm and OCI sources.
 *
 * <pre>{@code
 * RepoCredentialStore credentials = ClusterRepoCredentials.read(cluster, "argocd");
 * ChartFetcher charts = ChartFetcher.builder(cache).credentials(credentials).build();
 * }</pre>
 *
 * <p>A snapshot: read again to see changed Secrets. The Secrets' values stay in memory only and
 * never appear in messages or logs.
 */
public final class ClusterRepoCredentials {
  static final String LABEL = "argocd.argoproj.io/secret-type";

  private ClusterRepoCredentials() {}

  /**
   * Reads the repository Secrets and ConfigMaps of {@code namespace}.
   *
   * @throws KubeException when the cluster refuses the list
   * @throws io.glidepath.core.repo.RepoCredentialsException naming a Secret whose field cannot be
   *     used
   */
  public static RepoCredentialStore read(KubeCluster cluster, String namespace) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
    KubernetesClient client = cluster.client();
    List<Resource> objects = new ArrayList<>();
    try {
      for (Secret s :
          client
              .secrets()
              .inNamespace(namespace)
              .withLabelIn(LABEL, "repository", "repo-creds")
              .list()
              .getItems()) {
        objects.add(resource(client, s));
      }
      for (String name : List.of("argocd-tls-certs-cm", "argocd-ssh-known-hosts-cm")) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm != null) {
          objects.add(resource(client, cm));
        }
      }
    } catch (KubernetesClientException e) {
      String reason = e.getStatus() == null ? "" : e.getStatus().getReason();
      throw new KubeException(
          null,
          e.getCode(),
          reason,
          "cannot read the repository Secrets of namespace "
              + namespace
              + ": HTTP "
              + e.getCode()
              + (reason == null || reason.isEmpty() ? "" : " " + reason));
    }
    return RepoCredentialStore.of(objects);
  }

  private static Resource resource(KubernetesClient client, Object o) {
    return Resource.of(Yaml.mapper().readTree(client.getKubernetesSerialization().asJson(o)));
  }
}

package io.glidepath.appset;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the analysis gates of a RollingSync find their templates: a step's {@code
 * analysis.templates[].templateName} (with {@code clusterScope: true}, a ClusterAnalysisTemplate).
 *
 * <pre>{@code
 * AnalysisTemplates fixed = AnalysisTemplates.of(AnalysisTemplate.readAll(Path.of("analysis.yaml")));
 * AnalysisTemplates live = AnalysisTemplates.inCluster(controlPlane, "argocd"); // the default
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface AnalysisTemplates {
  /**
   * The template {@code name}: an AnalysisTemplate, or a ClusterAnalysisTemplate when {@code
   * clusterScope}; empty when there is none.
   *
   * @throws io.glidepath.analysis.TemplateException if the template found is invalid
   */
  Optional<AnalysisTemplate> find(String name, boolean clusterScope);

  /** These templates, by name and kind. */
  static AnalysisTemplates of(List<AnalysisTemplate> templates) {
    List<AnalysisTemplate> copy = List.copyOf(templates);
    return (name, clusterScope) ->
        copy.stream()
            .filter(t -> t.name().equals(name))
            .filter(
                t -> (t.kind() == AnalysisTemplate.Kind.CLUSTER_ANALYSIS_TEMPLATE) == clusterScope)
            .findFirst();
  }

  /**
   * The AnalysisTemplate objects ({@code argoproj.io/v1alpha1}) of {@code namespace} on {@code
   * cluster}, and its ClusterAnalysisTemplates, read on every lookup (as Argo Rollouts reads them
   * when it starts a run).
   */
  static AnalysisTemplates inCluster(KubeCluster cluster, String namespace) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
    return (name, clusterScope) -> {
      GenericKubernetesResource r =
          clusterScope
              ? cluster
                  .client()
                  .genericKubernetesResources("argoproj.io/v1alpha1", "ClusterAnalysisTemplate")
                  .withName(name)
                  .get()
              : cluster
                  .client()
                  .genericKubernetesResources("argoproj.io/v1alpha1", "AnalysisTemplate")
                  .inNamespace(namespace)
                  .withName(name)
                  .get();
      if (r == null) {
        return Optional.empty();
      }
      String source =
          (clusterScope ? "ClusterAnalysisTemplate " : "AnalysisTemplate " + namespace + "/")
              + name;
      return Optional.of(
          AnalysisTemplate.fromTree(Yaml.mapper().readTree(Serialization.asJson(r)), source));
    };
  }
}

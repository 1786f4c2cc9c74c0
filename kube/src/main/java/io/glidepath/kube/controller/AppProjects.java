package io.glidepath.kube.controller;

import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.project.ProjectSourceException;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import java.util.Objects;
import java.util.Optional;

/**
 * The projects Argo CD itself would use: the {@code AppProject} objects in the cluster's Argo CD
 * namespace, read on every {@link #find(String)} (one GET), so an edited project takes effect at
 * the next reconcile.
 *
 * <pre>{@code
 * ApplicationController.builder(app, cluster, desired)
 *     .projects(AppProjects.in(cluster, "argocd"))
 *     .build();
 * }</pre>
 *
 * <p>A project is found by its name only (a DNS label, checked before the request), never by a
 * path. An AppProject that cannot be read is a {@link ProjectSourceException}: the app is not
 * synced. Thread-safe.
 */
public final class AppProjects implements ProjectSource {
  /** Argo CD's own namespace, where it keeps its AppProjects. */
  public static final String DEFAULT_NAMESPACE = "argocd";

  private final KubeCluster cluster;
  private final String namespace;

  private AppProjects(KubeCluster cluster, String namespace) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    if (!ProjectSource.isValidName(namespace)) {
      throw new IllegalArgumentException("namespace must be a DNS label, but was " + namespace);
    }
  }

  /** The AppProjects of {@code namespace} in {@code cluster}. */
  public static AppProjects in(KubeCluster cluster, String namespace) {
    return new AppProjects(cluster, namespace);
  }

  @Override
  public Optional<Project> find(String name) {
    if (!ProjectSource.isValidName(name)) {
      return Optional.empty();
    }
    ResourceKey key = new ResourceKey("argoproj.io", "AppProject", namespace, name);
    Optional<Resource> object;
    try {
      object = cluster.get(key);
    } catch (RuntimeException e) {
      throw new ProjectSourceException(
          namespace, "cannot read AppProject " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
    String source = "AppProject " + namespace + "/" + name;
    try {
      return object.map(r -> Project.parse(Yaml.write(r.body()), source));
    } catch (RuntimeException e) {
      throw new ProjectSourceException(namespace, source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "AppProjects.in(" + namespace + ")";
  }
}

package io.glidepath.kube.cluster;

import io.glidepath.core.app.ApplicationDestination;

/**
 * Finds the cluster an Application deploys to: what an {@link
 * io.glidepath.kube.controller.ApplicationController} asks on every reconcile. {@link
 * ClusterRegistry} is the implementation; a controller given only a {@link
 * io.glidepath.kube.KubeCluster} uses a registry with just the in-cluster default.
 */
@FunctionalInterface
public interface ClusterResolver {
  /**
   * The cluster {@code destination} names.
   *
   * @param app the application's name, for the message
   * @throws UnknownClusterException with Argo CD's message when no (or more than one) cluster
   *     matches
   */
  ClusterRegistry.Target resolve(ApplicationDestination destination, String app);
}

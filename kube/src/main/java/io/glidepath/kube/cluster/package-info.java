/**
 * The clusters Glidepath deploys to: {@link io.glidepath.kube.cluster.ClusterRegistry} (Argo CD
 * cluster Secrets, kubeconfig contexts, the in-cluster default), the Secret reader {@link
 * io.glidepath.kube.cluster.ClusterSecrets}, and {@link io.glidepath.kube.cluster.ClusterResolver},
 * which controllers use to pick an Application's destination cluster.
 */
package io.glidepath.kube.cluster;

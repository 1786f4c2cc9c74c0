/**
 * Glidepath's Kubernetes side: {@link io.glidepath.kube.KubeCluster} (discovery, reads, an app's
 * live state by {@link io.glidepath.kube.TrackingId}), {@link io.glidepath.kube.LiveWatch} for
 * changes to it, with writes in {@code apply} and leader election in {@code leader}.
 */
package io.glidepath.kube;

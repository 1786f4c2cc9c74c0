/**
 * Kustomize overlays rendered in pure Java: {@link io.glidepath.kustomize.KustomizeRenderer} and
 * its error type {@link io.glidepath.kustomize.KustomizeException}.
 */
package io.glidepath.kustomize;

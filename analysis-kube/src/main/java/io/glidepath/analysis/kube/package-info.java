/**
 * Analysis on a cluster: {@link io.glidepath.analysis.kube.JobProvider} (Argo Rollouts' {@code job}
 * provider) and {@link io.glidepath.analysis.kube.KubernetesSecrets} (the Secrets other providers
 * and {@code secretKeyRef} arguments read). The job provider is found through {@link
 * java.util.ServiceLoader} when this module is on the class path.
 */
package io.glidepath.analysis.kube;

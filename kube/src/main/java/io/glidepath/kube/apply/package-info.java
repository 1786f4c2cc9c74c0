/**
 * Writing to the cluster: {@link io.glidepath.kube.apply.Applier} (server-side or client-side
 * apply, replace, force, namespace creation, kinds checked before the first write, an optional
 * server dry run of the plan) and {@link io.glidepath.kube.apply.Pruner} (owned resources only,
 * with a propagation policy).
 */
package io.glidepath.kube.apply;

/**
 * {@link io.glidepath.testkit.cluster.EmbeddedCluster}: an in-process Kubernetes API stand-in with
 * server-side apply, discovery for {@code kubectl}, a simulated workload controller, fault
 * injection and a request log. Its Javadoc says exactly what it approximates and what it does not.
 */
package io.glidepath.testkit.cluster;

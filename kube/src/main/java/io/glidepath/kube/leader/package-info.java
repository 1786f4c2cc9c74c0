/** Leader election on a Kubernetes Lease, for running several controller instances. */
package io.glidepath.kube.leader;

/**
 * Argo CD's repository credentials read from the cluster ({@link
 * io.glidepath.kube.repo.ClusterRepoCredentials}), for Git, Helm and OCI sources.
 */
package io.glidepath.kube.repo;

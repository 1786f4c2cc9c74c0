/** Running sync plans: {@link io.glidepath.kube.sync.SyncEngine} and its results. */
package io.glidepath.kube.sync;

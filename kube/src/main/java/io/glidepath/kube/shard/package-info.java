/**
 * Several replicas of a platform service sharing the work items (Applications) on Kubernetes
 * Leases: {@link io.glidepath.kube.shard.ReplicaMembership} announces a replica with one Lease and
 * sees the others through theirs; {@link io.glidepath.kube.shard.ShardAssignment} maps an item to
 * one live replica; {@link io.glidepath.kube.shard.ItemClaims} keeps a per-item claim so that an
 * item has at most one writer while ownership moves. {@link
 * io.glidepath.kube.controller.ControllerManager.Builder#sharding} puts them together.
 */
package io.glidepath.kube.shard;

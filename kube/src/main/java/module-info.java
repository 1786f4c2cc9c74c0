/**
 * Glidepath kube: live state by tracking annotation, server-side and client-side apply, prune and
 * leader election, on the fabric8 Kubernetes client.
 */
module io.glidepath.kube {
  requires transitive io.glidepath.core;
  requires transitive kubernetes.client.api;
  requires kubernetes.client;
  requires io.fabric8.kubernetes.client.vertx5;
  requires io.vertx.core;
  requires kubernetes.model.core;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.slf4j;
  // optional: only ApplicationController.Builder.gitWatcher and GitDesiredStateSource use it
  requires static io.glidepath.git;
  // optional: only io.glidepath.kube.shard.ShardMetrics uses it, when the host calls it
  requires static micrometer.core;

  exports io.glidepath.kube;
  exports io.glidepath.kube.apply;
  exports io.glidepath.kube.leader;
  exports io.glidepath.kube.sync;
  exports io.glidepath.kube.controller;
  exports io.glidepath.kube.shard;
  exports io.glidepath.kube.cluster;
  exports io.glidepath.kube.repo;
}

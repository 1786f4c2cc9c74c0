/** Glidepath testkit: real components, started on 127.0.0.1, for users' and our own tests. */
module io.glidepath.testkit {
  requires transitive io.glidepath.core;
  requires transitive kubernetes.client.api;
  requires kubernetes.client;
  requires io.fabric8.kubernetes.client.vertx5;
  requires io.vertx.core;
  requires kubernetes.model.core;
  requires kubernetes.server.mock;
  requires mockwebserver;
  requires zjsonpatch;
  requires org.snakeyaml.engine;
  requires java.logging;
  requires java.net.http;
  requires jdk.httpserver;
  requires org.opentest4j;
  requires tools.jackson.dataformat.cbor;

  exports io.glidepath.testkit;
  exports io.glidepath.testkit.cluster;
  exports io.glidepath.testkit.git;
  exports io.glidepath.testkit.prometheus;
  exports io.glidepath.testkit.helm;
  exports io.glidepath.testkit.oci;
  exports io.glidepath.testkit.tls;
  exports io.glidepath.testkit.metrics;
}

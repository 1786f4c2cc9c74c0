package io.glidepath.examples.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.kube.KubeCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's metrics endpoint, a stand-in for each cluster's Prometheus, clearly synthetic: {@code
 * GET /success-rate?cluster=NAME} answers {@code {"successRate": r}}, where {@code r} is the
 * success rate of the trade-service release that cluster runs now (read from its Deployment's image
 * tag): 99.8% for every release but v3, whose new order path fails 7% of requests. Listens on
 * 127.0.0.1. Thread-safe.
 */
final class FleetMetrics implements AutoCloseable {
  static final ResourceKey DEPLOYMENT =
      new ResourceKey("apps", "Deployment", "trading", "trade-service");

  private final HttpServer server;
  private final Map<String, KubeCluster> clusters;

  private FleetMetrics(HttpServer server, Map<String, KubeCluster> clusters) {
    this.server = server;
    this.clusters = Map.copyOf(clusters);
  }

  static FleetMetrics start(Map<String, KubeCluster> clusters) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FleetMetrics m = new FleetMetrics(server, clusters);
    server.createContext("/success-rate", m::answer);
    server.start();
    return m;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The release (image tag) trade-service runs on {@code cluster}, if it runs there. */
  static Optional<String> release(KubeCluster cluster) {
    return cluster
        .get(DEPLOYMENT)
        .map(d -> d.body().at("/spec/template/spec/containers/0/image").asString(""))
        .map(image -> image.substring(image.lastIndexOf(':') + 1));
  }

  static double successRate(String release) {
    return release.equals("v3") ? 0.93 : 0.998;
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getQuery();
      String name = query != null && query.startsWith("cluster=") ? query.substring(8) : "";
      KubeCluster cluster = clusters.get(name);
      Optional<String> release = cluster == null ? Optional.empty() : release(cluster);
      if (release.isEmpty()) {
        send(exchange, 404, "{\"error\": \"no trade-service on cluster " + name + "\"}");
        return;
      }
      send(exchange, 200, "{\"successRate\": " + successRate(release.get()) + "}");
    }
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package io.glidepath.helm.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The only Kubernetes API the Helm render process can reach: one that holds nothing. Helm's {@code
 * lookup} asks it and gets "not found", so {@code lookup} returns an empty map, as it does in
 * {@code helm template} and Argo CD, and no render ever reads a real cluster through whatever
 * credentials the machine has.
 *
 * <p>It answers the discovery request {@code lookup} makes first ({@code /api/v1}, {@code
 * /apis/GROUP/VERSION}: no resources) and {@code 404 NotFound} to everything else. It listens on
 * 127.0.0.1 only, for the life of the JVM.
 */
final class NullApiServer {
  private static final String NOT_FOUND =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"glidepath renders offline: the cluster is not read\","
          + "\"reason\":\"NotFound\",\"details\":{},\"code\":404}";

  private final HttpServer server;

  private NullApiServer(HttpServer server) {
    this.server = server;
  }

  static NullApiServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "glidepath-helm-null-api");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", NullApiServer::handle);
    // the server's dispatcher thread takes the daemon flag of the thread that starts it: started
    // from a daemon thread, it does not keep the JVM alive
    Thread starter = new Thread(server::start, "glidepath-helm-null-api-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      throw new IOException("interrupted while starting", e);
    }
    return new NullApiServer(server);
  }

  /**
   * Stops listening and ends the server's thread, at once (its answers are immediate, so none is
   * cut short in practice).
   */
  void stop() {
    server.stop(0);
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream ignored = exchange.getRequestBody()) {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      String groupVersion = discoveryGroupVersion(path, query);
      int status = groupVersion == null ? 404 : 200;
      String body =
          groupVersion == null
              ? NOT_FOUND
              : "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
                  + groupVersion
                  + "\",\"resources\":[]}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /**
   * The group/version a discovery request asks for, or null. client-go's discovery requests carry a
   * {@code timeout} parameter; the object requests of {@code lookup} do not, which keeps {@code
   * lookup} of an object named {@code v1} a "not found".
   */
  static String discoveryGroupVersion(String path, String query) {
    if (query == null || !query.contains("timeout=")) {
      return null;
    }
    String[] parts = path.split("/", -1);
    if (parts.length == 3 && parts[1].equals("api") && parts[2].equals("v1")) {
      return "v1";
    }
    if (parts.length == 4
        && parts[1].equals("apis")
        && safe(parts[2])
        && safe(parts[3])
        && !parts[2].isEmpty()
        && !parts[3].isEmpty()) {
      return parts[2] + "/" + parts[3];
    }
    return null;
  }

  private static boolean safe(String segment) {
    return segment.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-');
  }
}

package io.glidepath.testkit.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Git's smart HTTP protocol on 127.0.0.1: each request runs {@code git http-backend} as a CGI
 * program, behind an optional HTTP Basic user name and token check.
 */
final class SmartHttpEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Path repos;
  private final Map<String, String> gitEnvironment;
  private volatile String expectedAuthorization;

  SmartHttpEndpoint(Path repos, Map<String, String> gitEnvironment) throws IOException {
    this.repos = repos;
    this.gitEnvironment = Map.copyOf(gitEnvironment);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "local-git-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  void requireToken(String username, String token) {
    expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + token).getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String expected = expectedAuthorization;
      String user = "anonymous";
      if (expected != null) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null
            || !MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        user = "token-user";
      }
      ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
      Map<String, String> env = pb.environment();
      env.putAll(gitEnvironment);
      env.put("GIT_PROJECT_ROOT", repos.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getRawPath());
      String query = exchange.getRequestURI().getRawQuery();
      env.put("QUERY_STRING", query == null ? "" : query);
      env.put("REMOTE_USER", user);
      env.put("REMOTE_ADDR", "127.0.0.1");
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        env.put("CONTENT_TYPE", contentType);
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null) {
        env.put("HTTP_CONTENT_ENCODING", encoding);
      }
      String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
      if (protocol != null) {
        env.put("GIT_PROTOCOL", protocol);
      }
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      Thread feeder =
          new Thread(
              () -> {
                try (InputStream in = exchange.getRequestBody();
                    OutputStream toGit = p.getOutputStream()) {
                  in.transferTo(toGit);
                } catch (IOException ignored) {
                  // git stopped reading: its answer says why
                }
              },
              "local-git-http-body");
      feeder.setDaemon(true);
      feeder.start();
      try (InputStream fromGit = p.getInputStream()) {
        int status = 200;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = fromGit.read()) >= 0) {
          if (b == '\n') {
            String header = line.toString(StandardCharsets.ISO_8859_1).strip();
            line.reset();
            if (header.isEmpty()) {
              break;
            }
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).strip();
            String value = header.substring(colon + 1).strip();
            if (name.toLowerCase(Locale.ROOT).equals("status")) {
              status = Integer.parseInt(value.substring(0, 3));
            } else {
              exchange.getResponseHeaders().add(name, value);
            }
          } else {
            line.write(b);
          }
        }
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          fromGit.transferTo(out);
        }
      }
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

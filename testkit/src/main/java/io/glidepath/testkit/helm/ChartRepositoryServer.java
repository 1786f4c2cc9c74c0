package io.glidepath.testkit.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.internal.helm.TarGz;
import io.glidepath.testkit.tls.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import tools.jackson.databind.JsonNode;

/**
 * A Helm chart repository for tests: {@code index.yaml} and chart archives served over HTTP or
 * HTTPS on {@code 127.0.0.1}, optionally behind basic authentication or a bearer token and with
 * client certificates required, the way a repository a team's Argo CD Applications point at serves
 * them.
 *
 * <pre>{@code
 * try (ChartRepositoryServer repo = ChartRepositoryServer.builder().basicAuth("ci", "s3cret").start()) {
 *   repo.addChart(Path.of("charts/my-app"));              // packaged and listed in index.yaml
 *   String url = repo.url();                               // http://127.0.0.1:PORT
 *   // point your Application's spec.source.repoURL at url, chart: my-app
 * }
 * }</pre>
 *
 * <p>For bad-input tests, {@link #addArchive(String, String, byte[], String)} publishes any bytes
 * under any digest and {@link #serveIndex(String)} replaces the index with any text. Every request
 * is recorded ({@link #requests()}). Thread-safe.
 */
public final class ChartRepositoryServer implements AutoCloseable {
  private final HttpServer server;
  private final boolean tls;
  private final Optional<String> expectedAuthorization;
  private final Optional<String> chartHost;
  private final Map<String, Published> charts = new LinkedHashMap<>();
  private final Map<String, byte[]> archives = new LinkedHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String rawIndex;

  /**
   * A chart version the repository lists.
   *
   * @param name the chart's name
   * @param version its version
   * @param digest the digest the index names (the archive's SHA-256 hex, unless overridden)
   * @param path the archive's path on the server
   */
  public record Published(String name, String version, String digest, String path) {}

  /**
   * A request the server answered.
   *
   * @param path the request path
   * @param authorized whether it carried the expected credentials (always true without auth)
   * @param hadAuthorization whether it carried an {@code Authorization} header at all
   * @param status the status answered
   */
  public record Request(String path, boolean authorized, boolean hadAuthorization, int status) {}

  private ChartRepositoryServer(Builder b) {
    this.tls = b.tls != null;
    this.expectedAuthorization = b.authorization;
    this.chartHost = b.chartHost;
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (b.tls != null) {
        HttpsServer https = HttpsServer.create(address, 0);
        SSLContext ctx = b.tls;
        boolean needClient = b.requireClientCertificate;
        https.setHttpsConfigurator(
            new HttpsConfigurator(ctx) {
              @Override
              public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(needClient);
                params.setSSLParameters(p);
              }
            });
        server = https;
      } else {
        server = HttpServer.create(address, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the chart repository server", e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "chart-repository-server");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /** A server with default settings: plain HTTP, no authentication. */
  public static ChartRepositoryServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The repository URL: {@code http(s)://127.0.0.1:PORT}. */
  public String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Packages the chart in {@code chartDir} (as {@code helm package} lays an archive out) and lists
   * it in the index.
   */
  public Published addChart(Path chartDir) {
    JsonNode meta = Yaml.readTree(chartDir.resolve("Chart.yaml"));
    String name = meta.path("name").asString("");
    String version = meta.path("version").asString("");
    if (name.isEmpty() || version.isEmpty()) {
      throw new IllegalArgumentException(chartDir + "/Chart.yaml has no name or version");
    }
    return addArchive(name, version, TarGz.ofDirectory(chartDir, name));
  }

  /** Lists {@code archive} as {@code name} {@code version}, with its true digest. */
  public Published addArchive(String name, String version, byte[] archive) {
    return addArchive(name, version, archive, sha256(archive));
  }

  /** Lists {@code archive} as {@code name} {@code version} under {@code digest} (any text). */
  public synchronized Published addArchive(
      String name, String version, byte[] archive, String digest) {
    String path = "/charts/" + name + "-" + version + ".tgz";
    Published p = new Published(name, version, digest, path);
    charts.put(name + "\n" + version, p);
    archives.put(path, archive.clone());
    return p;
  }

  /** Serves {@code yaml} as {@code index.yaml} instead of the generated index (null: generated). */
  public void serveIndex(String yaml) {
    this.rawIndex = yaml;
  }

  /** The generated {@code index.yaml}. */
  public synchronized String index() {
    StringBuilder sb = new StringBuilder("apiVersion: v1\nentries:\n");
    Map<String, List<Published>> byName = new LinkedHashMap<>();
    for (Published p : charts.values()) {
      byName.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<String, List<Published>> e : byName.entrySet()) {
      sb.append("  ").append(e.getKey()).append(":\n");
      for (Published p : e.getValue()) {
        String url =
            chartHost
                .map(h -> (tls ? "https" : "http") + "://" + h + ":" + port() + p.path())
                .orElse(p.path().substring(1));
        sb.append("    - apiVersion: v2\n")
            .append("      name: ")
            .append(p.name())
            .append('\n')
            .append("      version: \"")
            .append(p.version())
            .append("\"\n")
            .append("      digest: ")
            .append(p.digest())
            .append('\n')
            .append("      created: \"")
            .append(Instant.EPOCH)
            .append("\"\n")
            .append("      urls:\n        - ")
            .append(url)
            .append('\n');
      }
    }
    sb.append("generated: \"").append(Instant.EPOCH).append("\"\n");
    return sb.toString();
  }

  /** The requests answered so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      boolean authorized =
          expectedAuthorization.isEmpty() || expectedAuthorization.get().equals(auth);
      if (!authorized) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
        respond(ex, 401, "unauthorized\n".getBytes(StandardCharsets.UTF_8));
        requests.add(new Request(path, false, auth != null, 401));
        return;
      }
      byte[] body;
      synchronized (this) {
        if (path.equals("/index.yaml")) {
          String raw = rawIndex;
          body = (raw != null ? raw : index()).getBytes(StandardCharsets.UTF_8);
        } else {
          body = archives.get(path);
        }
      }
      int status = body == null ? 404 : 200;
      respond(ex, status, body == null ? "not found\n".getBytes(StandardCharsets.UTF_8) : body);
      requests.add(new Request(path, true, auth != null, status));
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Packs {@code chartDir} as a chart archive without publishing it. */
  public static byte[] pack(Path chartDir) {
    JsonNode meta = Yaml.readTree(chartDir.resolve("Chart.yaml"));
    return TarGz.ofDirectory(chartDir, meta.path("name").asString("chart"));
  }

  /** Packs the given files (paths inside the archive, e.g. {@code demo/Chart.yaml}). */
  public static byte[] pack(Map<String, String> files) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return TarGz.of(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  @Override
  public String toString() {
    return "ChartRepositoryServer[" + url() + "]";
  }

  /** Settings of a {@link ChartRepositoryServer}. Not thread-safe. */
  public static final class Builder {
    private Optional<String> authorization = Optional.empty();
    private SSLContext tls;
    private boolean requireClientCertificate;
    private Optional<String> chartHost = Optional.empty();

    private Builder() {}

    /** Requires basic authentication with this user name and password on every request. */
    public Builder basicAuth(String username, String password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      this.authorization =
          Optional.of(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
      return this;
    }

    /** Requires {@code Authorization: Bearer token} on every request. */
    public Builder bearerToken(String token) {
      this.authorization = Optional.of("Bearer " + Objects.requireNonNull(token, "token"));
      return this;
    }

    /** Serves HTTPS with the test CA's server certificate. */
    public Builder tls(TestCertificates certificates) {
      return tls(certificates.serverContext());
    }

    /** Serves HTTPS with this context. */
    public Builder tls(SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Requires a client certificate the TLS context trusts (with {@link #tls}). */
    public Builder requireClientCertificate() {
      this.requireClientCertificate = true;
      return this;
    }

    /**
     * Lists archives with absolute URLs on {@code host} (e.g. {@code localhost}, the same server
     * under another name), to test where credentials are sent.
     */
    public Builder chartUrlsOnHost(String host) {
      this.chartHost = Optional.of(Objects.requireNonNull(host, "host"));
      return this;
    }

    public ChartRepositoryServer start() {
      if (requireClientCertificate && tls == null) {
        throw new IllegalStateException("requireClientCertificate needs tls");
      }
      return new ChartRepositoryServer(this);
    }
  }
}

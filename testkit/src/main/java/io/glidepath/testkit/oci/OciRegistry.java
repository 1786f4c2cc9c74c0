package io.glidepath.testkit.oci;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.internal.helm.TarGz;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real OCI registry for tests: the CNCF distribution registry of Debian's {@code docker-registry}
 * package, started on {@code 127.0.0.1} with a private storage directory, anonymous or behind basic
 * authentication (htpasswd), plain HTTP. Push Helm charts to it with {@link #pushChart} (the
 * manifest Helm pushes: OCI image manifest, Helm's config and chart layer media types) or anything
 * else with {@link #pushManifest}.
 *
 * <pre>{@code
 * ExternalTool.require(ExternalTool.DOCKER_REGISTRY);
 * try (OciRegistry registry = OciRegistry.builder().basicAuth().start()) {
 *   registry.pushChart("charts/my-app", "1.2.0", ChartRepositoryServer.pack(chartDir));
 *   String repoUrl = registry.url() + "/charts";   // oci://127.0.0.1:PORT/charts
 * }
 * }</pre>
 *
 * <p>{@link Builder#basicAuth()} uses the fixed test account {@value #USER} / {@value #PASSWORD}
 * (its bcrypt hash is built in, since the registry accepts only bcrypt); {@link
 * Builder#htpasswd(String, String, String)} takes any htpasswd line. Not thread-safe while
 * building; the running registry is.
 */
public final class OciRegistry implements AutoCloseable {
  /** The user name of {@link Builder#basicAuth()}. */
  public static final String USER = "glidepath";

  /** The password of {@link Builder#basicAuth()}. */
  public static final String PASSWORD = "registry-pass";

  /** bcrypt of {@link #PASSWORD} (cost 5), generated once for this test account. */
  private static final String PASSWORD_BCRYPT =
      "$2b$05$fQfGgxR8EWPdlrahYXzabe78iuLBBQHg.4JOHsK7tRvLjgGTLcPyu";

  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
  public static final String HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

  private final Process process;
  private final Path dir;
  private final int port;
  private final Optional<String> authorization;
  private final TokenServer tokens;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private OciRegistry(
      Process process, Path dir, int port, Optional<String> authorization, TokenServer tokens) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.authorization = authorization;
    this.tokens = tokens;
  }

  /** Why the registry cannot run here (naming the install command); empty when it can. */
  public static Optional<String> unavailableReason() {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, "docker-registry"))) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "the docker-registry tool is not installed; install it with: apt-get install -y"
            + " docker-registry");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An anonymous registry. */
  public static OciRegistry start() {
    return builder().start();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** {@code oci://127.0.0.1:PORT}. */
  public String url() {
    return "oci://" + host();
  }

  public int port() {
    return port;
  }

  /**
   * Pushes a chart archive as {@code repository:tag} the way {@code helm push} does: the config
   * blob is the chart's {@code Chart.yaml} as JSON, the layer the archive.
   *
   * @return the manifest's digest
   */
  public String pushChart(String repository, String tag, byte[] archive) {
    JsonNode chartYaml = chartYaml(archive);
    byte[] config = Yaml.toJson(chartYaml).getBytes(StandardCharsets.UTF_8);
    String configDigest = pushBlob(repository, config);
    String layerDigest = pushBlob(repository, archive);
    ObjectNode m = Yaml.mapper().createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", HELM_CONFIG);
    c.put("digest", configDigest);
    c.put("size", config.length);
    ObjectNode l = m.putArray("layers").addObject();
    l.put("mediaType", HELM_LAYER);
    l.put("digest", layerDigest);
    l.put("size", archive.length);
    return pushManifest(repository, tag, MANIFEST, Yaml.toJson(m).getBytes(StandardCharsets.UTF_8));
  }

  /** Uploads a blob (monolithic upload) and returns its digest. */
  public String pushBlob(String repository, byte[] blob) {
    String digest = "sha256:" + sha256(blob);
    HttpResponse<String> start =
        send(
            HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    check(start, 202, "starting a blob upload to " + repository);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI put = uri("/").resolve(location);
    String sep = put.toString().contains("?") ? "&" : "?";
    HttpResponse<String> done =
        send(
            HttpRequest.newBuilder(URI.create(put + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
    check(done, 201, "uploading a blob to " + repository);
    return digest;
  }

  /** Puts a manifest of any media type as {@code repository:tag}; returns its digest. */
  public String pushManifest(String repository, String tag, String mediaType, byte[] manifest) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    check(r, 201, "putting manifest " + repository + ":" + tag);
    return "sha256:" + sha256(manifest);
  }

  /** Deletes the blob {@code digest} of {@code repository} (storage delete is enabled). */
  public void deleteBlob(String repository, String digest) {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest)).DELETE());
    check(r, 202, "deleting blob " + digest);
  }

  private URI uri(String path) {
    return URI.create("http://" + host() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    if (tokens != null) {
      // token auth: the registry's own pushes carry a token for the repository they write
      String path = b.build().uri().getPath();
      String name = path.replaceFirst("^/v2/", "").replaceFirst("/(blobs|manifests)/.*$", "");
      b.header(
          "Authorization",
          "Bearer "
              + tokens.token(
                  "glidepath", java.util.List.of("repository:" + name + ":pull,push,delete")));
    } else {
      authorization.ifPresent(a -> b.header("Authorization", a));
    }
    try {
      return http.send(
          b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void check(HttpResponse<String> r, int expected, String what) {
    if (r.statusCode() != expected) {
      throw new IllegalStateException(
          what + ": the registry answered HTTP " + r.statusCode() + ": " + r.body());
    }
  }

  private static JsonNode chartYaml(byte[] archive) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(archive))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
        long size =
            Long.parseLong(
                new String(header, 124, 11, StandardCharsets.US_ASCII).trim().isEmpty()
                    ? "0"
                    : new String(header, 124, 11, StandardCharsets.US_ASCII).trim(),
                8);
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (name.endsWith("/Chart.yaml") && name.indexOf('/') == name.lastIndexOf('/')) {
          return Yaml.readTree(new String(data, StandardCharsets.UTF_8), name);
        }
        if (name.isEmpty()) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a chart: the config is then an empty object
    }
    return Yaml.mapper().createObjectNode();
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Packs files (archive paths to text) as a gzip tar, for pushing bad archives. */
  public static byte[] tarGz(java.util.Map<String, String> files) {
    java.util.Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return TarGz.of(bytes);
  }

  @Override
  public void close() {
    if (tokens != null) {
      tokens.close();
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  @Override
  public String toString() {
    return "OciRegistry["
        + url()
        + (tokens != null ? ", token auth" : authorization.isPresent() ? ", basic auth" : "")
        + "]";
  }

  /** Settings of an {@link OciRegistry}. */
  public static final class Builder {
    private Optional<String> htpasswd = Optional.empty();
    private Optional<String> authorization = Optional.empty();
    private boolean tokenAuth;

    private Builder() {}

    /**
     * Requires bearer tokens, as Docker Hub, GHCR and most hosted registries do: the registry
     * answers {@code 401} with {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...}; a
     * token service started next to it (on {@code 127.0.0.1}) hands out tokens signed by a test key
     * to {@link #USER} / {@link #PASSWORD} and refuses everyone else.
     */
    public Builder tokenAuth() {
      this.tokenAuth = true;
      this.htpasswd = Optional.empty();
      this.authorization = Optional.of(basic(USER, PASSWORD));
      return this;
    }

    /** Requires basic authentication as {@link #USER} / {@link #PASSWORD}. */
    public Builder basicAuth() {
      this.tokenAuth = false;
      this.htpasswd = Optional.of(USER + ":" + PASSWORD_BCRYPT);
      this.authorization = Optional.of(basic(USER, PASSWORD));
      return this;
    }

    /**
     * Requires basic authentication with an htpasswd line ({@code user:$2y$...}, bcrypt); the
     * registry's own pushes use {@code user}/{@code password}.
     */
    public Builder htpasswd(String line, String user, String password) {
      this.htpasswd = Optional.of(Objects.requireNonNull(line, "line"));
      this.authorization = Optional.of(basic(user, password));
      return this;
    }

    /**
     * Starts the registry and waits until it answers.
     *
     * @throws IllegalStateException when {@code docker-registry} is not installed or does not come
     *     up
     */
    public OciRegistry start() {
      Optional<String> missing = unavailableReason();
      if (missing.isPresent()) {
        throw new IllegalStateException(missing.get());
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("glidepath-registry-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      IOException last = null;
      TokenServer tokens = null;
      if (tokenAuth) {
        try {
          tokens = new TokenServer(USER, PASSWORD);
          Files.writeString(dir.resolve("token-ca.pem"), tokens.certificatePem());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          int port = freePort();
          StringBuilder cfg = new StringBuilder();
          cfg.append("version: 0.1\n")
              .append("log:\n  level: error\n  accesslog:\n    disabled: true\n")
              .append("storage:\n  filesystem:\n    rootdirectory: ")
              .append(dir.resolve("storage"))
              .append("\n  delete:\n    enabled: true\n")
              .append("http:\n  addr: 127.0.0.1:")
              .append(port)
              .append("\n  secret: ")
              .append(HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16)))
              .append('\n');
          if (htpasswd.isPresent()) {
            Files.writeString(dir.resolve("htpasswd"), htpasswd.get() + "\n");
            cfg.append("auth:\n  htpasswd:\n    realm: glidepath-test\n    path: ")
                .append(dir.resolve("htpasswd"))
                .append('\n');
          }
          if (tokens != null) {
            cfg.append("auth:\n  token:\n    realm: ")
                .append(tokens.realm())
                .append("\n    service: ")
                .append(TokenServer.SERVICE)
                .append("\n    issuer: ")
                .append(TokenServer.ISSUER)
                .append("\n    rootcertbundle: ")
                .append(dir.resolve("token-ca.pem"))
                .append('\n');
          }
          Path config = dir.resolve("config.yml");
          Files.writeString(config, cfg.toString());
          Process p =
              new ProcessBuilder("docker-registry", "serve", config.toString())
                  .redirectErrorStream(true)
                  .redirectOutput(dir.resolve("registry.log").toFile())
                  .start();
          if (up(port, p)) {
            return new OciRegistry(p, dir, port, authorization, tokens);
          }
          p.destroyForcibly();
          last = new IOException("the registry did not answer on port " + port + ": " + log(dir));
        } catch (IOException e) {
          last = e;
        }
      }
      if (tokens != null) {
        tokens.close();
      }
      throw new IllegalStateException("cannot start docker-registry: " + last.getMessage(), last);
    }

    private static String log(Path dir) {
      try {
        return Files.readString(dir.resolve("registry.log"));
      } catch (IOException e) {
        return "(no log)";
      }
    }

    private static boolean up(int port, Process p) {
      HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline && p.isAlive()) {
        try {
          HttpResponse<Void> r =
              c.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200 || r.statusCode() == 401) {
            return true;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        return s.getLocalPort();
      }
    }

    private static String basic(String user, String password) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }
}

package io.glidepath.helm.internal;

import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * HTTP(S) GETs to chart repositories and registries: TLS per repository (its CA certificates from
 * the credential store, {@code insecure}, a client certificate), redirects followed by hand so that
 * credentials go only where they may, bodies read up to a limit.
 */
public final class RepoHttp {
  private static final int MAX_REDIRECTS = 10;

  private final RepoCredentialStore store;
  private final Duration timeout;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  public RepoHttp(RepoCredentialStore store, Duration timeout) {
    this.store = store;
    this.timeout = timeout;
  }

  /** An answer: status, headers (lower-case names), body (empty for errors past the limit). */
  public record Response(int status, Map<String, List<String>> headers, byte[] body, URI uri) {
    public Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** The body was larger than allowed. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * GETs {@code uri}.
   *
   * @param credentials TLS settings and, with {@code authorization}, whom to authenticate as
   * @param authorization the {@code Authorization} header value, sent to the first host and, on
   *     redirects, to the same host (or to any host when {@code passCredentials})
   * @param maxBytes the largest body accepted
   */
  public Response get(
      URI uri,
      Optional<RepoCredentials> credentials,
      Optional<String> authorization,
      Map<String, String> headers,
      long maxBytes,
      boolean passCredentials)
      throws IOException, InterruptedException {
    URI current = uri;
    String origin = hostKey(uri);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(timeout).GET();
      headers.forEach(b::header);
      boolean sameHost = hostKey(current).equals(origin);
      if (authorization.isPresent() && (sameHost || passCredentials)) {
        b.header("Authorization", authorization.get());
      }
      HttpClient client = client(current, credentials);
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (javax.net.ssl.SSLException e) {
        throw new IOException("TLS with " + current.getHost() + " failed: " + e.getMessage(), e);
      }
      int status = r.statusCode();
      Map<String, List<String>> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
      if (status >= 300 && status < 400 && h.containsKey("location")) {
        r.body().close();
        current = current.resolve(h.get("location").get(0));
        if (!current.getScheme().equals("https") && !current.getScheme().equals("http")) {
          throw new IOException("a redirect leads to a non-HTTP URL");
        }
        continue;
      }
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      }
      if (body.length > maxBytes) {
        throw new TooLarge(
            current.getHost() + " answered with more than the limit of " + maxBytes + " bytes");
      }
      return new Response(status, h, body, current);
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects");
  }

  /** Basic or bearer authorization from credentials, if they hold any. */
  public static Optional<String> authorization(Optional<RepoCredentials> credentials) {
    if (credentials.isEmpty()) {
      return Optional.empty();
    }
    RepoCredentials c = credentials.get();
    if (c.bearerToken().isPresent()) {
      return Optional.of("Bearer " + c.bearerToken().get());
    }
    if (c.hasBasic()) {
      return Optional.of(basic(c.username().orElse(""), c.password().orElse("")));
    }
    return Optional.empty();
  }

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String hostKey(URI u) {
    return u.getScheme() + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + u.getPort();
  }

  private HttpClient client(URI uri, Optional<RepoCredentials> credentials) throws IOException {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    Optional<String> cas = store.tlsCertificates(host);
    boolean insecure = credentials.map(RepoCredentials::insecure).orElse(false);
    Optional<String> cert = credentials.flatMap(RepoCredentials::tlsClientCertData);
    Optional<String> key = credentials.flatMap(RepoCredentials::tlsClientCertKey);
    String id =
        host
            + "|"
            + insecure
            + "|"
            + cas.map(String::hashCode).orElse(0)
            + "|"
            + cert.map(String::hashCode).orElse(0)
            + "|"
            + key.map(String::hashCode).orElse(0);
    HttpClient c = clients.get(id);
    if (c != null) {
      return c;
    }
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
    if (uri.getScheme().equals("https")) {
      try {
        SSLContext ctx = Tls.context(cas, insecure, cert, key);
        b.sslContext(ctx);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
      }
    }
    HttpClient built = b.build();
    HttpClient previous = clients.putIfAbsent(id, built);
    return previous == null ? built : previous;
  }
}

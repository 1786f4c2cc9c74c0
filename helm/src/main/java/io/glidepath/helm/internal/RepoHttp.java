package io.glidepath.helm.internal;

import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
      String host = current.getHost();
      HttpResponse<byte[]> r =
          exchange(
              client,
              b.build(),
              info ->
                  isRedirect(info.statusCode(), info.headers().firstValue("location").isPresent())
                      ? HttpResponse.BodySubscribers.replacing(new byte[0])
                      : new CappedBody(maxBytes, host));
      int status = r.statusCode();
      Map<String, List<String>> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
      if (isRedirect(status, h.containsKey("location"))) {
        current = current.resolve(h.get("location").get(0));
        if (!current.getScheme().equals("https") && !current.getScheme().equals("http")) {
          throw new IOException("a redirect leads to a non-HTTP URL");
        }
        continue;
      }
      return new Response(status, h, r.body(), current);
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects");
  }

  private static boolean isRedirect(int status, boolean hasLocation) {
    return status >= 300 && status < 400 && hasLocation;
  }

  /**
   * One request and its whole answer, body included, within the timeout: a server that sends its
   * headers and then stalls (or drips) the body is given up on like one that never answers.
   */
  private HttpResponse<byte[]> exchange(
      HttpClient client, HttpRequest request, HttpResponse.BodyHandler<byte[]> handler)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, handler);
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new HttpTimeoutException(
          request.uri().getHost() + " did not answer in full within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof javax.net.ssl.SSLException ssl) {
        throw new IOException(
            "TLS with " + request.uri().getHost() + " failed: " + ssl.getMessage(), ssl);
      }
      if (cause instanceof TooLarge tooLarge) {
        throw new TooLarge(tooLarge.getMessage());
      }
      if (cause instanceof IOException io) {
        // the client's own (connection refused, reset, ...): its type tells the cause in words
        throw io.getMessage() == null ? new IOException(io.getClass().getSimpleName(), io) : io;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  /** A body read into memory up to a limit; past it the exchange is cancelled. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final String host;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    CappedBody(long max, String host) {
      this.max = max;
      this.host = host;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (bytes.size() + (long) b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(
              new TooLarge(host + " answered with more than the limit of " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
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

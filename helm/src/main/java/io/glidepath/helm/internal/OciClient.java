package io.glidepath.helm.internal;

import io.glidepath.core.repo.RepoCredentials;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A client of the OCI distribution API for Helm charts: tags, manifests and blobs, with the
 * registries' authentication (anonymous, then basic or a bearer token obtained from the realm the
 * {@code WWW-Authenticate} challenge names, with the credentials when there are any).
 */
public final class OciClient {
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
  public static final String HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final String LEGACY_LAYER = "application/tar+gzip";
  private static final long MAX_MANIFEST = 4L * 1024 * 1024;
  private static final long MAX_TAGS = 16L * 1024 * 1024;
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final RepoHttp http;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  public OciClient(RepoHttp http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /** A failure with its kind; the fetcher turns it into a typed exception. */
  public static final class OciException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
      NOT_FOUND,
      UNAUTHORIZED,
      WRONG_MEDIA_TYPE,
      DIGEST_MISMATCH,
      TRANSPORT
    }

    private final Kind kind;
    private final int status;

    OciException(Kind kind, String message, int status) {
      super(message);
      this.kind = kind;
      this.status = status;
    }

    public Kind kind() {
      return kind;
    }

    public int status() {
      return status;
    }
  }

  /** A repository in a registry: {@code host[:port]} and the path ({@code charts/nginx}). */
  public record Repo(String registry, String path, boolean plainHttp) {
    URI uri(String suffix) {
      return URI.create((plainHttp ? "http" : "https") + "://" + registry + "/v2/" + path + suffix);
    }

    @Override
    public String toString() {
      return "oci://" + registry + "/" + path;
    }
  }

  /** A Helm chart manifest: its digest and the chart layer's. */
  public record Manifest(String digest, String layerDigest, long layerSize) {}

  private record Token(String value, Instant expires) {}

  /** The repository's tags, every page. */
  public List<String> tags(Repo repo, Optional<RepoCredentials> creds)
      throws IOException, InterruptedException, OciException {
    List<String> out = new ArrayList<>();
    URI next = repo.uri("/tags/list?n=1000");
    for (int page = 0; page < 100 && next != null; page++) {
      RepoHttp.Response r = send(repo, next, creds, Map.of("Accept", "application/json"), MAX_TAGS);
      if (r.status() == 404) {
        throw new OciException(OciException.Kind.NOT_FOUND, repo + " does not exist", 404);
      }
      check(r, repo + " tags");
      JsonNode tree = json(r.body(), "the tag list of " + repo);
      for (JsonNode t : tree.path("tags")) {
        out.add(t.asString(""));
      }
      next = r.header("link").flatMap(l -> nextLink(l, r.uri())).orElse(null);
    }
    return out;
  }

  /** The manifest {@code reference} (a tag or a digest) names, checked to be a Helm chart's. */
  public Manifest manifest(Repo repo, String reference, Optional<RepoCredentials> creds)
      throws IOException, InterruptedException, OciException {
    RepoHttp.Response r =
        send(
            repo,
            repo.uri("/manifests/" + reference),
            creds,
            Map.of("Accept", MANIFEST),
            MAX_MANIFEST);
    if (r.status() == 404) {
      throw new OciException(
          OciException.Kind.NOT_FOUND, repo + ":" + reference + " does not exist", 404);
    }
    check(r, repo + ":" + reference);
    String contentType = r.header("content-type").orElse("").split(";")[0].strip();
    JsonNode m = json(r.body(), "the manifest of " + repo + ":" + reference);
    String mediaType = m.path("mediaType").asString(contentType);
    if (!mediaType.equals(MANIFEST)) {
      throw new OciException(
          OciException.Kind.WRONG_MEDIA_TYPE,
          repo
              + ":"
              + reference
              + " is not an OCI image manifest (media type \""
              + mediaType
              + "\"), so not a Helm chart",
          r.status());
    }
    String config = m.path("config").path("mediaType").asString("");
    if (!config.equals(HELM_CONFIG)) {
      throw new OciException(
          OciException.Kind.WRONG_MEDIA_TYPE,
          repo
              + ":"
              + reference
              + " is not a Helm chart: its config has media type \""
              + config
              + "\", not "
              + HELM_CONFIG,
          r.status());
    }
    String digest = ChartDigests.sha256(r.body());
    if (reference.startsWith("sha256:") && !ChartDigests.same(reference, digest)) {
      throw new OciException(
          OciException.Kind.DIGEST_MISMATCH,
          "the registry answered " + reference + " with a manifest of digest " + digest,
          r.status());
    }
    for (JsonNode layer : m.path("layers")) {
      String t = layer.path("mediaType").asString("");
      if (t.equals(HELM_LAYER) || t.equals(LEGACY_LAYER)) {
        String d = layer.path("digest").asString("");
        if (!d.startsWith("sha256:")) {
          throw new OciException(
              OciException.Kind.WRONG_MEDIA_TYPE,
              repo + ":" + reference + "'s chart layer has no sha256 digest",
              r.status());
        }
        return new Manifest(digest, d, layer.path("size").asLong(-1));
      }
    }
    throw new OciException(
        OciException.Kind.WRONG_MEDIA_TYPE,
        repo + ":" + reference + " has no layer of media type " + HELM_LAYER,
        r.status());
  }

  /** The blob {@code digest}, checked against it. */
  public byte[] blob(Repo repo, String digest, long maxBytes, Optional<RepoCredentials> creds)
      throws IOException, InterruptedException, OciException {
    RepoHttp.Response r = send(repo, repo.uri("/blobs/" + digest), creds, Map.of(), maxBytes);
    if (r.status() == 404) {
      throw new OciException(
          OciException.Kind.NOT_FOUND, "blob " + digest + " does not exist", 404);
    }
    check(r, repo + " blob " + digest);
    String actual = ChartDigests.sha256(r.body());
    if (!ChartDigests.same(actual, digest)) {
      throw new OciException(
          OciException.Kind.DIGEST_MISMATCH,
          "the chart layer has digest " + actual + ", but the manifest names " + digest,
          r.status());
    }
    return r.body();
  }

  private void check(RepoHttp.Response r, String what) throws OciException {
    if (r.status() == 401 || r.status() == 403) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED, what + ": the registry refused access", r.status());
    }
    if (!r.ok()) {
      throw new OciException(
          OciException.Kind.TRANSPORT,
          what + ": the registry answered HTTP " + r.status(),
          r.status());
    }
  }

  /** Sends a GET, answering a 401 challenge once (basic, or a bearer token from its realm). */
  private RepoHttp.Response send(
      Repo repo, URI uri, Optional<RepoCredentials> creds, Map<String, String> headers, long max)
      throws IOException, InterruptedException, OciException {
    String scope = "repository:" + repo.path() + ":pull";
    String tokenKey =
        repo.registry() + "|" + scope + "|" + creds.map(RepoCredentials::source).orElse("");
    Token cached = tokens.get(tokenKey);
    Optional<String> auth = Optional.empty();
    if (cached != null && clock.instant().isBefore(cached.expires())) {
      auth = Optional.of("Bearer " + cached.value());
    } else if (creds.map(RepoCredentials::forceHttpBasicAuth).orElse(false)) {
      auth = basic(creds);
    }
    RepoHttp.Response r = http.get(uri, creds, auth, headers, max, false);
    if (r.status() != 401) {
      return r;
    }
    String challenge = r.header("www-authenticate").orElse("");
    String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    if (scheme.equals("basic")) {
      Optional<String> basic = basic(creds);
      if (basic.isEmpty()) {
        throw new OciException(
            OciException.Kind.UNAUTHORIZED,
            repo + " needs credentials (basic authentication), and none are configured for it",
            401);
      }
      return http.get(uri, creds, basic, headers, max, false);
    }
    if (!scheme.equals("bearer")) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED,
          repo + " asks for an authentication scheme Glidepath does not know: " + scheme,
          401);
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null || realm.isBlank()) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED, repo + "'s bearer challenge names no realm", 401);
    }
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) {
      q.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
      q.append('&');
    }
    q.append("scope=")
        .append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
    URI tokenUri;
    try {
      tokenUri = URI.create(q.toString());
    } catch (IllegalArgumentException e) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED, repo + "'s token realm is not a URL", 401);
    }
    // the token service authenticates us with the basic credentials, or hands out an anonymous one
    RepoHttp.Response t = http.get(tokenUri, creds, basic(creds), Map.of(), 1024 * 1024, true);
    if (t.status() == 401 || t.status() == 403) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED,
          repo
              + (creds.isPresent() && creds.get().hasBasic()
                  ? ": the token service refused the credentials of " + creds.get().source()
                  : " needs credentials, and none are configured for it"),
          t.status());
    }
    if (!t.ok()) {
      throw new OciException(
          OciException.Kind.TRANSPORT,
          repo + ": the token service answered HTTP " + t.status(),
          t.status());
    }
    JsonNode tree = json(t.body(), "the token service's answer");
    String token = tree.path("token").asString(tree.path("access_token").asString(""));
    if (token.isEmpty()) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED, repo + ": the token service returned no token", 401);
    }
    long seconds = Math.max(60, tree.path("expires_in").asLong(60));
    tokens.put(tokenKey, new Token(token, clock.instant().plus(Duration.ofSeconds(seconds - 10))));
    RepoHttp.Response again =
        http.get(uri, creds, Optional.of("Bearer " + token), headers, max, false);
    if (again.status() == 401 || again.status() == 403) {
      throw new OciException(
          OciException.Kind.UNAUTHORIZED,
          repo
              + (creds.isPresent()
                  ? " refused the token obtained with the credentials of " + creds.get().source()
                  : " needs credentials, and none are configured for it"),
          again.status());
    }
    return again;
  }

  private static Optional<String> basic(Optional<RepoCredentials> creds) {
    return creds
        .filter(RepoCredentials::hasBasic)
        .map(c -> RepoHttp.basic(c.username().orElse(""), c.password().orElse("")));
  }

  private static JsonNode json(byte[] body, String what) throws OciException {
    try {
      return Yaml.mapper().readTree(body);
    } catch (RuntimeException e) {
      throw new OciException(OciException.Kind.WRONG_MEDIA_TYPE, what + " is not JSON", 200);
    }
  }

  private static Optional<URI> nextLink(String link, URI base) {
    Matcher m = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?").matcher(link);
    return m.find() ? Optional.of(base.resolve(m.group(1))) : Optional.empty();
  }
}

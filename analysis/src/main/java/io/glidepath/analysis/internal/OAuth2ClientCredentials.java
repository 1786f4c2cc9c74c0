package io.glidepath.analysis.internal;

import io.glidepath.analysis.provider.MetricProviderException;
import io.glidepath.core.yaml.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4) for a template's {@code
 * authentication.oauth2}: {@code tokenUrl}, {@code clientId}, {@code clientSecret}, {@code scopes}.
 * Tokens are cached until 10 s before they expire (the Go oauth2 package's margin).
 *
 * <p>Like Go's oauth2 package (AuthStyleAutoDetect), the client authenticates with HTTP Basic first
 * and, if the server refuses that, once more with {@code client_id} and {@code client_secret} in
 * the form. Thread-safe; secrets never appear in messages.
 */
public final class OAuth2ClientCredentials {
  /** A token is renewed this long before it expires. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

  private record Token(String value, Instant expires) {
    @Override
    public String toString() {
      return "Token[expires=" + expires + "]";
    }
  }

  /** The settings of one {@code oauth2} block. */
  public record Settings(
      String tokenUrl, String clientId, String clientSecret, List<String> scopes) {
    public Settings {
      scopes = List.copyOf(scopes);
    }

    /** Reads an {@code oauth2} block; empty if it has no {@code tokenUrl}. */
    public static java.util.Optional<Settings> of(JsonNode oauth2, String type) {
      if (oauth2 == null || !oauth2.isObject() || oauth2.path("tokenUrl").asString("").isEmpty()) {
        return java.util.Optional.empty();
      }
      String id = oauth2.path("clientId").asString("");
      String secret = oauth2.path("clientSecret").asString("");
      if (id.isEmpty() || secret.isEmpty()) {
        throw new MetricProviderException(
            type, "authentication.oauth2 needs clientId and clientSecret with tokenUrl");
      }
      List<String> scopes = new java.util.ArrayList<>();
      for (JsonNode s : oauth2.path("scopes").values()) {
        scopes.add(s.asString(""));
      }
      return java.util.Optional.of(
          new Settings(oauth2.path("tokenUrl").asString(), id, secret, scopes));
    }

    @Override
    public String toString() {
      return "Settings[tokenUrl="
          + tokenUrl
          + ", clientId="
          + clientId
          + ", scopes="
          + scopes
          + "]";
    }
  }

  private final InstantSource clock;
  private final Map<String, Token> cache = new ConcurrentHashMap<>();

  public OAuth2ClientCredentials(InstantSource clock) {
    this.clock = clock;
  }

  /** The value of the {@code Authorization} header for {@code settings}: {@code Bearer <token>}. */
  public String authorization(HttpClient client, Settings settings, Duration timeout, String type) {
    String key = key(settings);
    Token t = cache.get(key);
    Instant now = clock.instant();
    if (t == null || !now.isBefore(t.expires().minus(EXPIRY_MARGIN))) {
      t = fetch(client, settings, timeout, type, now);
      cache.put(key, t);
    }
    return "Bearer " + t.value();
  }

  private Token fetch(HttpClient client, Settings s, Duration timeout, String type, Instant now) {
    URI uri = HttpSupport.httpUri(s.tokenUrl(), "authentication.oauth2.tokenUrl", type);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    if (!s.scopes().isEmpty()) {
      form.put("scope", String.join(" ", s.scopes()));
    }
    HttpRequest basic =
        base(uri, timeout)
            .header(
                "Authorization",
                HttpSupport.basic(
                    java.net.URLEncoder.encode(s.clientId(), StandardCharsets.UTF_8),
                    java.net.URLEncoder.encode(s.clientSecret(), StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString(HttpSupport.form(form)))
            .build();
    HttpResponse<String> r = HttpSupport.send(client, basic, type);
    if (r.statusCode() / 100 != 2) {
      Map<String, String> inBody = new LinkedHashMap<>(form);
      inBody.put("client_id", s.clientId());
      inBody.put("client_secret", s.clientSecret());
      HttpRequest params =
          base(uri, timeout)
              .POST(HttpRequest.BodyPublishers.ofString(HttpSupport.form(inBody)))
              .build();
      r = HttpSupport.send(client, params, type);
    }
    String where = HttpSupport.safe(uri);
    JsonNode body;
    try {
      body = Yaml.mapper().readTree(r.body());
    } catch (JacksonException e) {
      body = null;
    }
    if (r.statusCode() / 100 != 2) {
      String error = body == null ? HttpSupport.excerpt(r.body()) : describe(body);
      throw new MetricProviderException(
          type,
          "OAuth2 token request to " + where + " failed (HTTP " + r.statusCode() + "): " + error,
          r.statusCode(),
          null);
    }
    if (body == null || body.path("access_token").asString("").isEmpty()) {
      throw new MetricProviderException(
          type, "OAuth2 token response of " + where + " has no access_token", r.statusCode(), null);
    }
    long expiresIn = body.path("expires_in").asLong(0);
    Instant expires = expiresIn > 0 ? now.plusSeconds(expiresIn) : Instant.MAX;
    return new Token(body.path("access_token").asString(), expires);
  }

  private static String describe(JsonNode body) {
    String error = body.path("error").asString("");
    String description = body.path("error_description").asString("");
    if (error.isEmpty()) {
      return HttpSupport.excerpt(body.toString());
    }
    return description.isEmpty() ? error : error + ": " + description;
  }

  private static HttpRequest.Builder base(URI uri, Duration timeout) {
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json");
  }

  private static String key(Settings s) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of(s.tokenUrl(), s.clientId(), s.clientSecret(), String.join(" ", s.scopes()))) {
        d.update(part.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

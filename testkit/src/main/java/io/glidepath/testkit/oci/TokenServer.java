package io.glidepath.testkit.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.testkit.tls.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The token service of a registry with token authentication: answers {@code GET /token?service=
 * &scope=} with a JWT (ES256, its certificate in {@code x5c}) granting the scopes asked for, to the
 * one account it knows; {@code 401} to anyone else.
 */
final class TokenServer implements AutoCloseable {
  static final String SERVICE = "glidepath-test-registry";
  static final String ISSUER = "glidepath-test-token-service";

  private final TestCertificates keys = TestCertificates.create();
  private final String expected;
  private final HttpServer server;

  TokenServer(String user, String password) throws IOException {
    this.expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  String certificatePem() {
    return keys.caPem();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"token\"");
        ex.sendResponseHeaders(401, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      for (String part : query == null ? new String[0] : query.split("&")) {
        if (part.startsWith("scope=")) {
          scopes.add(URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8));
        }
      }
      ObjectNode answer = Yaml.mapper().createObjectNode();
      answer.put("token", token("glidepath", scopes));
      answer.put("expires_in", 300);
      byte[] body = Yaml.toJson(answer).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** A token granting {@code scopes} ({@code repository:NAME:ACTIONS}). */
  String token(String subject, List<String> scopes) {
    try {
      ObjectNode header = Yaml.mapper().createObjectNode();
      header.put("typ", "JWT");
      header.put("alg", "ES256");
      header.putArray("x5c").add(Base64.getEncoder().encodeToString(keys.ca().getEncoded()));
      long now = Instant.now().getEpochSecond();
      ObjectNode claims = Yaml.mapper().createObjectNode();
      claims.put("iss", ISSUER);
      claims.put("sub", subject);
      claims.put("aud", SERVICE);
      claims.put("exp", now + 300);
      claims.put("nbf", now - 10);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      ArrayNode access = claims.putArray("access");
      for (String scope : scopes) {
        String[] parts = scope.split(":");
        if (parts.length == 3) {
          ObjectNode a = access.addObject();
          a.put("type", parts[0]);
          a.put("name", parts[1]);
          ArrayNode actions = a.putArray("actions");
          for (String action : parts[2].split(",")) {
            actions.add(action);
          }
        }
      }
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String input =
          b64.encodeToString(Yaml.toJson(header).getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(Yaml.toJson(claims).getBytes(StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(keys.caKey());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test registry token: " + e, e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

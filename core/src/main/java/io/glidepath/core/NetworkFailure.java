package io.glidepath.core;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Says in words why a connection to a server (Prometheus, a Git remote, a cluster's API server)
 * failed, from the exception the client library threw: {@code "connection refused"} rather than
 * {@code ConnectException}, whose message is often empty.
 *
 * <pre>{@code
 * catch (IOException e) {
 *   throw new MyException("request to " + NetworkFailure.endpoint(uri) + " failed: "
 *       + NetworkFailure.describe(e).orElse(String.valueOf(e.getMessage())), e);
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkFailure {
  private NetworkFailure() {}

  /**
   * The network cause of {@code error} or of one of its causes, in words, or empty when none of
   * them is a network failure. Hints name what usually causes it ("nothing listens on that port").
   */
  public static Optional<String> describe(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
      Optional<String> words = words(t);
      if (words.isPresent()) {
        return words;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /** {@code host:port} of {@code uri}, with the scheme's default port when none is given. */
  public static String endpoint(URI uri) {
    String host = uri.getHost() == null ? String.valueOf(uri.getAuthority()) : uri.getHost();
    int port = uri.getPort();
    if (port < 0) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      port =
          switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            case "ssh" -> 22;
            case "git" -> 9418;
            default -> -1;
          };
    }
    return port < 0 ? host : host + ":" + port;
  }

  private static Optional<String> words(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
      return Optional.of(
          "unknown host"
              + (message.isBlank() ? "" : " " + message.strip())
              + " (the name does not resolve: check the address and DNS)");
    }
    // java.net.http's timeouts, by name: core does not read the java.net.http module
    String type = t.getClass().getName();
    if (type.equals("java.net.http.HttpConnectTimeoutException")) {
      return Optional.of("connection timed out (the host does not answer: down, or a firewall)");
    }
    if (type.equals("java.net.http.HttpTimeoutException") || t instanceof SocketTimeoutException) {
      return Optional.of("timed out waiting for an answer");
    }
    if (t instanceof NoRouteToHostException) {
      return Optional.of("no route to host (the network cannot reach it)");
    }
    if (t instanceof PortUnreachableException) {
      return Optional.of("port unreachable");
    }
    if (t instanceof ConnectException) {
      if (lower.contains("timed out")) {
        return Optional.of("connection timed out (the host does not answer: down, or a firewall)");
      }
      return Optional.of("connection refused (nothing listens on that port)");
    }
    if (t instanceof SSLHandshakeException) {
      return Optional.of(
          "TLS handshake failed" + (message.isBlank() ? "" : ": " + message.strip()));
    }
    if (t instanceof SSLException) {
      return Optional.of("TLS error" + (message.isBlank() ? "" : ": " + message.strip()));
    }
    if (t instanceof SocketException && lower.contains("reset")) {
      return Optional.of("connection reset by the server");
    }
    if (t instanceof SocketException && lower.contains("refused")) {
      return Optional.of("connection refused (nothing listens on that port)");
    }
    if (t instanceof EOFException || t instanceof ClosedChannelException) {
      return Optional.of("the server closed the connection");
    }
    return Optional.empty();
  }
}

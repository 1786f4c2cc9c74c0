package io.glidepath.helm.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The only Kubernetes API the Helm render process can reach: one that holds nothing. Helm's {@code
 * lookup} asks it and gets "not found", so {@code lookup} returns an empty map, as it does in
 * {@code helm template} and Argo CD, and no render ever reads a real cluster through whatever
 * credentials the machine has.
 *
 * <p>It answers the discovery request {@code lookup} makes first ({@code /api/v1}, {@code
 * /apis/GROUP/VERSION}: no resources) and {@code 404 NotFound} to everything else. It listens on
 * 127.0.0.1 only, for the life of the JVM.
 *
 * <p>HTTP/1.1 on a plain socket, one request per connection ({@code Connection: close}), rather
 * than the JDK's {@code com.sun.net.httpserver}: that server asks for a system logger when it
 * starts, and the logger lookup scans every jar on the class path for a service file, which for the
 * command line's jar (about 40,000 entries) is a good part of a short render. A request head over
 * {@value #MAX_HEAD} bytes is answered {@code 431} and a body over {@value #MAX_BODY} bytes is not
 * read; a client silent for {@value #READ_TIMEOUT_MS} ms is dropped; at most {@value #CONNECTIONS}
 * connections are served at once (more are closed at once).
 */
final class NullApiServer {
  static final int MAX_HEAD = 16 * 1024;
  static final int MAX_BODY = 1024 * 1024;
  static final int READ_TIMEOUT_MS = 10_000;
  static final int CONNECTIONS = 8;

  private static final String NOT_FOUND =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"glidepath renders offline: the cluster is not read\","
          + "\"reason\":\"NotFound\",\"details\":{},\"code\":404}";

  private final ServerSocket socket;
  private final ThreadPoolExecutor connections;

  private NullApiServer(ServerSocket socket, ThreadPoolExecutor connections) {
    this.socket = socket;
    this.connections = connections;
  }

  static NullApiServer start() throws IOException {
    ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    ThreadPoolExecutor connections =
        new ThreadPoolExecutor(
            0,
            CONNECTIONS,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "glidepath-helm-null-api"));
    NullApiServer server = new NullApiServer(socket, connections);
    daemon(server::acceptAll, "glidepath-helm-null-api-accept").start();
    return server;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Stops listening and ends the server's threads, at once (its answers are immediate, so none is
   * cut short in practice).
   */
  void stop() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a listening socket does not fail in a way that leaves it open
    }
    connections.shutdownNow();
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  private void acceptAll() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return;
      }
      try {
        connections.execute(() -> serve(client));
      } catch (RejectedExecutionException busy) {
        close(client);
      }
    }
  }

  private static void serve(Socket client) {
    try (client) {
      client.setSoTimeout(READ_TIMEOUT_MS);
      answer(client.getInputStream(), client.getOutputStream());
    } catch (IOException dropped) {
      // the client went away or stayed silent: its connection ends, the server goes on
    }
  }

  private static void close(Socket client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // nothing was said on it
    }
  }

  /** Reads one request from {@code in} and writes its answer to {@code out}. */
  static void answer(InputStream in, OutputStream out) throws IOException {
    String head = readHead(in);
    if (head == null) {
      write(out, 431, "Request Header Fields Too Large", NOT_FOUND);
      return;
    }
    String[] lines = head.split("\r?\n");
    String[] request = lines[0].split(" ");
    if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
      write(out, 400, "Bad Request", NOT_FOUND);
      return;
    }
    skipBody(in, contentLength(lines));
    String target = request[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    String groupVersion = discoveryGroupVersion(path, query);
    if (groupVersion == null) {
      write(out, 404, "Not Found", NOT_FOUND);
    } else {
      write(
          out,
          200,
          "OK",
          "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
              + groupVersion
              + "\",\"resources\":[]}");
    }
  }

  /** The request line and headers, up to the blank line; null when longer than allowed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int newlines = 0;
    while (head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection ended within the request head");
      }
      if (b == '\n') {
        if (++newlines == 2) {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
      } else if (b != '\r') {
        newlines = 0;
      }
      head.write(b);
    }
    return null;
  }

  private static long contentLength(String[] lines) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0
          && lines[i]
              .substring(0, colon)
              .trim()
              .toLowerCase(Locale.ROOT)
              .equals("content-length")) {
        try {
          return Long.parseLong(lines[i].substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** Reads and drops a body of {@code length} bytes, so closing does not reset the connection. */
  private static void skipBody(InputStream in, long length) throws IOException {
    long left = Math.min(length, MAX_BODY);
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          return;
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static void write(OutputStream out, int status, String reason, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
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

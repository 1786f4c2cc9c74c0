package io.glidepath.helm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listening 127.0.0.1 socket that records every connection made to it (and the first bytes sent),
 * then closes it: the proof that nothing tried to reach what it stands for.
 */
final class RecordingPort implements AutoCloseable {
  private final ServerSocket server;
  private final List<String> connections = new CopyOnWriteArrayList<>();

  private RecordingPort(ServerSocket server) {
    this.server = server;
    Thread t = new Thread(this::accept, "recording-port");
    t.setDaemon(true);
    t.start();
  }

  static RecordingPort open() throws IOException {
    return new RecordingPort(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /** On a given port; fails when the port is taken. */
  static RecordingPort open(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return new RecordingPort(s);
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  List<String> connections() {
    return List.copyOf(connections);
  }

  private void accept() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(500);
        byte[] first = new byte[200];
        int n = 0;
        try (InputStream in = s.getInputStream()) {
          n = Math.max(0, in.read(first));
        } catch (IOException ignored) {
          // recorded all the same
        }
        connections.add(new String(first, 0, n, StandardCharsets.UTF_8));
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

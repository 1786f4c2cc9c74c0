package io.glidepath.helm.internal;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The socket of a Helm render process started before the JVM that uses it: {@code bin/glidepath}
 * starts one beside the command line's JVM when the command renders a chart, so the process's start
 * and the Helm engine's load run alongside that JVM's start ({@link PrestartedWorker} takes it over
 * there).
 *
 * <p>Such a process is started with the argument {@value #LISTEN} and the id of the process that
 * will take it over (the launcher's, which becomes that JVM's) after its output bound, in its
 * private home (owner-only) as its working directory. It listens on a loopback port, writes the
 * port and a secret of 16 random bytes to {@value #PORT_FILE} there (owner-only too), loads the
 * native library, then serves the first connection that sends the secret as its first line, exactly
 * as a process started by {@link HelmProcess} serves its standard input and output, and ends when
 * that connection ends. A connection that sends anything else, or nothing within {@value
 * #SECRET_WAIT_MS} ms, is closed. (A loopback port rather than a Unix socket: the JDK's Unix
 * sockets start a {@code SecureRandom} in the JVM that connects, which cost the command line's JVM
 * more than the whole gain.)
 *
 * <p>While nobody has connected it checks every {@value #PARENT_POLL_MS} ms that the process that
 * started it is still its parent; when that process has ended without connecting (the command did
 * not render after all, or failed first) it removes its files and ends, so it never outlives the
 * command.
 */
final class WorkerSocket {
  /** The argument that makes {@link HelmWorker} listen. */
  static final String LISTEN = "listen";

  /** The file naming the port and the secret ({@code PORT SECRET}), in the private home. */
  static final String PORT_FILE = "worker.port";

  /** Where the launcher sends the process's standard output and error, in its private home. */
  static final String LOG_NAME = "worker.log";

  static final int PARENT_POLL_MS = 10;
  static final int SECRET_WAIT_MS = 2000;

  private WorkerSocket() {}

  /**
   * Serves the first connection that names the secret, then ends; ends at once, removing its files,
   * when {@code parent} is not, or is no longer, this process's parent.
   */
  static void serve(long maxOutput, long parent) throws IOException {
    Path home = Path.of("").toAbsolutePath();
    Path portFile = home.resolve(PORT_FILE);
    String secret = secret();
    Socket client;
    String unavailable;
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      // listen first, so a connection waits in the backlog while the library loads
      Path partial = home.resolve(PORT_FILE + ".partial");
      Files.deleteIfExists(partial);
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(partial, server.getLocalPort() + " " + secret + "\n");
      Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
      unavailable = HelmWorker.loadLibrary();
      client = accept(server, parent, secret);
    } finally {
      Files.deleteIfExists(portFile);
    }
    if (client == null) {
      // the command ended without taking this process: leave nothing behind
      Files.deleteIfExists(home.resolve(LOG_NAME));
      try {
        Files.deleteIfExists(home);
      } catch (IOException notEmpty) {
        // the command made more in it, and removes it at its exit
      }
      return;
    }
    try (client) {
      HelmWorker.answer(client.getInputStream(), client.getOutputStream(), maxOutput, unavailable);
    }
  }

  /**
   * The first connection whose first line is {@code secret}, or null once {@code parent} is no
   * longer this process's parent.
   */
  private static Socket accept(ServerSocket server, long parent, String secret) throws IOException {
    server.setSoTimeout(PARENT_POLL_MS);
    byte[] expected = secret.getBytes(StandardCharsets.US_ASCII);
    while (true) {
      Socket client;
      try {
        client = server.accept();
      } catch (SocketTimeoutException e) {
        if (parentPid() != parent) {
          return null;
        }
        continue;
      }
      try {
        client.setSoTimeout(SECRET_WAIT_MS);
        byte[] line = firstLine(client.getInputStream(), expected.length + 1);
        if (MessageDigest.isEqual(line, expected)) {
          client.setSoTimeout(0);
          return client;
        }
      } catch (IOException e) {
        // silent or gone: the next one
      }
      client.close();
    }
  }

  /** The first line of {@code in}, at most {@code max} bytes; what came before a short end. */
  private static byte[] firstLine(InputStream in, int max) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n' && line.size() <= max) {
      line.write(b);
    }
    return line.toByteArray();
  }

  private static String secret() throws IOException {
    // read from the kernel's source: a SecureRandom would cost this process's start more
    try (InputStream random = new FileInputStream("/dev/urandom")) {
      byte[] bytes = random.readNBytes(16);
      if (bytes.length != 16) {
        throw new IOException("/dev/urandom gave " + bytes.length + " bytes");
      }
      return HexFormat.of().formatHex(bytes);
    }
  }

  private static long parentPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }
}

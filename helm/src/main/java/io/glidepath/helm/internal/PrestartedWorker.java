package io.glidepath.helm.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Helm render process that {@code bin/glidepath} started beside this JVM, before it (see {@link
 * WorkerSocket}), named by the system property {@value #PROPERTY} as {@code PID:HOME}: taken over
 * by {@link HelmProcess} for its first render instead of starting one, so that the process's start
 * and the Helm engine's load, the longer part of a render, overlap this JVM's own start.
 *
 * <p>It is taken only when it is this JVM's child, its home a directory {@code glidepath-helm-*} in
 * {@code java.io.tmpdir} that is this user's alone, and, once connected, its program, arguments and
 * whole environment are those {@link HelmProcess} would have started it with ({@code
 * /proc/PID/exe}, {@code cmdline}, {@code environ}). Else it is ended and a process is started as
 * always. The property is read once: later renders start their own processes.
 */
final class PrestartedWorker {
  /** The system property naming the process: {@code PID:HOME}. */
  static final String PROPERTY = "glidepath.helm.prestarted";

  private static final AtomicBoolean CLAIMED = new AtomicBoolean();
  private static final long CONNECT_POLL_MS = 5;

  private final ProcessHandle process;
  private final Path home;

  private PrestartedWorker(ProcessHandle process, Path home) {
    this.process = process;
    this.home = home;
  }

  /**
   * The process the property names, the first time only and when it is this JVM's child with a
   * private home; else empty. A child whose home is not private is ended.
   */
  static Optional<PrestartedWorker> claim() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank() || !CLAIMED.compareAndSet(false, true)) {
      return Optional.empty();
    }
    return claim(value);
  }

  /** The process {@code value} ({@code PID:HOME}) names, as {@link #claim()} takes it. */
  static Optional<PrestartedWorker> claim(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> child;
    try {
      long pid = Long.parseLong(value.substring(0, colon));
      child = ProcessHandle.of(pid).filter(PrestartedWorker::isChild);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (child.isEmpty()) {
      return Optional.empty(); // not ours to end either
    }
    Path home = Path.of(value.substring(colon + 1));
    if (!isPrivateHome(home)) {
      child.get().destroyForcibly();
      return Optional.empty();
    }
    return Optional.of(new PrestartedWorker(child.get(), home));
  }

  private static boolean isChild(ProcessHandle p) {
    long self = ProcessHandle.current().pid();
    return p.parent().map(ProcessHandle::pid).orElse(-1L) == self;
  }

  /** A directory {@code glidepath-helm-*} in {@code java.io.tmpdir}, owned by us, owner-only. */
  static boolean isPrivateHome(Path home) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    if (!home.isAbsolute()
        || !home.normalize().equals(home)
        || !tmp.equals(home.getParent())
        || !home.getFileName().toString().startsWith("glidepath-helm-")
        || !Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Map<String, Object> unix =
          Files.readAttributes(home, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
      // this process's own user: the owner of its /proc directory
      Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return ((Integer) unix.get("mode") & 0777) == 0700 && unix.get("uid").equals(self);
    } catch (IOException | RuntimeException e) {
      return false; // not a Unix file system, or no /proc
    }
  }

  ProcessHandle process() {
    return process;
  }

  Path home() {
    return home;
  }

  /** The file the process's standard output and error go to. */
  Path log() {
    return home.resolve(WorkerSocket.LOG_NAME);
  }

  /**
   * A connection to the process once it listens, or empty when it ends first or does not listen
   * within {@code timeoutNanos}.
   */
  Optional<Socket> connect(long timeoutNanos) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      Socket socket = connect(home);
      if (socket != null) {
        return Optional.of(socket);
      }
      if (!process.isAlive() || process.onExit().isDone() || System.nanoTime() - deadline >= 0) {
        return Optional.empty();
      }
      TimeUnit.MILLISECONDS.sleep(CONNECT_POLL_MS);
    }
  }

  /**
   * Connects to the process listening in {@code home} ({@link WorkerSocket}) and names its secret;
   * null while it has not written its port yet.
   */
  static Socket connect(Path home) throws IOException {
    // WorkerSocket's constants only: its class is the process's, not loaded here
    Path portFile = home.resolve(WorkerSocket.PORT_FILE);
    if (!Files.exists(portFile)) {
      return null; // not yet (cheaper to ask than to catch, polled every few ms)
    }
    String text;
    try {
      text = Files.readString(portFile, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException notYet) {
      return null;
    }
    String[] parts = text.strip().split(" ");
    if (parts.length != 2) {
      throw new IOException(WorkerSocket.PORT_FILE + " is not PORT SECRET");
    }
    int port;
    try {
      port = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw new IOException(WorkerSocket.PORT_FILE + " names no port", e);
    }
    // no proxy: the loopback, and no proxy selector to start
    Socket socket = new Socket(Proxy.NO_PROXY);
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      OutputStream out = socket.getOutputStream();
      out.write((parts[1] + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Whether the process runs {@code command} (its program the same file as {@code command}'s first
   * word, then the same arguments) with exactly {@code environment}.
   */
  boolean startedAs(List<String> command, Map<String, String> environment) {
    Path proc = Path.of("/proc", Long.toString(process.pid()));
    try {
      Path program = Files.readSymbolicLink(proc.resolve("exe"));
      if (!program.equals(Path.of(command.get(0)).toRealPath())) {
        return false;
      }
      List<String> args = split(Files.readAllBytes(proc.resolve("cmdline")));
      if (args.isEmpty()
          || !args.subList(1, args.size()).equals(command.subList(1, command.size()))) {
        return false;
      }
      Map<String, String> env = new HashMap<>();
      for (String entry : split(Files.readAllBytes(proc.resolve("environ")))) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || env.put(entry.substring(0, eq), entry.substring(eq + 1)) != null) {
          return false;
        }
      }
      return env.equals(environment);
    } catch (IOException | RuntimeException e) {
      return false; // no /proc, or the process ended
    }
  }

  /** The NUL-terminated strings of a {@code /proc} file. */
  private static List<String> split(byte[] bytes) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        parts.add(new String(Arrays.copyOfRange(bytes, start, i), StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      parts.add(new String(Arrays.copyOfRange(bytes, start, bytes.length), StandardCharsets.UTF_8));
    }
    return parts;
  }
}

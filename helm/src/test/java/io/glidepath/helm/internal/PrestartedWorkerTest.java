package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helm render process started beside the JVM, as {@code bin/glidepath} starts it: listening,
 * taken over only as the process this JVM would have started, ending with its parent.
 */
@EnabledOnOs(OS.LINUX)
class PrestartedWorkerTest {
  private static final long MAX_OUTPUT = 1024 * 1024;

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();
  private final List<Path> homes = new ArrayList<>();

  @AfterEach
  void end() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    homes.forEach(HelmProcess::deleteTree);
  }

  private Path home() throws IOException {
    Path home = HelmProcess.newPrivateDirectory(Path.of(System.getProperty("java.io.tmpdir")));
    homes.add(home);
    return home;
  }

  /** The command the launcher runs, without the id of the process that takes it over. */
  private static List<String> listeningFor() {
    List<String> command = new ArrayList<>(HelmProcess.command(MAX_OUTPUT));
    command.add(WorkerSocket.LISTEN);
    return command;
  }

  /** The command the launcher runs, taken over by this JVM. */
  private static List<String> listening() {
    List<String> command = listeningFor();
    command.add(Long.toString(ProcessHandle.current().pid()));
    return command;
  }

  /** Starts the process as the launcher does: in its home, that environment, output to its log. */
  private Process start(Path home, List<String> command, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectOutput(home.resolve(WorkerSocket.LOG_NAME).toFile()).redirectErrorStream(true);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private static String answerHeader(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private Path chart() throws IOException {
    Path chart = Files.createDirectories(tmp.resolve("chart/templates"));
    Files.writeString(
        tmp.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
    Files.writeString(
        chart.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
    return tmp.resolve("chart");
  }

  @Test
  void aProcessStartedAsThisJvmWouldIsTakenOverAndRenders() throws Exception {
    Path home = home();
    Process p = start(home, listening(), HelmProcess.environment(home));

    Optional<PrestartedWorker> worker = PrestartedWorker.claim(p.pid() + ":" + home);

    assertThat(worker).isPresent();
    Socket socket = worker.get().connect(Duration.ofSeconds(60).toNanos()).orElseThrow();
    assertThat(worker.get().startedAs(listening(), HelmProcess.environment(home))).isTrue();
    Path values = Files.writeString(tmp.resolve("values.yaml"), "{}\n");
    socket
        .getOutputStream()
        .write(
            HelmProcess.encode(
                new HelmProcess.Request(
                    chart(), values, "shop", "default", Optional.empty(), false)));
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String header = answerHeader(in);
    assertThat(header)
        .as(Files.readString(home.resolve(WorkerSocket.LOG_NAME)))
        .startsWith(HelmWorker.HEADER + "ok ");
    int length = Integer.parseInt(header.substring(header.lastIndexOf(' ') + 1));
    assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8)).contains("name: shop");
    // its port file is gone once taken; the connection's end is the process's end
    assertThat(home.resolve(WorkerSocket.PORT_FILE)).doesNotExist();
    socket.close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void aProcessWithAnotherEnvironmentOrCommandIsNotTheOneThisJvmWouldStart() throws Exception {
    Path home = home();
    Map<String, String> env = new java.util.HashMap<>(HelmProcess.environment(home));
    env.put("KUBECONFIG", System.getProperty("user.home") + "/.kube/config");
    Process p = start(home, listening(), env);

    PrestartedWorker worker = PrestartedWorker.claim(p.pid() + ":" + home).orElseThrow();
    worker.connect(Duration.ofSeconds(60).toNanos()).orElseThrow().close();

    assertThat(worker.startedAs(listening(), HelmProcess.environment(home))).isFalse();
    assertThat(worker.startedAs(listening(), env)).isTrue();
    List<String> otherBound = new ArrayList<>(HelmProcess.command(MAX_OUTPUT + 1));
    otherBound.add(WorkerSocket.LISTEN);
    otherBound.add(Long.toString(ProcessHandle.current().pid()));
    assertThat(worker.startedAs(otherBound, env)).isFalse();
  }

  @Test
  void onlyAChildWithAPrivateHomeIsClaimedAndAChildWithoutOneIsEnded() throws Exception {
    Path open = Files.createDirectory(tmp.resolve("glidepath-helm-open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = home();
    Process p = start(home, listening(), HelmProcess.environment(home));

    // not our child: not claimed, not ended
    assertThat(PrestartedWorker.claim(ProcessHandle.current().pid() + ":" + home)).isEmpty();
    assertThat(PrestartedWorker.claim("nonsense")).isEmpty();
    // our child in a home that is not private (nor in java.io.tmpdir): not claimed, and ended
    assertThat(PrestartedWorker.isPrivateHome(open)).isFalse();
    assertThat(PrestartedWorker.isPrivateHome(home)).isTrue();
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(PrestartedWorker.claim(p.pid() + ":" + home)).isEmpty();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void aConnectionWithoutTheSecretIsClosedAndTheRightOneStillServed() throws Exception {
    Path home = home();
    Process p = start(home, listening(), HelmProcess.environment(home));
    PrestartedWorker worker = PrestartedWorker.claim(p.pid() + ":" + home).orElseThrow();
    Path portFile = home.resolve(WorkerSocket.PORT_FILE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    int port = Integer.parseInt(Files.readString(portFile).split(" ")[0]);

    try (Socket stranger = new Socket(Proxy.NO_PROXY)) {
      stranger.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      stranger.getOutputStream().write("guess\n".getBytes(StandardCharsets.US_ASCII));
      stranger.setSoTimeout(60_000);
      assertThat(stranger.getInputStream().read()).isEqualTo(-1); // closed on it
    }
    try (Socket socket = worker.connect(TimeUnit.SECONDS.toNanos(60)).orElseThrow()) {
      socket.getOutputStream().write("render\nend\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(answerHeader(socket.getInputStream())).startsWith(HelmWorker.HEADER + "error ");
    }
  }

  @Test
  void aProcessNobodyTakesOverEndsWithItsParentAndLeavesNothing() throws Exception {
    Path home = home();
    // its parent is a shell that ends at once, as the launcher's JVM would without rendering
    List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\" $$ & sleep 0.5", "sh"));
    command.addAll(listeningFor());
    Process shell = start(home, command, HelmProcess.environment(home));

    assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.exists(home) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(home).doesNotExist();
  }
}

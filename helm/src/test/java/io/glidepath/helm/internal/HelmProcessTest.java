package io.glidepath.helm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the Helm render process. */
class HelmProcessTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty(HelmProcess.ARCHIVE_PROPERTY);
    System.clearProperty(WorkerJar.PROPERTY);
  }

  @Test
  void theProcessRunsOnItsOwnJarAloneWhenGivenOne() throws IOException {
    Path jar = Files.writeString(tmp.resolve(WorkerJar.FILE_NAME), "jar");
    System.setProperty(WorkerJar.PROPERTY, jar.toString());

    List<String> command = HelmProcess.command(1000);

    assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo(jar.toString());
  }

  @Test
  void withoutItsOwnJarOrWithAMissingOneItGetsTheClassPathOfThisJvm() {
    String full = HelmProcess.classPath();
    assertThat(full.split(java.io.File.pathSeparator)).hasSizeGreaterThan(1);

    System.setProperty(WorkerJar.PROPERTY, tmp.resolve("missing.jar").toString());
    assertThat(HelmProcess.classPath()).isEqualTo(full);
  }

  @Test
  void theProcessMapsTheArchiveItIsGiven() throws IOException {
    Path archive = Files.writeString(tmp.resolve("worker.jsa"), "archive");
    System.setProperty(HelmProcess.ARCHIVE_PROPERTY, archive.toString());

    List<String> command = HelmProcess.command(1000);

    assertThat(command).contains("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
    assertThat(command.indexOf("-XX:SharedArchiveFile=" + archive))
        .isLessThan(command.indexOf(HelmWorker.class.getName()));
  }

  @Test
  void withoutAnArchiveOrWithAMissingOneItRunsWithoutOne() {
    assertThat(HelmProcess.command(1000)).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));

    System.setProperty(HelmProcess.ARCHIVE_PROPERTY, tmp.resolve("missing.jsa").toString());
    assertThat(HelmProcess.command(1000)).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
  }

  @Test
  void theProcessGetsShortRunFlagsAndItsBounds() {
    List<String> command = HelmProcess.command(1234);

    assertThat(command)
        .contains(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-XX:ArchiveRelocationMode=0",
            "-XX:Tier3InvocationThreshold=2000",
            "-cp")
        .endsWith(HelmWorker.class.getName(), "1234");
    // a diagnostic flag needs its unlock first
    assertThat(command.indexOf("-XX:+UnlockDiagnosticVMOptions"))
        .isNotNegative()
        .isLessThan(command.indexOf("-XX:ArchiveRelocationMode=0"));
  }

  @Test
  void thePrivateHomeIsANewOwnerOnlyDirectoryEachTime() throws IOException {
    Path a = HelmProcess.newPrivateDirectory(tmp);
    Path b = HelmProcess.newPrivateDirectory(tmp);

    assertThat(a).isDirectory().hasParent(tmp).isNotEqualTo(b);
    assertThat(a.getFileName().toString())
        .startsWith("glidepath-helm-" + ProcessHandle.current().pid() + "-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a)))
        .isEqualTo("rwx------");
  }

  @Test
  void aStoppedNullApiServerRefusesConnections() throws IOException, InterruptedException {
    NullApiServer api = NullApiServer.start();
    URI uri = URI.create(api.url());
    try (Socket probe = new Socket(uri.getHost(), uri.getPort())) {
      assertThat(probe.isConnected()).isTrue();
    }

    api.stop();

    // the JDK closes a listening socket whose accept() is blocked in another thread only once that
    // thread wakes up, so on a busy machine a connection made at once can still be queued: the
    // port must refuse connections soon after, not in the same instant
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean refused = false;
    while (!refused && System.nanoTime() < deadline) {
      try (Socket late = new Socket(uri.getHost(), uri.getPort())) {
        Thread.sleep(10);
      } catch (ConnectException e) {
        refused = true;
      }
    }
    assertThat(refused).as("connections to %s refused after stop()", uri).isTrue();
  }
}

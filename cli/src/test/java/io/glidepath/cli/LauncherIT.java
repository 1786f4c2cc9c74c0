package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.glidepath.helm.internal.WorkerJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/glidepath} as users run it: the jar found beside it (through a symlink too), the
 * class-data archive used only when it is whole and made by this JVM, the short-command flags only
 * for short commands, and the command's exit code.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LAUNCHER = ROOT.resolve("bin/glidepath");
  private static final Path JAR = ROOT.resolve("cli/target/glidepath-cli.jar");
  private static final Path ARCHIVE = ROOT.resolve("cli/target/" + ClassDataArchive.ARCHIVE);
  private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

  @TempDir Path tmp;

  record Run(int code, String out) {}

  @AfterEach
  void removeLinks() throws IOException {
    // links are ours to remove (JUnit warns about links leading out of its temporary directory)
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path f : files.filter(Files::isSymbolicLink).toList()) {
        Files.delete(f);
      }
    }
  }

  @BeforeAll
  static void theArchiveIsBuiltInCi() {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ARCHIVE).as("mvn package builds the class-data archive").isRegularFile();
    }
  }

  private Run run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return runWith(LAUNCHER, env, args);
  }

  private Run runWith(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "out-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().remove("GLIDEPATH_JAVA_OPTS");
    pb.environment().remove("GLIDEPATH_JAR");
    pb.environment().put("JAVA_HOME", JAVA_HOME.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** The JVM flags a run got, as the JVM prints them. */
  private String flags(Map<String, String> env, String... args) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.merge("GLIDEPATH_JAVA_OPTS", "-XX:+PrintCommandLineFlags", (a, b) -> a + " " + b);
    Run run = run(all, args);
    return run.out().lines().filter(l -> l.startsWith("-XX:")).findFirst().orElse("");
  }

  /** Whether the classes of a run came from the application's class-data archive. */
  private boolean usedTheArchive(Map<String, String> env, String... args) throws Exception {
    Path log = tmp.resolve("classes-" + System.nanoTime() + ".log");
    Map<String, String> all = new java.util.HashMap<>(env);
    all.merge("GLIDEPATH_JAVA_OPTS", "-Xlog:class+load:file=" + log, (a, b) -> a + " " + b);
    Run run = run(all, args);
    assertThat(run.code()).as(run.out()).isZero();
    try (Stream<String> lines = Files.lines(log)) {
      return lines.anyMatch(l -> l.contains("io.glidepath.cli.Main source: shared objects file"));
    }
  }

  @Test
  void runsTheJarWithTheCommandsExitCode() throws Exception {
    Run version = run(Map.of(), "--version");
    Run unknown = run(Map.of(), "frobnicate");

    assertThat(version.code()).isZero();
    assertThat(version.out()).isEqualTo("glidepath 0.1.0-SNAPSHOT\n");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.out()).contains("Unmatched argument at index 0: 'frobnicate'");
  }

  @Test
  void worksThroughASymlinkOnThePath() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("glidepath"), LAUNCHER);

    Run run = runWith(link, Map.of(), "--version");

    assertThat(run.code()).as(run.out()).isZero();
  }

  @Test
  void aMissingJarIsAnErrorSayingHowToBuildIt() throws Exception {
    Run run = run(Map.of("GLIDEPATH_JAR", tmp.resolve("none.jar").toString()), "--version");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).contains("none.jar not found: build it with 'mvn");
  }

  @Test
  void aKustomizeRenderLoadsNoHelmEngineKubernetesClientGitOrCel() throws Exception {
    Path inputs = ClassDataArchive.writeInputs(tmp.resolve("inputs"));
    Path log = tmp.resolve("classes.log");
    Run run =
        run(
            Map.of("GLIDEPATH_JAVA_OPTS", "-Xlog:class+load:file=" + log),
            "render",
            inputs.resolve("kustomize/overlays/production").toString(),
            "--repo-root",
            inputs.toString());
    assertThat(run.code()).as(run.out()).isZero();

    List<String> loaded;
    try (Stream<String> lines = Files.lines(log)) {
      loaded = lines.map(l -> l.split(" ")).filter(f -> f.length > 1).map(f -> f[1]).toList();
    }
    assertThat(loaded).contains("io.glidepath.kustomize.KustomizeRenderer");
    assertThat(loaded)
        .filteredOn(
            c ->
                c.startsWith("io.fabric8.")
                    || c.startsWith("org.eclipse.jgit.")
                    || c.startsWith("dev.cel.")
                    || c.startsWith("com.sun.jna.")
                    || c.startsWith("com.marcnuri.helm.")
                    || c.startsWith("io.vertx.")
                    || c.equals("io.glidepath.helm.internal.NativeHelm"))
        .isEmpty();
  }

  @Test
  void aRenderLoadsEveryClassFromTheArchiveAndNeverOpensTheJar() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    Path inputs = ClassDataArchive.writeInputs(tmp.resolve("inputs"));
    for (String app : List.of("kustomize/overlays/production", "chart")) {
      Path log = tmp.resolve("classes-" + app.replace('/', '-') + ".log");
      Run run =
          run(
              Map.of(
                  "GLIDEPATH_JAVA_OPTS",
                  "-Xlog:class+load:file=" + log + " -Dsun.misc.URLClassPath.debug=true"),
              "render",
              inputs.resolve(app).toString(),
              "--repo-root",
              inputs.toString());
      assertThat(run.code()).as(run.out()).isZero();

      // the class loader says "Opening file:...jar" when a lookup first reads the jar's index (its
      // tens of thousands of entries): a service file, a resource or a class the archive lacks
      assertThat(run.out().lines())
          .as("%s: what made the render open the jar", app)
          .noneMatch(l -> l.startsWith("Opening ") && l.endsWith("/" + JAR.getFileName()));

      // a class of the jar that the archive lacks costs a class read and verified; picocli's
      // Java 5 classes are left out of it once linked at dump time (a lambda implementing one)
      try (Stream<String> lines = Files.lines(log)) {
        assertThat(lines.filter(l -> l.contains("source: file:")))
            .as("classes %s loaded from the jar, not the archive", app)
            .isEmpty();
      }
    }
  }

  @Test
  void aChartRenderStartsNoSecureRandomAndNoRecordMethodBootstrap() throws Exception {
    Path inputs = ClassDataArchive.writeInputs(tmp.resolve("inputs"));
    Path log = tmp.resolve("classes-chart.log");
    Run run =
        run(
            Map.of("GLIDEPATH_JAVA_OPTS", "-Xlog:class+load:file=" + log),
            "render",
            inputs.resolve("chart").toString(),
            "--repo-root",
            inputs.toString());
    assertThat(run.code()).as(run.out()).isZero();

    List<String> loaded;
    try (Stream<String> lines = Files.lines(log)) {
      loaded = lines.map(l -> l.split(" ")).filter(f -> f.length > 1).map(f -> f[1]).toList();
    }
    assertThat(loaded).contains("io.glidepath.helm.internal.RenderCopy");
    // the chart's copy and the values file are named without a SecureRandom (whose start reads
    // the security providers), and no record's equals or hashCode is bootstrapped (which spins
    // method-handle classes no archive holds)
    assertThat(loaded)
        .doesNotContain(
            "java.security.SecureRandom",
            "sun.security.provider.NativePRNG",
            "java.lang.runtime.ObjectMethods");
  }

  @Test
  void helpPrintsTheUsageBuiltBesideTheJarWithoutBuildingTheCommandModel() throws Exception {
    Path plain = ROOT.resolve("cli/target/glidepath-cli-usage.txt");
    assertThat(plain).as("mvn package writes the usage beside the jar").isRegularFile();
    Path log = tmp.resolve("help-classes.log");

    Run stored = run(Map.of("GLIDEPATH_JAVA_OPTS", "-Xlog:class+load:file=" + log), "--help");
    Run picocli = run(Map.of("GLIDEPATH_JAVA_OPTS", "-Dpicocli.ansi=false"), "--help");
    Run none = run(Map.of());

    assertThat(stored.code()).isZero();
    assertThat(stored.out())
        .isEqualTo(picocli.out())
        .isEqualTo(Files.readString(plain, StandardCharsets.UTF_8));
    assertThat(none).isEqualTo(new Run(2, stored.out()));
    String classes = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(classes)
        .contains("io.glidepath.cli.UsageText ")
        .doesNotContain("picocli.CommandLine$Model$CommandSpec ")
        .doesNotContain("io.glidepath.cli.Subcommands$StandIn ");
  }

  @Test
  void helpOpensNoJarWhenItsClassesComeFromTheArchive() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    Path log = tmp.resolve("help-classes.log");

    Run run = run(Map.of("GLIDEPATH_JAVA_OPTS", "-Xlog:class+load:file=" + log), "--help");

    assertThat(run.code()).isZero();
    // the jar has tens of thousands of entries: opening it is a good part of a short run
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .contains("io.glidepath.cli.UsageText source: shared objects file")
        .doesNotContain("java.util.zip.ZipFile$Source ");
  }

  @Test
  void theHelmRenderProcessGetsItsArchive() throws Exception {
    Path helmArchive = ROOT.resolve("cli/target/" + ClassDataArchive.Training.HELM.archive());
    assumeTrue(Files.isRegularFile(helmArchive), "no archive: built with -Dglidepath.cds.skip");

    Run run = run(Map.of("GLIDEPATH_JAVA_OPTS", "-XshowSettings:properties"), "render", "--help");

    assertThat(run.out()).contains("glidepath.helm.workerArchive = " + helmArchive);
    Path workerJar = ROOT.resolve("cli/target/" + WorkerJar.FILE_NAME);
    assertThat(run.out()).contains("glidepath.helm.workerJar = " + workerJar);
    // and the archive holds that process's classes, for this jar
    Path log = tmp.resolve("worker-classes.log");
    Process worker =
        new ProcessBuilder(
                JAVA_HOME.resolve("bin/java").toString(),
                "-XX:SharedArchiveFile=" + helmArchive,
                "-Xshare:on",
                "-Xlog:class+load:file=" + log,
                "-cp",
                workerJar.toRealPath().toString(),
                "io.glidepath.helm.internal.HelmWorker",
                "1000")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("worker.out").toFile())
            .start();
    worker.getOutputStream().close(); // no request: it loads the library and ends
    assertThat(worker.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue())
        .as(Files.readString(tmp.resolve("worker.out"), StandardCharsets.UTF_8))
        .isZero();
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .contains("io.glidepath.helm.internal.HelmWorker source: shared objects file")
        .contains("com.sun.jna.Native source: shared objects file")
        // on its own jar: the command line's jar, tens of thousands of entries, is never opened
        .doesNotContain("glidepath-cli.jar");
  }

  @Test
  void syncUsesTheSyncArchive() throws Exception {
    Path syncArchive = ROOT.resolve("cli/target/" + ClassDataArchive.Training.SYNC.archive());
    assumeTrue(Files.isRegularFile(syncArchive), "no archive: built with -Dglidepath.cds.skip");

    assertThat(flags(Map.of(), "sync", "--help")).contains("-XX:SharedArchiveFile=" + syncArchive);
    assertThat(flags(Map.of(), "render", "--help")).contains("-XX:SharedArchiveFile=" + ARCHIVE);
    assertThat(usedTheArchive(Map.of(), "sync", "--help")).isTrue();
  }

  @Test
  void usesTheArchiveMadeForThisJvmAndJar() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");

    assertThat(flags(Map.of(), "--version")).contains("-XX:SharedArchiveFile=" + ARCHIVE);
    assertThat(usedTheArchive(Map.of(), "--version")).isTrue();
  }

  /**
   * A jar (a link to the real one, or a copy a day older, which the JVM tells apart from the jar
   * the archive was made for), the real archive or a truncated one, and an id.
   */
  private Map<String, String> installation(boolean copy, boolean truncated, String id)
      throws IOException {
    Path jar = tmp.resolve("glidepath-cli.jar");
    if (copy) {
      Files.copy(JAR, jar);
      Files.setLastModifiedTime(
          jar,
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000));
    } else {
      Files.createSymbolicLink(jar, JAR);
    }
    Path archive = tmp.resolve(ClassDataArchive.ARCHIVE);
    byte[] bytes = Files.readAllBytes(ARCHIVE);
    Files.write(archive, truncated ? java.util.Arrays.copyOf(bytes, 4096) : bytes);
    Files.writeString(tmp.resolve(ClassDataArchive.ID), id);
    return Map.of("GLIDEPATH_JAR", jar.toString());
  }

  private String thisJvmsId() throws IOException {
    return Files.readString(ROOT.resolve("cli/target/" + ClassDataArchive.ID));
  }

  @Test
  void aTruncatedArchiveIsNotHandedToTheJvm() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    Map<String, String> env = installation(false, true, thisJvmsId());

    assertThat(flags(env, "--version")).doesNotContain("SharedArchiveFile");
    assertThat(run(env, "--version")).isEqualTo(new Run(0, "glidepath 0.1.0-SNAPSHOT\n"));
  }

  @Test
  void anArchiveMadeByAnotherJavaIsNotHandedToTheJvm() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    long size = Files.size(ARCHIVE);
    Map<String, String> env = installation(false, false, size + " /opt/some-other-jdk/bin/java\n");

    assertThat(flags(env, "--version")).doesNotContain("SharedArchiveFile");
  }

  @Test
  void theArchiveIsUsedThroughALinkToTheJar() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    Map<String, String> env = installation(false, false, thisJvmsId());

    assertThat(usedTheArchive(env, "--version")).isTrue();
  }

  @Test
  void anArchiveTheJvmRefusesIsIgnoredWithoutAWord() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    Map<String, String> env = installation(true, false, thisJvmsId());

    assertThat(flags(env, "--version")).contains("SharedArchiveFile");
    assertThat(run(env, "--version")).isEqualTo(new Run(0, "glidepath 0.1.0-SNAPSHOT\n"));
    assertThat(usedTheArchive(env, "--version")).isFalse();
  }

  @Test
  void anotherJvmRunsWithoutTheArchiveAndWithoutAWord() throws Exception {
    Path other = otherJdk();
    assumeTrue(other != null, "no second JDK in /usr/lib/jvm");

    Run run = run(Map.of("JAVA_HOME", other.toString()), "--version");

    assertThat(run).isEqualTo(new Run(0, "glidepath 0.1.0-SNAPSHOT\n"));
  }

  private static Path otherJdk() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    Path mine = JAVA_HOME.toRealPath();
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(
              h -> {
                try {
                  return !h.toRealPath().equals(mine);
                } catch (IOException e) {
                  return false;
                }
              })
          .findFirst()
          .orElse(null);
    }
  }

  @Test
  void shortCommandsGetTheStartUpFlagsAndLongOnesDoNot() throws Exception {
    assertThat(flags(Map.of(), "--verbose", "render", "--help"))
        .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ArchiveRelocationMode=0");
    assertThat(flags(Map.of(), "--help")).contains("-XX:TieredStopAtLevel=1");
    assertThat(flags(Map.of(), "demo", "--help"))
        .doesNotContain("TieredStopAtLevel")
        .doesNotContain("ArchiveRelocationMode")
        .doesNotContain("UseSerialGC");
    assertThat(flags(Map.of(), "sync", "--help"))
        .contains("-XX:TieredStopAtLevel=1")
        .doesNotContain("Tier3InvocationThreshold");
    assertThat(flags(Map.of(), "health", "--help")).contains("-XX:TieredStopAtLevel=1");
    assertThat(flags(Map.of(), "analyze", "--help")).doesNotContain("TieredStopAtLevel");
    assertThat(flags(Map.of(), "render", "--help")).contains("-XX:Tier3InvocationThreshold=2000");
    assertThat(flags(Map.of(), "demo", "--help")).doesNotContain("Tier3InvocationThreshold");
  }

  @Test
  void shortCommandsNeverInflateReflectiveCallsAndLongOnesDo() throws Exception {
    Map<String, String> env = Map.of("GLIDEPATH_JAVA_OPTS", "-XshowSettings:properties");
    String inflation = "sun.reflect.inflationThreshold = 100000";
    assertThat(run(env, "render", "--help").out()).contains(inflation);
    assertThat(run(env, "validate", "--help").out()).contains(inflation);
    assertThat(run(env, "sync", "--help").out()).doesNotContain("inflationThreshold");
    assertThat(run(env, "demo", "--help").out()).doesNotContain("inflationThreshold");
  }

  @Test
  void theArchiveIsUsedWhenJavaIsALinkToTheJavaThatMadeIt() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "no archive: built with -Dglidepath.cds.skip");
    Path home = tmp.resolve("linked-jdk");
    Files.createDirectories(home.resolve("bin"));
    Path java = home.resolve("bin/java");
    Files.createSymbolicLink(java, JAVA_HOME.resolve("bin/java").toRealPath());
    try {
      assertThat(usedTheArchive(Map.of("JAVA_HOME", home.toString()), "--version")).isTrue();
    } finally {
      Files.delete(java);
    }
  }

  @Test
  void theHelmProcessArchiveIsNamedOnlyWhenWhole() throws Exception {
    Path helmArchive = ROOT.resolve("cli/target/" + ClassDataArchive.Training.HELM.archive());
    assumeTrue(Files.isRegularFile(helmArchive), "no archive: built with -Dglidepath.cds.skip");
    Map<String, String> env = new java.util.HashMap<>(installation(false, false, thisJvmsId()));
    Path workerJar = tmp.resolve(WorkerJar.FILE_NAME);
    Files.copy(ROOT.resolve("cli/target/" + WorkerJar.FILE_NAME), workerJar);
    Path archive = tmp.resolve(ClassDataArchive.Training.HELM.archive());
    byte[] bytes = Files.readAllBytes(helmArchive);
    Files.write(archive, java.util.Arrays.copyOf(bytes, 4096));
    Files.writeString(
        tmp.resolve(ClassDataArchive.Training.HELM.id()),
        Files.readString(ROOT.resolve("cli/target/" + ClassDataArchive.Training.HELM.id())));
    env.put("GLIDEPATH_JAVA_OPTS", "-XshowSettings:properties");

    String torn = run(env, "render", "--help").out();
    Files.write(archive, bytes);
    String whole = run(env, "render", "--help").out();

    assertThat(torn)
        .contains("glidepath.helm.workerJar = " + workerJar)
        .doesNotContain("glidepath.helm.workerArchive");
    assertThat(whole).contains("glidepath.helm.workerArchive = " + archive);
    // the command line's own archive either way
    assertThat(flags(env, "render", "--help"))
        .contains("-XX:SharedArchiveFile=" + tmp.resolve(ClassDataArchive.ARCHIVE));
  }

  @Test
  void theStoredUsageAloneRunsInterpretedAndWithoutPerformanceData() throws Exception {
    // -Xint shows as tiered compilation off
    assertThat(flags(Map.of(), "--help")).contains("-XX:-UsePerfData", "-XX:-TieredCompilation");
    assertThat(flags(Map.of(), "-h")).contains("-XX:-UsePerfData", "-XX:-TieredCompilation");
    // anything more builds picocli's model or runs a command: compiled as before
    assertThat(flags(Map.of(), "--version")).doesNotContain("UsePerfData", "TieredCompilation");
    assertThat(flags(Map.of(), "render", "--help"))
        .doesNotContain("UsePerfData", "TieredCompilation");
    assertThat(run(Map.of(), "--help").out()).startsWith("Usage: glidepath");
  }

  @Test
  void aCollectorChosenInGlidepathJavaOptsReplacesTheSerialOne() throws Exception {
    Map<String, String> g1 = Map.of("GLIDEPATH_JAVA_OPTS", "-XX:+UseG1GC");

    assertThat(run(g1, "render", "--help").code()).isZero();
    assertThat(flags(g1, "render", "--help"))
        .contains("-XX:+UseG1GC", "-XX:TieredStopAtLevel=1")
        .doesNotContain("UseSerialGC");
  }

  @Test
  void glidepathJavaOptsComeLastAndWin() throws Exception {
    String flags =
        flags(
            Map.of("GLIDEPATH_JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Xmx300m"), "render", "--help");

    assertThat(flags).doesNotContain("TieredStopAtLevel=1").contains("-XX:MaxHeapSize=314572800");
  }
}

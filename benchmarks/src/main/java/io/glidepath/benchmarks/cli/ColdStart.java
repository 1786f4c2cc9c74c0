package io.glidepath.benchmarks.cli;

import io.glidepath.benchmarks.ExtraResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it, whole processes side by side: {@code bin/glidepath render} of
 * the example's Kustomize overlay against {@code kubectl kustomize} of the same overlay, {@code
 * bin/glidepath render} of the trade-service chart with its production values, and {@code
 * bin/glidepath --help}; each also as {@code java -jar glidepath-cli.jar} (no launcher: no
 * class-data archive, no start-up flags), for comparison; and the Helm render process alone, as a
 * render starts it (its archive and flags), loading the Helm engine and ending at once: what a Helm
 * render pays on top of a render done in one process.
 *
 * <p>The commands of a group run in turn (A B A B ...) after one warm-up run each, so that a
 * machine whose speed drifts slows all of them alike; each figure is the median of the counted
 * runs: wall seconds, and CPU seconds (user + system, from {@code /usr/bin/time} when the machine
 * has it). Standard output is discarded; a run that does not exit 0 stops the measurement.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.cli.ColdStart \
 *     [repository root] [runs] [result.json]
 * }</pre>
 *
 * <p>Needs {@code cli/target/glidepath-cli.jar} (and its archive) built, and kubectl on the PATH.
 */
public final class ColdStart {
  private static final Path TIME = Path.of("/usr/bin/time");

  /** A command measured as a whole process, named by its result entry. */
  record Command(String name, List<String> argv) {}

  /** Medians of one command's counted runs, in seconds; CPU is NaN without /usr/bin/time. */
  record Figures(Command command, double wall, double cpu, double minWall, double maxWall) {}

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    Path out = args.length > 2 ? Path.of(args[2]) : null;
    String launcher = root.resolve("bin/glidepath").toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = root.resolve("cli/target/glidepath-cli.jar").toString();
    String realJar = Path.of(jar).toRealPath().toString();
    String workerArchive = root.resolve("cli/target/glidepath-helm-worker.jsa").toString();
    // the Helm process's class path as bin/glidepath names it: its own jar when built
    Path ownJar = root.resolve("cli/target/glidepath-helm-worker.jar");
    String workerJar = Files.isRegularFile(ownJar) ? ownJar.toRealPath().toString() : realJar;
    Path apps = root.resolve("examples/gitops-configs/apps");
    String overlay = apps.resolve("trade-service-kustomize/overlays/production").toString();
    String chart = apps.resolve("trade-service").toString();
    List<String> helmArgs =
        List.of("render", chart, "-f", "values.yaml", "-f", "values-production.yaml");

    List<List<Command>> groups =
        List.of(
            List.of(
                new Command("glidepathKustomizeRender", List.of(launcher, "render", overlay)),
                new Command("kubectlKustomize", List.of("kubectl", "kustomize", overlay)),
                new Command(
                    "plainJarKustomizeRender", List.of(java, "-jar", jar, "render", overlay))),
            List.of(
                new Command("glidepathHelmRender", concat(List.of(launcher), helmArgs)),
                new Command("plainJarHelmRender", concat(List.of(java, "-jar", jar), helmArgs)),
                // the floor of the render's second process: the Helm render process alone, as
                // the render starts it (its archive, its flags), loading the Helm engine and
                // ending at once (no request)
                new Command(
                    "helmWorkerStart",
                    List.of(
                        java,
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:Tier3InvocationThreshold=2000",
                        "-XX:Tier3MinInvocationThreshold=1000",
                        "-XX:Tier3CompileThreshold=20000",
                        "-XX:-UsePerfData",
                        "-XX:+IgnoreUnrecognizedVMOptions",
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:ArchiveRelocationMode=0",
                        "-XX:SharedArchiveFile=" + workerArchive,
                        "-Xlog:cds=off",
                        "-Dcom.marcnuri.jkube-helm.skipRemoteJar=true",
                        "-cp",
                        workerJar,
                        "io.glidepath.helm.internal.HelmWorker",
                        "10485760"))),
            List.of(
                new Command("glidepathHelp", List.of(launcher, "--help")),
                new Command("plainJarHelp", List.of(java, "-jar", jar, "--help"))));

    System.out.printf(
        Locale.ROOT,
        "%d runs of each command after one warm-up, in turn; medians (min-max wall); load %s%n",
        runs,
        loadAverage());
    List<ExtraResult> results = new ArrayList<>();
    for (List<Command> group : groups) {
      for (Figures f : measure(group, runs, root)) {
        System.out.printf(
            Locale.ROOT,
            "%-26s wall %.3f s (%.3f-%.3f)  cpu %.3f s%n",
            f.command().name(),
            f.wall(),
            f.minWall(),
            f.maxWall(),
            f.cpu());
        String name = ColdStart.class.getName() + "." + f.command().name();
        results.add(new ExtraResult(name, f.wall(), "s", true));
        if (!Double.isNaN(f.cpu())) {
          results.add(new ExtraResult(name + "Cpu", f.cpu(), "s", true));
        }
      }
    }
    System.out.printf(Locale.ROOT, "load afterwards %s%n", loadAverage());
    if (out != null) {
      ExtraResult.write(out, results);
    }
  }

  /** Runs the commands in turn, one warm-up each, then {@code runs} counted rounds. */
  static List<Figures> measure(List<Command> commands, int runs, Path dir)
      throws IOException, InterruptedException {
    int n = commands.size();
    double[][] wall = new double[n][runs];
    double[][] cpu = new double[n][runs];
    for (int round = -1; round < runs; round++) {
      for (int i = 0; i < n; i++) {
        double[] figures = runOnce(commands.get(i), dir);
        if (round >= 0) {
          wall[i][round] = figures[0];
          cpu[i][round] = figures[1];
        }
      }
    }
    List<Figures> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] w = wall[i].clone();
      Arrays.sort(w);
      out.add(new Figures(commands.get(i), median(wall[i]), median(cpu[i]), w[0], w[runs - 1]));
    }
    return out;
  }

  /** One run: wall seconds and CPU seconds (NaN without /usr/bin/time). */
  private static double[] runOnce(Command command, Path dir)
      throws IOException, InterruptedException {
    boolean timed = Files.isExecutable(TIME);
    Path times = Files.createTempFile("glidepath-coldstart-", ".time");
    Path err = Files.createTempFile("glidepath-coldstart-", ".err");
    try {
      List<String> argv = new ArrayList<>();
      if (timed) {
        argv.addAll(List.of(TIME.toString(), "-o", times.toString(), "-f", "%U %S"));
      }
      argv.addAll(command.argv());
      ProcessBuilder pb =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      long start = System.nanoTime();
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.name() + " took more than 120 s");
      }
      double wall = (System.nanoTime() - start) / 1e9;
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            command.name()
                + " exited "
                + p.exitValue()
                + ": "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      double cpu = Double.NaN;
      if (timed) {
        String[] f = Files.readString(times, StandardCharsets.UTF_8).strip().split("\\s+");
        String[] last = Arrays.copyOfRange(f, f.length - 2, f.length);
        cpu = Double.parseDouble(last[0]) + Double.parseDouble(last[1]);
      }
      return new double[] {wall, cpu};
    } finally {
      Files.deleteIfExists(times);
      Files.deleteIfExists(err);
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}

package io.glidepath.helm.internal;

import com.marcnuri.helm.Helm;
import io.glidepath.core.render.RenderException;
import io.glidepath.core.render.RenderLimitException;
import io.glidepath.core.render.RenderLimitException.Limit;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code helm template} in a separate process ({@link HelmWorker}) that Glidepath controls,
 * one render at a time, and bounds each render's time, output and memory.
 *
 * <p>Why a process: the embedded Helm engine reads its cluster credentials from the process
 * environment ({@code KUBECONFIG}, {@code ~/.kube/config}) and connects to that cluster when a
 * template calls {@code lookup}; in a process of its own its environment names only {@link
 * NullApiServer}. A render that runs away (a template that builds a gigabyte string) cannot be
 * interrupted inside a native library, but its process can be ended.
 *
 * <p>The process is started on the first render, or earlier by {@link #prestart} so that its start
 * runs alongside the caller's own work, and kept for the next renders (the native library takes
 * most of a first render to load); a render that passes a bound ends it, and the next render starts
 * a new one. Thread-safe: renders run one at a time.
 *
 * <p>The process is a JVM with flags for a short start (C1 only, serial collector, 256 MB heap, no
 * performance-data file, class-data archives mapped at the address they were made for); when the
 * system property {@value #ARCHIVE_PROPERTY} names a class-data archive made for it ({@code
 * bin/glidepath} passes the one built with the command line), it maps its classes from that
 * archive. The JVM ignores an archive made for another JVM or class path. When the system property
 * {@value WorkerJar#PROPERTY} names the process's own small jar ({@link WorkerJar}; {@code
 * bin/glidepath} passes the one built with the command line), that jar is its whole class path.
 */
public final class HelmProcess {
  private static final HelmProcess SHARED = new HelmProcess();
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int STDERR_TAIL = 4096;

  /** The system property naming the class-data archive of the Helm process, if any. */
  public static final String ARCHIVE_PROPERTY = "glidepath.helm.workerArchive";

  /** The bounds of one render. */
  public record Limits(Duration timeout, long maxOutputBytes, long maxMemoryBytes) {}

  /** What one render asks of Helm. */
  public record Request(
      Path chart,
      Path valuesFile,
      String releaseName,
      String namespace,
      Optional<String> kubeVersion,
      boolean skipCrds) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "glidepath-helm-reader");
            t.setDaemon(true);
            return t;
          });
  private Path home;
  private volatile NullApiServer nullApi;
  private volatile Worker worker;

  private HelmProcess() {}

  public static HelmProcess shared() {
    return SHARED;
  }

  /**
   * The logger, made on first use: the logging back end's start (a service lookup over the class
   * path) would otherwise delay the start of the Helm process, which is the longer part of a
   * render.
   */
  private static Logger log() {
    return Log.LOG;
  }

  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(HelmProcess.class);
  }

  /**
   * Helm refused the chart: {@link #helmMessage()} is Helm's own text, for the caller to explain.
   */
  public static final class HelmFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelmFailedException(String helmMessage) {
      super(helmMessage);
    }

    public String helmMessage() {
      return getMessage();
    }
  }

  /**
   * Starts the Helm process for renders within {@code limits} in the background unless one is
   * running, and returns at once: the process starts and loads the native library while the caller
   * goes on (reads the chart, merges the values), and the next {@link #template} uses it. A process
   * that fails to start is reported by that {@link #template}, which tries again.
   */
  public void prestart(Limits limits) {
    if (!lock.tryLock()) {
      return; // a render or a start is under way
    }
    try {
      if (worker != null && worker.process.isAlive()) {
        return;
      }
    } finally {
      lock.unlock();
    }
    Thread starter =
        new Thread(
            () -> {
              lock.lock();
              try {
                worker(limits);
              } catch (RuntimeException e) {
                log().debug("the Helm process did not start ahead of the render", e);
              } finally {
                lock.unlock();
              }
            },
            "glidepath-helm-start");
    starter.setDaemon(true);
    starter.start();
  }

  /**
   * The manifests {@code helm template} renders for the request.
   *
   * @param app the chart's path in the repository, for the exceptions' file field
   * @param name how messages name the chart
   * @throws RenderLimitException when the render passes one of {@code limits}
   * @throws HelmFailedException when Helm refuses the chart
   * @throws RenderException when the Helm process fails; the message names the chart
   */
  public String template(Request request, Limits limits, String app, String name) {
    lock.lock();
    try {
      Worker w = worker(limits);
      try {
        w.send(request);
      } catch (IOException e) {
        stop();
        throw new RenderException(
            "helm template failed for " + name + ": the Helm process did not take the request",
            app,
            e);
      }
      Answer answer = await(w, limits, app, name);
      if (answer.status().equals("ok")) {
        return answer.text();
      }
      if (answer.status().equals("too-large")) {
        throw outputLimit(app, name, limits, answer.length());
      }
      if (answer.text().equals(HelmWorker.OUT_OF_MEMORY)) {
        stop();
        throw memoryLimit(app, name, limits);
      }
      throw new HelmFailedException(answer.text());
    } finally {
      lock.unlock();
    }
  }

  private Answer await(Worker w, Limits limits, String app, String name) {
    Future<Answer> pending = readers.submit(() -> w.read(limits.maxOutputBytes()));
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    while (true) {
      try {
        Answer answer = pending.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (answer.status().equals("ok") && answer.length() > limits.maxOutputBytes()) {
          throw outputLimit(app, name, limits, answer.length());
        }
        return answer;
      } catch (TimeoutException e) {
        if (System.nanoTime() - deadline >= 0) {
          stop();
          throw new RenderLimitException(
              app,
              Limit.TIME,
              "helm template of chart "
                  + name
                  + " did not finish within "
                  + describe(limits.timeout())
                  + "; it was stopped");
        }
        long rss = w.residentBytes();
        if (rss > limits.maxMemoryBytes()) {
          stop();
          throw memoryLimit(app, name, limits);
        }
      } catch (ExecutionException e) {
        String tail = w.stderrTail();
        stop();
        Throwable cause = e.getCause();
        if (cause instanceof OutputTooLarge big) {
          throw outputLimit(app, name, limits, big.length);
        }
        throw new RenderException(
            "helm template failed for "
                + name
                + ": the Helm process ended unexpectedly"
                + (tail.isBlank() ? "" : ": " + tail.strip()),
            app,
            cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new RenderException("helm template of " + name + " was interrupted", app, e);
      }
    }
  }

  private static RenderLimitException outputLimit(
      String app, String name, Limits limits, long length) {
    return new RenderLimitException(
        app,
        Limit.OUTPUT,
        "helm template of chart "
            + name
            + " produced "
            + length
            + " bytes, more than the limit of "
            + limits.maxOutputBytes());
  }

  private static RenderLimitException memoryLimit(String app, String name, Limits limits) {
    return new RenderLimitException(
        app,
        Limit.MEMORY,
        "helm template of chart "
            + name
            + " used more than "
            + limits.maxMemoryBytes() / (1024 * 1024)
            + " MiB of memory; it was stopped");
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Ends the Helm process, if any; the next render starts a new one. */
  public void stop() {
    lock.lock();
    try {
      if (worker != null) {
        worker.kill();
        worker = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * At exit: end the process without waiting for a render in progress, and the API server it could
   * reach. Both matter to how fast the JVM exits: it waits up to 300 ms for any thread still in a
   * native call (the server's selector, a read of the process's output) before it ends.
   */
  private void stopQuietly() {
    Worker w = worker;
    if (w != null) {
      w.process.destroyForcibly();
    }
    NullApiServer api = nullApi;
    if (api != null) {
      api.stop();
    }
    if (w != null) {
      try {
        w.process.waitFor(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Worker worker(Limits limits) {
    if (worker != null && worker.process.isAlive() && worker.maxOutput == limits.maxOutputBytes()) {
      return worker;
    }
    stop();
    try {
      if (home == null) {
        home = privateHome();
        // until the null API below listens, the kubeconfig names an address where nothing does
        writeKubeconfig(home, UNREACHABLE);
      }
      // the process first, since its start is the longer part of a render; the API it may reach
      // and the kubeconfig naming it before this returns, so before any request is sent (the
      // process reads its kubeconfig when a template calls lookup)
      worker = Worker.start(home, limits.maxOutputBytes());
      if (nullApi == null) {
        NullApiServer api = NullApiServer.start();
        nullApi = api;
        writeKubeconfig(home, api.url());
      }
      return worker;
    } catch (IOException e) {
      stop(); // a process without its API server and kubeconfig is never used
      throw new RenderException("cannot start the Helm process: " + e.getMessage(), null, e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  private static Path privateHome() throws IOException {
    Path dir = newPrivateDirectory(Path.of(System.getProperty("java.io.tmpdir")));
    for (String sub : List.of("cache", "config", "data")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  SHARED.stopQuietly();
                  deleteTree(dir);
                },
                "glidepath-helm-cleanup"));
    return dir;
  }

  /**
   * A new directory {@code glidepath-helm-*} in {@code parent}, owner-only ({@link PrivateFiles}).
   */
  static Path newPrivateDirectory(Path parent) throws IOException {
    return PrivateFiles.newDirectory(parent, "glidepath-helm-");
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort at exit
                }
              });
    } catch (IOException ignored) {
      // best effort at exit
    }
  }

  /** An API server address nothing listens on: connections to port 1 of the loopback fail. */
  static final String UNREACHABLE = "http://127.0.0.1:1";

  /** Writes the kubeconfig of the Helm process naming {@code server}, replacing it whole. */
  private static void writeKubeconfig(Path home, String server) throws IOException {
    Path partial = home.resolve("kubeconfig.partial");
    Files.writeString(partial, kubeconfig(server));
    Files.move(partial, home.resolve("kubeconfig"), StandardCopyOption.REPLACE_EXISTING);
  }

  static String kubeconfig(String server) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: glidepath-offline\n"
        + "  cluster:\n"
        + "    server: "
        + server
        + "\n"
        + "contexts:\n"
        + "- name: glidepath-offline\n"
        + "  context:\n"
        + "    cluster: glidepath-offline\n"
        + "    user: glidepath-offline\n"
        + "current-context: glidepath-offline\n"
        + "users:\n"
        + "- name: glidepath-offline\n"
        + "  user: {}\n";
  }

  /** An answer of the worker. */
  record Answer(String status, long length, String text) {}

  private static final class OutputTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final long length;

    OutputTooLarge(long length) {
      super("output of " + length + " bytes");
      this.length = length;
    }
  }

  /** One running worker process. */
  private static final class Worker {
    final Process process;
    final long maxOutput;
    final OutputStream in;
    final InputStream out;
    final byte[] tail = new byte[STDERR_TAIL];
    int tailLength;

    private Worker(Process process, long maxOutput) {
      this.process = process;
      this.maxOutput = maxOutput;
      this.in = process.getOutputStream();
      this.out = new BufferedInputStream(process.getInputStream());
      Thread drain = new Thread(this::drainStderr, "glidepath-helm-stderr");
      drain.setDaemon(true);
      drain.start();
    }

    static Worker start(Path home, long maxOutput) throws IOException {
      List<String> command = command(maxOutput);
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      // only what Glidepath chose: no cluster credentials, proxies or Helm settings of the host
      env.clear();
      env.putAll(environment(home));
      builder.directory(home.toFile());
      return new Worker(builder.start(), maxOutput);
    }

    void send(Request r) throws IOException {
      in.write(encode(r));
      in.flush();
    }

    Answer read(long maxOutput) throws IOException {
      String header;
      do {
        header = readLine();
        if (header == null) {
          throw new IOException("the Helm process ended");
        }
      } while (!header.startsWith(HelmWorker.HEADER));
      String[] parts = header.substring(HelmWorker.HEADER.length()).split(" ");
      String status = parts[0];
      long length = Long.parseLong(parts[1]);
      if (status.equals("too-large")) {
        return new Answer(status, length, "");
      }
      if (length > maxOutput && status.equals("ok")) {
        throw new OutputTooLarge(length);
      }
      byte[] body = out.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8));
      if (body.length < length) {
        throw new IOException("the Helm process ended in the middle of its answer");
      }
      return new Answer(status, length, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = out.read()) != -1 && b != '\n') {
        if (line.size() < 64 * 1024) {
          line.write(b);
        }
      }
      return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** The process's resident memory, from {@code /proc}; 0 where that is not available. */
    long residentBytes() {
      Path status = Path.of("/proc", Long.toString(process.pid()), "status");
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            String kb = line.substring("VmRSS:".length()).replace("kB", "").strip();
            return Long.parseLong(kb) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // no /proc (not Linux), or the process just ended: only time and output are bounded
      }
      return 0;
    }

    private void drainStderr() {
      byte[] buffer = new byte[8192];
      try (InputStream err = process.getErrorStream()) {
        int n;
        while ((n = err.read(buffer)) != -1) {
          synchronized (tail) {
            if (n >= tail.length) {
              System.arraycopy(buffer, n - tail.length, tail, 0, tail.length);
              tailLength = tail.length;
            } else {
              int keep = Math.min(tailLength, tail.length - n);
              System.arraycopy(tail, tailLength - keep, tail, 0, keep);
              System.arraycopy(buffer, 0, tail, keep, n);
              tailLength = keep + n;
            }
          }
          if (log().isDebugEnabled()) {
            log().debug("helm: {}", new String(buffer, 0, n, StandardCharsets.UTF_8).strip());
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }

    String stderrTail() {
      synchronized (tail) {
        String text = new String(tail, 0, tailLength, StandardCharsets.UTF_8);
        int last = text.lastIndexOf('\n', text.length() - 2);
        return last < 0 ? text : text.substring(last + 1);
      }
    }

    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The request as the Helm process reads it on its standard input ({@link HelmWorker}). */
  public static byte[] encode(Request r) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("chart", r.chart().toString());
    fields.put("values", r.valuesFile().toString());
    fields.put("name", r.releaseName());
    fields.put("namespace", r.namespace());
    r.kubeVersion().ifPresent(v -> fields.put("kubeVersion", v));
    fields.put("skipCrds", Boolean.toString(r.skipCrds()));
    StringBuilder text = new StringBuilder("render\n");
    fields.forEach(
        (k, v) ->
            text.append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('\n'));
    text.append("end\n");
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Compilation thresholds ten times the JVM's, for a short run (the Helm process, the command
   * line's one-shot commands in {@code bin/glidepath}): fewer methods compiled that would not have
   * run long enough to pay for their compilation.
   */
  static final List<String> LATE_COMPILATION =
      List.of(
          "-XX:Tier3InvocationThreshold=2000",
          "-XX:Tier3MinInvocationThreshold=1000",
          "-XX:Tier3CompileThreshold=20000");

  /** The command line of the Helm process. */
  static List<String> command(long maxOutput) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    // a method compiled after 2,000 calls rather than 200 (loops as soon as before): most of what
    // the process's start calls runs a few hundred times and is cheaper interpreted than compiled
    command.addAll(LATE_COMPILATION);
    // no hsperfdata file to create and delete (nobody attaches jstat to it)
    command.add("-XX:-UsePerfData");
    // class-data archives (the JDK's, this process's) mapped where they were made to be mapped,
    // not relocated to a random address at every start, as bin/glidepath does for short commands
    // (a diagnostic flag: a JVM without it ignores it rather than refusing to start)
    command.add("-XX:+IgnoreUnrecognizedVMOptions");
    command.add("-XX:+UnlockDiagnosticVMOptions");
    command.add("-XX:ArchiveRelocationMode=0");
    String archive = System.getProperty(ARCHIVE_PROPERTY);
    if (archive != null && !archive.isBlank() && Files.isRegularFile(Path.of(archive))) {
      command.add("-XX:SharedArchiveFile=" + archive);
      command.add("-Xlog:cds=off");
      command.add("-Xlog:cds+dynamic=off");
    }
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    // the parent found the native library on the class path; never download one
    command.add("-Dcom.marcnuri.jkube-helm.skipRemoteJar=true");
    // the native library is loaded from this process's cache, not copied out of its jar again
    command.add("-D" + LibraryCache.PROPERTY + "=" + LibraryCache.configured().asProperty());
    command.add("-cp");
    command.add(classPath());
    command.add(HelmWorker.class.getName());
    command.add(Long.toString(maxOutput));
    return command;
  }

  /** The whole environment of the Helm process. */
  static Map<String, String> environment(Path home) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("KUBECONFIG", home.resolve("kubeconfig").toString());
    env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
    env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
    env.put("HELM_DATA_HOME", home.resolve("data").toString());
    env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
    env.put("LANG", "C.UTF-8");
    return env;
  }

  /**
   * The class path of the worker: the worker's own jar when the system property {@value
   * WorkerJar#PROPERTY} names one that exists ({@code bin/glidepath} names the one built with the
   * command line), so the process never opens the command line's jar; else where this module,
   * helm-java, JNA and the native library were loaded from, then this JVM's own class and module
   * paths.
   */
  static String classPath() {
    String workerJar = System.getProperty(WorkerJar.PROPERTY);
    if (workerJar != null && !workerJar.isBlank() && Files.isRegularFile(Path.of(workerJar))) {
      return Path.of(workerJar).toAbsolutePath().toString();
    }
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type :
        List.of(
            HelmWorker.class,
            Helm.class,
            com.marcnuri.helm.jni.HelmLib.class,
            com.sun.jna.Native.class)) {
      location(type.getProtectionDomain().getCodeSource()).ifPresent(entries::add);
    }
    try {
      Enumeration<URL> services =
          Helm.class
              .getClassLoader()
              .getResources("META-INF/services/com.marcnuri.helm.jni.NativeLibrary");
      while (services.hasMoreElements()) {
        jarOf(services.nextElement()).ifPresent(entries::add);
      }
    } catch (IOException ignored) {
      // the class and module paths below still hold it
    }
    for (String property : List.of("java.class.path", "jdk.module.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank()) {
        for (String p : value.split(File.pathSeparator)) {
          if (!p.isBlank()) {
            entries.add(p);
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Optional<String> location(CodeSource source) {
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(source.getLocation().toURI()).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> jarOf(URL resource) {
    String url = resource.toString();
    if (!url.startsWith("jar:file:")) {
      return Optional.empty();
    }
    int bang = url.indexOf("!/");
    try {
      return Optional.of(Path.of(new java.net.URI(url.substring(4, bang))).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

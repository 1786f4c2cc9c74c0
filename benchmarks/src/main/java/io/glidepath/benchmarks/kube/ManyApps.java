package io.glidepath.benchmarks.kube;

import com.sun.management.OperatingSystemMXBean;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.glidepath.benchmarks.ExtraResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.GitDesiredStateSource;
import io.glidepath.kube.sync.SyncResult;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 25's measured harness: N small plain-YAML apps (a ConfigMap, a Deployment and a Service
 * each) in one Git repository served by {@code git daemon}, run by one {@link ControllerManager}
 * from the cluster's Application objects, against an {@link io.glidepath.testkit.cluster
 * .EmbeddedCluster} in its own JVM ({@link ClusterProcess}), one shared {@link GitWatcher} told of
 * each push at once (a webhook). Measures, in this order:
 *
 * <ol>
 *   <li>start-up: from {@code start()} until every app reports in sync; the largest heap left after
 *       a collection meanwhile (the JVM runs with the {@code -Xmx} run.sh gives it);
 *   <li>heap per added app: N/10 more Application objects; live bytes (a class histogram's total,
 *       after a full collection) before and after;
 *   <li>idle CPU: the process's CPU time over one resync period while nothing changes (with {@code
 *       -Dmanyapps.idlewarmupperiods=N}, after N periods reported apart as {@code
 *       idleCpuPercentFresh}: a fresh JVM's first resyncs are mostly the compilers' work);
 *   <li>one-app commits: a push changing one random app's ConfigMap, then the watcher told; the
 *       time from the push until that app's sync succeeded, and the process's CPU time from the
 *       push until the work settled, less the idle rate (the push itself runs {@code git} in child
 *       processes, not counted; the watcher's own thread, which fetches and wakes the apps a commit
 *       touches, is also reported alone). Resyncs keep running meanwhile (spread over the period),
 *       so every commit lands during a resync;
 *   <li>threads: live threads at the end.
 * </ol>
 *
 * <pre>{@code
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.ManyApps \
 *     APPS RESYNC_SECONDS COMMITS result.json
 * }</pre>
 *
 * <p>With {@code -Dmanyapps.clusterjfr=FILE}: a flight recording of the cluster's JVM over the
 * whole run, written to {@code FILE} when it exits (to tell the test cluster's time from
 * Glidepath's). The cluster's JVM compiles with C1 only ({@code -XX:TieredStopAtLevel=1}: the test
 * cluster's C2 compilations took as much CPU as its answers, on the cores the controller's
 * measurement needs); {@code -Dmanyapps.clusterjvm="OPTIONS"} gives other options instead,
 * separated by spaces ({@code -Dmanyapps.clusterjvm=-Xshare:auto} for the JVM's defaults). With
 * {@code -Dmanyapps.warmupcommits=N}: N one-app commits before the measured ones, not counted in
 * them (the first commits of a fresh JVM are mostly the compilers' work on the commit's code, paid
 * once per process); the median CPU of the first 10 is reported apart ({@code commitCpuFreshMs}).
 * On Linux the harness also prints the CPU time of both JVMs by thread (compilers and collectors
 * included) for start-up and per commit, and the requests the cluster answered, by verb and kind.
 * With {@code -Dmanyapps.startuponly=true}: the start-up alone (step 1), to compare builds'
 * start-ups quickly.
 */
public final class ManyApps {
  private static final String NS = "apps";
  // the warm-up commits whose CPU is reported as a fresh JVM's (commitCpuFreshMs)
  private static final int FRESH_COMMITS = 10;
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  private final Map<String, Boolean> inSync = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSyncNanos = new ConcurrentHashMap<>();
  private final AtomicLong syncs = new AtomicLong();
  private final Map<String, AtomicLong> reconcilesByApp = new ConcurrentHashMap<>();

  private ManyApps() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int resyncSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int commits = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path out = args.length > 3 ? Path.of(args[3]) : null;
    new ManyApps().run(apps, resyncSeconds, commits, out);
  }

  private static String name(int i) {
    return String.format("app-%05d", i);
  }

  static String manifests(String app, String level) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %1$s-settings}
        data: {LOG_LEVEL: %2$s}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - {name: main, image: "registry.example/%1$s:1.0", ports: [{containerPort: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports: [{port: 80, targetPort: 8080}]
        """
        .formatted(app, level);
  }

  static String application(String app, String repo) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %1$s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "%2$s", targetRevision: main, path: apps/%1$s}
          destination: {server: "https://kubernetes.default.svc", namespace: %3$s}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        """
        .formatted(app, repo, NS);
  }

  private void run(int n, int resyncSeconds, int commits, Path out) throws Exception {
    int extra = Math.max(1, n / 10);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx4g");
    // the test cluster's JVM compiles with C1 only: with C2 it spent about as much CPU compiling
    // (13 s) as answering the start-up's requests, on the cores the controller measured needs
    String clusterOptions = System.getProperty("manyapps.clusterjvm", "-XX:TieredStopAtLevel=1");
    if (!clusterOptions.isBlank()) {
      command.addAll(List.of(clusterOptions.trim().split("\\s+")));
    }
    String clusterJfr = System.getProperty("manyapps.clusterjfr");
    if (clusterJfr != null) {
      // the whole run of the cluster's JVM, written when it exits
      command.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + clusterJfr);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(ClusterProcess.class.getName());
    Process clusterJvm =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Path work = Files.createTempDirectory("many-apps");
    try (LocalGitServer git = LocalGitServer.start()) {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(clusterJvm.getInputStream(), StandardCharsets.UTF_8));
      // the cluster's JVM may print other lines first (JFR's start-up message with clusterjfr)
      String ready = lines.readLine();
      while (ready != null && !ready.startsWith("READY ")) {
        ready = lines.readLine();
      }
      if (ready == null) {
        throw new IllegalStateException("the cluster process did not start: " + ready);
      }
      Config config =
          new ConfigBuilder(Config.empty())
              .withMasterUrl(ready.substring(6).trim())
              .withNamespace("default")
              .withHttp2Disable(true)
              .withRequestRetryBackoffLimit(0)
              .build();
      Path content = work.resolve("content");
      for (int i = 0; i < n + extra; i++) {
        Path dir = Files.createDirectories(content.resolve("apps/" + name(i)));
        Files.writeString(dir.resolve("manifests.yaml"), manifests(name(i), "info"));
      }
      git.seed("configs", content, "apps");
      String repo = git.url("configs");
      try (KubeCluster cluster = KubeCluster.connect(config, RequestRetry.DEFAULT);
          GitCache cache = GitCache.open(work.resolve("cache"))) {
        for (String ns : List.of(NS, "argocd")) {
          cluster
              .client()
              .namespaces()
              .resource(
                  new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                      .withNewMetadata()
                      .withName(ns)
                      .endMetadata()
                      .build())
              .create();
        }
        for (int i = 0; i < n; i++) {
          createApplication(cluster, application(name(i), repo));
        }
        GitSource source = cache.source(repo);
        long[] pollThread = {-1};
        java.util.concurrent.ScheduledExecutorService polls =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "git-poll");
                  t.setDaemon(true);
                  pollThread[0] = t.getId();
                  return t;
                });
        GitWatcher watcher =
            GitWatcher.builder(source, "main")
                .interval(Duration.ofHours(1))
                .scheduler(io.glidepath.git.watch.PollScheduler.of(polls))
                .build();
        watcher.poll();
        Map<String, GitDesiredStateSource> sources = new ConcurrentHashMap<>();
        ControllerManager manager =
            ControllerManager.builder(cluster)
                .sources(
                    app ->
                        sources.computeIfAbsent(
                            app.name(), a -> GitDesiredStateSource.of(source, app).withoutFetch()))
                .gitWatcher(app -> Optional.of(watcher))
                .feed(ApplicationFeed.applicationObjects(cluster, "argocd"))
                .resyncPeriod(Duration.ofSeconds(resyncSeconds))
                .listener(listener())
                .build();
        List<ExtraResult> results = new ArrayList<>();
        String prefix = ManyApps.class.getName() + ".";

        // 1. start-up
        HeapWatch heap = new HeapWatch();
        jdk.jfr.Recording startRecording = startRecording("startup");
        long t0 = System.nanoTime();
        long startCpu0 = OS.getProcessCpuTime();
        long clusterCpu0 = cpuNanos(clusterJvm);
        long self = ProcessHandle.current().pid();
        long clusterPid = clusterJvm.pid();
        Map<String, Long> tasks0 = TaskCpu.of(self);
        Map<String, Long> clusterTasks0 = TaskCpu.of(clusterPid);
        clusterRequests(clusterJvm, lines); // those before start(): the Application objects
        manager.start();
        waitUntil(
            () -> countInSync() >= n,
            Duration.ofMinutes(15),
            () ->
                countInSync()
                    + " of "
                    + n
                    + " in sync; e.g. "
                    + manager.apps().stream()
                        .filter(a -> !inSync.getOrDefault(a, false))
                        .findFirst()
                        .flatMap(a -> manager.controller(a).flatMap(c -> c.status()))
                        .map(AppStatus::message)
                        .orElse("-"));
        double startup = (System.nanoTime() - t0) / 1e9;
        double startupCpu = (OS.getProcessCpuTime() - startCpu0) / 1e9;
        double startupClusterCpu = (cpuNanos(clusterJvm) - clusterCpu0) / 1e9;
        stopRecording(startRecording, "startup");
        long peakAfterGc = heap.stop();
        System.out.printf(
            "%d apps: all in sync %.1f s after start (CPU: controller %.1f s, cluster %.1f s, load"
                + " %.1f); largest heap after a collection %d MB (-Xmx %d MB)%n",
            n,
            startup,
            startupCpu,
            startupClusterCpu,
            OS.getSystemLoadAverage(),
            peakAfterGc >> 20,
            Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(
            "  start-up CPU by thread, controller: "
                + TaskCpu.top(TaskCpu.minus(TaskCpu.of(self), tasks0), 8, 1));
        System.out.println("  start-up " + clusterRequests(clusterJvm, lines));
        System.out.printf(
            "  start-up reconciles: %d (%.1f per app)%n",
            manager.stats().reconciles(), manager.stats().reconciles() / (double) n);
        System.out.println(
            "  start-up CPU by thread, cluster: "
                + TaskCpu.top(TaskCpu.minus(TaskCpu.of(clusterPid), clusterTasks0), 8, 1));
        results.add(new ExtraResult(prefix + "startupSeconds" + n, startup, "s", true));
        results.add(
            new ExtraResult(prefix + "startupPeakHeapMb" + n, peakAfterGc / 1048576.0, "MB", true));
        if (Boolean.getBoolean("manyapps.startuponly")) {
          manager.close();
          watcher.close();
          polls.shutdownNow();
          if (out != null) {
            ExtraResult.write(out, results);
          }
          return;
        }
        quiet(manager);

        // 2. heap per added app
        long before = usedAfterFullGc();
        histogram("before");
        for (int i = n; i < n + extra; i++) {
          createApplication(cluster, application(name(i), repo));
        }
        waitUntil(() -> countInSync() >= n + extra, Duration.ofMinutes(5), "added apps in sync");
        quiet(manager);
        long after = usedAfterFullGc();
        histogram("after");
        double perApp = (after - before) / (double) extra;
        System.out.printf(
            "heap after full GC: %d MB with %d apps, %d MB with %d: %.0f bytes per added app%n",
            before >> 20, n, after >> 20, n + extra, perApp);
        results.add(new ExtraResult(prefix + "heapPerAppBytes" + n, perApp, "bytes/app", true));

        // 3. idle CPU over one resync period, after the warm-up periods (a fresh JVM's first
        // resyncs are mostly the compilers' work on the resync's code path, paid once per process)
        int idleWarmup = Integer.getInteger("manyapps.idlewarmupperiods", 0);
        if (idleWarmup > 0) {
          long freshCpu0 = OS.getProcessCpuTime();
          long freshWall0 = System.nanoTime();
          Map<String, Long> freshTasks0 = TaskCpu.of(self);
          Thread.sleep(idleWarmup * resyncSeconds * 1000L);
          double freshRate =
              (OS.getProcessCpuTime() - freshCpu0) / (double) (System.nanoTime() - freshWall0);
          System.out.printf(
              "idle in the %d warm-up period(s) (a fresh JVM's first resyncs): %.2f%% of a core%n",
              idleWarmup, freshRate * 100);
          System.out.println(
              "  warm-up idle CPU by thread, controller: "
                  + TaskCpu.top(TaskCpu.minus(TaskCpu.of(self), freshTasks0), 10, idleWarmup));
          results.add(
              new ExtraResult(prefix + "idleCpuPercentFresh" + n, freshRate * 100, "%", true));
        }
        jdk.jfr.Recording idleRecording = startRecording("idle");
        long cpu0 = OS.getProcessCpuTime();
        long wall0 = System.nanoTime();
        Map<String, Long> idleTasks0 = TaskCpu.of(self);
        Map<String, Long> idleClusterTasks0 = TaskCpu.of(clusterPid);
        long reconciles0 = manager.stats().reconciles();
        Thread.sleep(resyncSeconds * 1000L);
        double idleRate =
            (OS.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0); // cores
        double idleNanos = System.nanoTime() - wall0;
        Map<String, Long> idleTasks = TaskCpu.minus(TaskCpu.of(self), idleTasks0);
        Map<String, Long> idleClusterTasks =
            TaskCpu.minus(TaskCpu.of(clusterPid), idleClusterTasks0);
        stopRecording(idleRecording, "idle");
        System.out.printf(
            "idle: %.2f%% of a core over %d s (%d reconciles, resync period %d s)%n",
            idleRate * 100,
            resyncSeconds,
            manager.stats().reconciles() - reconciles0,
            resyncSeconds);
        results.add(new ExtraResult(prefix + "idleCpuPercent" + n, idleRate * 100, "%", true));
        System.out.println("  idle CPU by thread, controller: " + TaskCpu.top(idleTasks, 10, 1));
        System.out.println(
            "  idle CPU by thread, cluster: " + TaskCpu.top(idleClusterTasks, 10, 1));

        // 4. one-app commits, with the periodic resyncs running
        clusterRequests(clusterJvm, lines); // those before the commits
        SplittableRandom random = new SplittableRandom(42);
        jdk.jfr.Recording recording = startRecording("commits");
        double[] latencies = new double[commits];
        double[] cpus = new double[commits];
        double[] pollCpus = new double[commits];
        double[] cpusWithoutJit = new double[commits];
        // the compilers' idle rate, taken off each commit's compiling time
        double idleJitRate =
            idleTasks.entrySet().stream()
                    .filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToLong(Map.Entry::getValue)
                    .sum()
                / idleNanos;
        int warmup = Integer.getInteger("manyapps.warmupcommits", 0);
        Map<String, Long> commitTasks = new java.util.HashMap<>();
        Map<String, Long> commitClusterTasks = new java.util.HashMap<>();
        double commitNanos = 0;
        // the first (at most 10) warm-up commits: a fresh JVM's first ones
        double[] freshCpus = new double[Math.min(warmup, FRESH_COMMITS)];
        for (int k = 0; k < warmup + commits; k++) {
          boolean measured = k >= warmup;
          int c = Math.max(0, k - warmup); // warm-up commits are overwritten by the first measured
          String app = name(random.nextInt(n));
          long syncsBefore = lastSyncNanos.getOrDefault(app, 0L);
          // the push runs git in child processes; only what this JVM does after it is counted
          git.commitFiles(
              "configs",
              Map.of("apps/" + app + "/manifests.yaml", manifests(app, "level-" + k)),
              "change " + app);
          Map<String, Long> commitTasks0 = TaskCpu.of(self);
          Map<String, Long> commitClusterTasks0 = TaskCpu.of(clusterPid);
          long cpuStart = OS.getProcessCpuTime();
          long pollCpuStart = threadCpu(pollThread);
          long reconcilesStart = manager.stats().reconciles();
          long appReconcilesStart = reconcilesOf(app);
          long pushed = System.nanoTime();
          watcher.refresh(); // the push notification
          waitUntil(
              () -> lastSyncNanos.getOrDefault(app, 0L) > syncsBefore,
              Duration.ofMinutes(2),
              app + " synced");
          latencies[c] = (lastSyncNanos.get(app) - pushed) / 1e6;
          Thread.sleep(1000); // let the follow-up reconciles of the app's own writes settle
          long elapsed = System.nanoTime() - pushed;
          cpus[c] = Math.max(0, (OS.getProcessCpuTime() - cpuStart) - idleRate * elapsed) / 1e6;
          pollCpus[c] = (threadCpu(pollThread) - pollCpuStart) / 1e6;
          Map<String, Long> thisCommit = TaskCpu.minus(TaskCpu.of(self), commitTasks0);
          long jitNanos =
              thisCommit.entrySet().stream()
                  .filter(e -> e.getKey().contains("CompilerThre"))
                  .mapToLong(Map.Entry::getValue)
                  .sum();
          cpusWithoutJit[c] = Math.max(0, cpus[c] - (jitNanos - idleJitRate * elapsed) / 1e6);
          if (k < freshCpus.length) {
            freshCpus[k] = cpus[c];
          }
          if (measured) {
            TaskCpu.add(commitTasks, thisCommit);
            TaskCpu.add(
                commitClusterTasks, TaskCpu.minus(TaskCpu.of(clusterPid), commitClusterTasks0));
            commitNanos += elapsed;
          }
          long reconcilesAll = manager.stats().reconciles() - reconcilesStart;
          long reconcilesApp = reconcilesOf(app) - appReconcilesStart;
          Resource live =
              cluster.get(new ResourceKey("", "ConfigMap", NS, app + "-settings")).orElseThrow();
          if (!live.body().at("/data/LOG_LEVEL").asString("").equals("level-" + k)) {
            throw new IllegalStateException(app + " was synced without the new commit");
          }
          System.out.printf(
              (measured ? "" : "warm-up ")
                  + "commit %d (%s): applied %.0f ms after the push; %.0f ms of CPU above idle, of"
                  + " which %.0f ms on the watcher's thread (fetch, changed paths, waking apps),"
                  + " %.0f ms compiling (JIT, idle rate not taken off), %.0f ms above idle"
                  + " without compiling;"
                  + " %d reconciles of the app, %d of all apps (resyncs included)%n",
              k,
              app,
              latencies[c],
              cpus[c],
              pollCpus[c],
              jitNanos / 1e6,
              cpusWithoutJit[c],
              reconcilesApp,
              reconcilesAll);
        }
        stopRecording(recording, "commits");
        // per commit, above the idle rate of each thread group
        double window = commitNanos / idleNanos;
        idleTasks.forEach((k, v) -> commitTasks.merge(k, -Math.round(v * window), Long::sum));
        idleClusterTasks.forEach(
            (k, v) -> commitClusterTasks.merge(k, -Math.round(v * window), Long::sum));
        System.out.println(
            "  CPU per commit above idle by thread, controller: "
                + TaskCpu.top(commitTasks, 10, commits));
        System.out.println("  commits' " + clusterRequests(clusterJvm, lines));
        System.out.println(
            "  CPU per commit above idle by thread, cluster: "
                + TaskCpu.top(commitClusterTasks, 10, commits));
        Arrays.sort(latencies);
        Arrays.sort(cpus);
        Arrays.sort(pollCpus);
        Arrays.sort(cpusWithoutJit);
        double latencyMedian = latencies[commits / 2];
        double cpuMedian = cpus[commits / 2];
        System.out.printf(
            "%d commits (after %d not measured): applied after median %.0f ms (max %.0f); CPU"
                + " median %.0f ms (max %.0f); without the compilers' time above their idle rate"
                + " median %.0f ms (max %.0f)%n",
            commits,
            warmup,
            latencyMedian,
            latencies[commits - 1],
            cpuMedian,
            cpus[commits - 1],
            cpusWithoutJit[commits / 2],
            cpusWithoutJit[commits - 1]);
        results.add(new ExtraResult(prefix + "commitLatencyMs" + n, latencyMedian, "ms", true));
        results.add(
            new ExtraResult(prefix + "commitLatencyMaxMs" + n, latencies[commits - 1], "ms", true));
        results.add(new ExtraResult(prefix + "commitCpuMs" + n, cpuMedian, "ms", true));
        results.add(
            new ExtraResult(prefix + "commitWatcherCpuMs" + n, pollCpus[commits / 2], "ms", true));
        results.add(
            new ExtraResult(
                prefix + "commitCpuWithoutJitMs" + n, cpusWithoutJit[commits / 2], "ms", true));
        if (warmup > 0) {
          int fresh = freshCpus.length;
          Arrays.sort(freshCpus);
          System.out.printf(
              "the first %d warm-up commits (a fresh JVM's first): CPU median %.0f ms (max %.0f)%n",
              fresh, freshCpus[fresh / 2], freshCpus[fresh - 1]);
          results.add(
              new ExtraResult(prefix + "commitCpuFreshMs" + n, freshCpus[fresh / 2], "ms", true));
        }

        // 5. threads
        int threads = Thread.activeCount();
        System.out.printf(
            "threads: %d live (workers %d), load average %.1f on %d cores%n",
            threads,
            manager.stats().workers(),
            OS.getSystemLoadAverage(),
            OS.getAvailableProcessors());
        results.add(new ExtraResult(prefix + "threads" + n, threads, "threads", true));
        results.add(
            new ExtraResult(prefix + "loadAverage" + n, OS.getSystemLoadAverage(), "load", true));
        manager.close();
        watcher.close();
        polls.shutdownNow();
        if (out != null) {
          ExtraResult.write(out, results);
        }
      }
    } finally {
      clusterJvm.getOutputStream().close();
      clusterJvm.destroy();
      // let it write its recording, if any, before this JVM (and the run) ends
      clusterJvm.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      deleteQuietly(work);
    }
  }

  private ControllerListener listener() {
    return new ControllerListener() {
      @Override
      public void reconciled(AppStatus status) {
        inSync.put(status.app(), status.inSync());
        reconcilesByApp.computeIfAbsent(status.app(), a -> new AtomicLong()).incrementAndGet();
      }

      @Override
      public void syncFinished(String app, SyncResult result) {
        if (result.succeeded()) {
          lastSyncNanos.put(app, System.nanoTime());
          syncs.incrementAndGet();
        }
      }
    };
  }

  /**
   * The requests the cluster answered since the last call, by verb and kind (one line of {@link
   * ClusterProcess}).
   */
  private static String clusterRequests(Process clusterJvm, BufferedReader lines)
      throws java.io.IOException {
    clusterJvm.getOutputStream().write("REQUESTS\n".getBytes(StandardCharsets.UTF_8));
    clusterJvm.getOutputStream().flush();
    String line = lines.readLine();
    while (line != null && !line.startsWith("REQUESTS ")) {
      line = lines.readLine();
    }
    return line == null ? "REQUESTS (none: the cluster's JVM ended)" : line.toLowerCase();
  }

  /** The CPU time a child process has used so far (0 where the platform does not tell). */
  private static long cpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private long reconcilesOf(String app) {
    AtomicLong n = reconcilesByApp.get(app);
    return n == null ? 0 : n.get();
  }

  /**
   * With {@code -Dmanyapps.jfr=DIR}: a flight recording of one phase ({@code startup}, {@code
   * idle}, {@code commits}) with Java stacks sampled every millisecond, written to {@code
   * DIR/NAME.jfr} (read it with {@code jfr print --events jdk.ExecutionSample}). Null without.
   */
  private static jdk.jfr.Recording startRecording(String name) throws Exception {
    if (System.getProperty("manyapps.jfr") == null) {
      return null;
    }
    jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
    // every compilation with its duration: what the JIT compilers spend their time on
    r.enable("jdk.Compilation").withThreshold(Duration.ZERO);
    r.setName(name);
    r.start();
    return r;
  }

  private static void stopRecording(jdk.jfr.Recording r, String name) throws Exception {
    if (r == null) {
      return;
    }
    r.stop();
    r.dump(Path.of(System.getProperty("manyapps.jfr"), name + ".jfr"));
    r.close();
  }

  private long countInSync() {
    return inSync.values().stream().filter(b -> b).count();
  }

  private static void createApplication(KubeCluster cluster, String yaml) {
    var client = cluster.client();
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(yaml, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .inNamespace("argocd")
        .create();
  }

  /**
   * Waits until no app waits for a worker twice a second apart (at most 10 minutes). Not until the
   * reconcile count holds still: with resyncs spread over the period, some app is always being
   * resynced.
   */
  private static void quiet(ControllerManager manager) throws InterruptedException {
    int idle = 0;
    for (int i = 0; i < 600 && idle < 2; i++) {
      idle = manager.stats().queued() == 0 ? idle + 1 : 0;
      Thread.sleep(1000);
    }
  }

  private static void waitUntil(
      java.util.function.BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    waitUntil(condition, timeout, () -> what);
  }

  private static void waitUntil(
      java.util.function.BooleanSupplier condition,
      Duration timeout,
      java.util.function.Supplier<String> progress)
      throws InterruptedException {
    Waits.until(condition, timeout, Duration.ofMillis(5), progress);
  }

  private static long threadCpu(long[] thread) {
    return thread[0] < 0 ? 0 : Math.max(0, THREADS.getThreadCpuTime(thread[0]));
  }

  /**
   * With {@code -Dmanyapps.histogram=DIR}: the class histogram of live objects (what {@code jcmd
   * PID GC.class_histogram} prints) written to {@code DIR/histogram-NAME.txt}, to see what an app
   * costs.
   */
  private static void histogram(String name) throws Exception {
    String dir = System.getProperty("manyapps.histogram");
    if (dir == null) {
      return;
    }
    String text = histogramText();
    Files.writeString(Path.of(dir, "histogram-" + name + ".txt"), text);
  }

  /**
   * The bytes of live objects: the total of a class histogram, which collects fully first and
   * counts only what is reachable (the heap's used size after {@code System.gc()} also counts what
   * the collector left for later, and moves by megabytes between runs).
   */
  private static long usedAfterFullGc() throws Exception {
    return liveBytes(histogramText());
  }

  /** The total bytes of a class histogram's text ({@link #histogramText()}). */
  static long liveBytes(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no total in the class histogram");
    }
    return Long.parseLong(m.group(1));
  }

  static String histogramText() throws Exception {
    return String.valueOf(
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()}));
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // a temp directory
    }
  }

  /**
   * The largest heap in use right after a collection while it runs (from the collectors'
   * notifications): what the live data needed, not the garbage a collector let pile up.
   */
  private static final class HeapWatch implements javax.management.NotificationListener {
    private final AtomicLong peak = new AtomicLong();

    HeapWatch() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((javax.management.NotificationEmitter) gc).addNotificationListener(this, null, null);
      }
    }

    @Override
    public void handleNotification(javax.management.Notification n, Object handback) {
      if (!n.getType()
          .equals(
              com.sun.management.GarbageCollectionNotificationInfo
                  .GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      var info =
          com.sun.management.GarbageCollectionNotificationInfo.from(
              (javax.management.openmbean.CompositeData) n.getUserData());
      long used = 0;
      for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPool(e.getKey())) {
          used += e.getValue().getUsed();
        }
      }
      peak.accumulateAndGet(used, Math::max);
    }

    private static boolean heapPool(String name) {
      return ManagementFactory.getMemoryPoolMXBeans().stream()
          .anyMatch(p -> p.getName().equals(name) && p.getType() == MemoryType.HEAP);
    }

    long stop() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        try {
          ((javax.management.NotificationEmitter) gc).removeNotificationListener(this);
        } catch (javax.management.ListenerNotFoundException e) {
          // not added
        }
      }
      return peak.get();
    }
  }
}

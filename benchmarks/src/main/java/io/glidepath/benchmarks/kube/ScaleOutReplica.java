package io.glidepath.benchmarks.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.glidepath.git.GitCache;
import io.glidepath.git.GitSource;
import io.glidepath.git.watch.GitWatcher;
import io.glidepath.git.watch.PollScheduler;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.GitDesiredStateSource;
import io.glidepath.kube.shard.FencedWriteException;
import io.glidepath.kube.shard.ReplicaMembership;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One replica for {@link ScaleOut}: a {@link ControllerManager} fed the cluster's Application
 * objects (namespace {@code argocd}), sharded over a {@link ReplicaMembership} with the default
 * lease, rendering each app from a Git repository (its own {@link GitCache}, one {@link GitWatcher}
 * polled once). Prints, one line each:
 *
 * <ul>
 *   <li>{@code READY} once it sees EXPECTED live replicas and its manager has started;
 *   <li>{@code STATUS <epoch ms> <owned> <owned in sync> <reconciles> <queued> <fenced writes>
 *       <takeovers> <releases> <live replicas seen>} every 500 ms;
 *   <li>{@code FENCED <reason>=<count>,...} every 500 ms once a write was fenced: the refused
 *       writes counted by {@link FencedWriteException#kind()}; the first few refusals of each kind
 *       are also printed to standard error with their message;
 *   <li>{@code HEAP <name> <bytes>} for each line {@code HEAP <name>} read from standard input: the
 *       live bytes of a class histogram (a full collection first); with {@code
 *       -Dscaleout.histogram=DIR} the histogram is also written to {@code
 *       DIR/<identity>-<name>.txt}. {@code HEAP baseline} is printed once before the manager
 *       starts.
 * </ul>
 *
 * Stops when its standard input closes.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.ScaleOutReplica \
 *     URL IDENTITY REPO_URL EXPECTED CACHE_DIR RESYNC_SECONDS
 * }</pre>
 */
public final class ScaleOutReplica {
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private ScaleOutReplica() {}

  private static synchronized void report(String line) {
    OUT.println(line);
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String identity = args[1];
    String repo = args[2];
    int expected = Integer.parseInt(args[3]);
    Path cacheDir = Path.of(args[4]);
    int resyncSeconds = Integer.parseInt(args[5]);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .build();
    config.setUserAgent(identity);
    Map<String, Boolean> inSync = new ConcurrentHashMap<>();
    Map<FencedWriteException.Reason, java.util.concurrent.atomic.LongAdder> fenced =
        new java.util.concurrent.ConcurrentSkipListMap<>();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "scale-out-report");
              t.setDaemon(true);
              return t;
            });
    try (KubeCluster kube = KubeCluster.connect(config, RequestRetry.DEFAULT);
        GitCache cache = GitCache.open(cacheDir);
        ReplicaMembership membership =
            ReplicaMembership.builder(kube, "default", "glidepath").identity(identity).start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (membership.members().size() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      GitSource source = cache.source(repo);
      GitWatcher watcher =
          GitWatcher.builder(source, "main")
              .interval(Duration.ofHours(1))
              .scheduler(PollScheduler.of(timer))
              .build();
      watcher.poll();
      Map<String, GitDesiredStateSource> sources = new ConcurrentHashMap<>();
      report("HEAP baseline " + ManyApps.liveBytes(histogram(identity, "baseline")));
      try (ControllerManager manager =
          ControllerManager.builder(kube)
              .sources(
                  app ->
                      sources.computeIfAbsent(
                          app.name(), a -> GitDesiredStateSource.of(source, app).withoutFetch()))
              .gitWatcher(app -> Optional.of(watcher))
              .feed(ApplicationFeed.applicationObjects(kube, "argocd"))
              .resyncPeriod(Duration.ofSeconds(resyncSeconds))
              .listener(
                  new ControllerListener() {
                    @Override
                    public void reconciled(AppStatus status) {
                      inSync.put(status.app(), status.inSync());
                    }

                    @Override
                    public void fenced(String app, FencedWriteException refusal) {
                      var n =
                          fenced.computeIfAbsent(
                              refusal.kind(), k -> new java.util.concurrent.atomic.LongAdder());
                      n.increment();
                      if (n.sum() <= 3) {
                        System.err.println(
                            identity
                                + " "
                                + java.time.Instant.now()
                                + " fenced "
                                + refusal.kind()
                                + ": "
                                + refusal.getMessage());
                      }
                    }
                  })
              .sharding(membership)
              .build()) {
        manager.start();
        report("READY " + membership.members());
        timer.scheduleAtFixedRate(
            () -> {
              ControllerManager.Stats s = manager.stats();
              long synced =
                  manager.apps().stream().filter(a -> inSync.getOrDefault(a, false)).count();
              report(
                  "STATUS "
                      + System.currentTimeMillis()
                      + " "
                      + s.apps()
                      + " "
                      + synced
                      + " "
                      + s.reconciles()
                      + " "
                      + s.queued()
                      + " "
                      + s.fencedWrites()
                      + " "
                      + s.takeovers()
                      + " "
                      + s.releases()
                      + " "
                      + membership.members().size());
              if (!fenced.isEmpty()) {
                StringBuilder b = new StringBuilder("FENCED ");
                fenced.forEach((k, n) -> b.append(k).append('=').append(n.sum()).append(','));
                report(b.substring(0, b.length() - 1));
              }
            },
            0,
            500,
            java.util.concurrent.TimeUnit.MILLISECONDS);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("HEAP ")) {
            String name = line.substring(5).trim();
            report("HEAP " + name + " " + ManyApps.liveBytes(histogram(identity, name)));
          }
        }
        timer.shutdownNow();
        watcher.close();
      }
    }
    System.exit(0);
  }

  private static String histogram(String identity, String name) throws Exception {
    String text = ManyApps.histogramText();
    String dir = System.getProperty("scaleout.histogram");
    if (dir != null) {
      Files.writeString(Path.of(dir, identity + "-" + name + ".txt"), text);
    }
    return text;
  }
}

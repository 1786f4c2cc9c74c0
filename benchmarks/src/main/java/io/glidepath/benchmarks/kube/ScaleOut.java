package io.glidepath.benchmarks.kube;

import com.sun.management.OperatingSystemMXBean;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.glidepath.benchmarks.ExtraResult;
import io.glidepath.testkit.git.LocalGitServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Issue 23's scale test as a measured harness: APPS small plain-YAML apps (a ConfigMap, a
 * Deployment and a Service each, as {@link ManyApps} has them) in one Git repository served by
 * {@code git daemon}, their Application objects in the cluster, run by REPLICAS replica JVMs
 * ({@link ScaleOutReplica}: a {@link io.glidepath.kube.controller.ControllerManager} sharded over
 * Leases each, the default 15 s lease, rendezvous hashing) against one {@link
 * io.glidepath.testkit.cluster.EmbeddedCluster} in its own JVM ({@link ClusterProcess}). Measures,
 * in this order:
 *
 * <ol>
 *   <li>start-up: from the first replica's manager start until every app is owned by a replica and
 *       reports in sync; per replica, its reconciles per second until its own apps were in sync;
 *   <li>heap per app in each replica: the live bytes of a class histogram (after a full collection)
 *       when all are in sync, less the same before the replica's manager started, per app it owns
 *       (everything the apps cost it: its informers keep every app's live objects, not only its
 *       own); then APPS/10 more Application objects, and the live bytes added per app it gained
 *       (the marginal cost, as {@link ManyApps} measures it);
 *   <li>the writes refused by the fencing check, in all and per reason ({@link
 *       io.glidepath.kube.shard.FencedWriteException#kind()}), though no replica was killed;
 *   <li>the load average at the start and at the end (the machine may be shared).
 * </ol>
 *
 * <p>Heap of the JVMs: {@code -Dscaleout.replicaXmx} (default 1g) and {@code -Dscaleout.clusterXmx}
 * (default 6g); {@code -Dscaleout.histogram=DIR} makes each replica write its class histograms to
 * DIR.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.ScaleOut \
 *     APPS REPLICAS result.json [RESYNC_SECONDS]
 * }</pre>
 */
public final class ScaleOut {
  private static final String NS = "apps";
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** The last STATUS line of a replica. */
  private record Status(
      long at,
      int owned,
      int inSync,
      long reconciles,
      int queued,
      long fencedWrites,
      long takeovers,
      long releases,
      int members) {}

  private final class Replica {
    final String identity;
    final Process process;
    final OutputStream stdin;
    volatile Status status = new Status(0, 0, 0, 0, 0, 0, 0, 0, 0);
    volatile long readyAt;
    // the first time its own apps were all in sync with every app owned, and its reconciles then
    volatile Status allInSync;
    final Map<String, Long> heap = new ConcurrentHashMap<>();
    // the writes refused by the fencing check so far, by reason (FencedWriteException.kind())
    volatile Map<String, Long> fenced = Map.of();

    Replica(String identity, Process process) {
      this.identity = identity;
      this.process = process;
      this.stdin = process.getOutputStream();
    }

    long heap(String name) throws IOException, InterruptedException {
      stdin.write(("HEAP " + name + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      await(() -> heap.containsKey(name), Duration.ofMinutes(5), identity + "'s histogram");
      return heap.get(name);
    }
  }

  private final List<Replica> replicas = new ArrayList<>();
  private final int apps;
  private volatile int expectedApps;

  private ScaleOut(int apps) {
    this.apps = apps;
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path out = args.length > 2 ? Path.of(args[2]) : null;
    int resync = args.length > 3 ? Integer.parseInt(args[3]) : 180;
    new ScaleOut(apps).run(replicas, resync, out);
  }

  private void run(int replicaCount, int resyncSeconds, Path out) throws Exception {
    int extra = Math.max(1, apps / 10);
    double loadBefore = OS.getSystemLoadAverage();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process clusterJvm =
        new ProcessBuilder(
                java,
                "-Xmx" + System.getProperty("scaleout.clusterXmx", "6g"),
                "-cp",
                System.getProperty("java.class.path"),
                ClusterProcess.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Path work = Files.createTempDirectory("scale-out");
    List<ExtraResult> results = new ArrayList<>();
    String prefix = ScaleOut.class.getName() + ".";
    try (LocalGitServer git = LocalGitServer.start()) {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(clusterJvm.getInputStream(), StandardCharsets.UTF_8));
      String ready = lines.readLine();
      if (ready == null || !ready.startsWith("READY ")) {
        throw new IllegalStateException("the cluster process did not start: " + ready);
      }
      String url = ready.substring(6).trim();
      Path content = work.resolve("content");
      for (int i = 0; i < apps + extra; i++) {
        Path dir = Files.createDirectories(content.resolve("apps/" + name(i)));
        Files.writeString(dir.resolve("manifests.yaml"), ManyApps.manifests(name(i), "info"));
      }
      git.seed("configs", content, "apps");
      String repo = git.url("configs");
      Config config =
          new ConfigBuilder(Config.empty())
              .withMasterUrl(url)
              .withNamespace("default")
              .withHttp2Disable(true)
              .build();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        for (String ns : List.of(NS, "argocd")) {
          client
              .namespaces()
              .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
              .create();
        }
        long created = System.nanoTime();
        for (int i = 0; i < apps; i++) {
          createApplication(client, ManyApps.application(name(i), repo));
        }
        System.out.printf(
            "%d Application objects created in %.1f s%n",
            apps, (System.nanoTime() - created) / 1e9);
        expectedApps = apps;

        for (int r = 0; r < replicaCount; r++) {
          String identity = "replica-" + r;
          Path cache = Files.createDirectories(work.resolve("cache-" + identity));
          List<String> command = new ArrayList<>();
          command.add(java);
          command.add("-Xmx" + System.getProperty("scaleout.replicaXmx", "1g"));
          if (System.getProperty("scaleout.histogram") != null) {
            command.add("-Dscaleout.histogram=" + System.getProperty("scaleout.histogram"));
          }
          command.addAll(
              List.of(
                  "-cp",
                  System.getProperty("java.class.path"),
                  ScaleOutReplica.class.getName(),
                  url,
                  identity,
                  repo,
                  String.valueOf(replicaCount),
                  cache.toString(),
                  String.valueOf(resyncSeconds)));
          Process p =
              new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
          Replica replica = new Replica(identity, p);
          replicas.add(replica);
          follow(replica);
        }

        // 1. start-up
        await(
            () -> replicas.stream().allMatch(r -> r.readyAt > 0),
            Duration.ofMinutes(3),
            "every replica started");
        long t0 = replicas.stream().mapToLong(r -> r.readyAt).min().orElseThrow();
        await(
            () -> owned() == apps && inSync() == apps,
            Duration.ofMinutes(40),
            () -> inSync() + " of " + apps + " in sync, " + owned() + " owned; " + shares());
        long t1 = System.currentTimeMillis();
        double startup = (t1 - t0) / 1000.0;
        System.out.printf(
            "%d apps on %d replicas: all in sync %.1f s after the first manager started (load"
                + " average %.2f)%n",
            apps, replicaCount, startup, OS.getSystemLoadAverage());
        results.add(new ExtraResult(prefix + "startupSeconds" + apps, startup, "s", true));
        double slowestRate = Double.MAX_VALUE;
        for (Replica r : replicas) {
          Status s = r.allInSync != null ? r.allInSync : r.status;
          double seconds = Math.max(0.001, (s.at() - r.readyAt) / 1000.0);
          double rate = s.reconciles() / seconds;
          slowestRate = Math.min(slowestRate, rate);
          System.out.printf(
              "  %s: %d apps in sync %.1f s after its start, %d reconciles: %.1f reconciles/s,"
                  + " %.1f apps/s%n",
              r.identity, s.owned(), seconds, s.reconciles(), rate, s.owned() / seconds);
          results.add(
              new ExtraResult(
                  prefix + "reconcilesPerSecond" + apps + "." + r.identity, rate, "ops/s", true));
        }
        results.add(
            new ExtraResult(
                prefix + "reconcilesPerSecondSlowestReplica" + apps, slowestRate, "ops/s", true));
        quiet();

        // 2. heap per app in each replica
        Map<Replica, long[]> before = new LinkedHashMap<>();
        double worstAverage = 0;
        for (Replica r : replicas) {
          long now = r.heap("all-in-sync");
          int owned = r.status.owned();
          before.put(r, new long[] {now, owned});
          double perApp = (now - r.heap.get("baseline")) / (double) owned;
          worstAverage = Math.max(worstAverage, perApp);
          System.out.printf(
              "  %s: %d MB live before its manager started, %d MB with %d apps: %.0f bytes per"
                  + " app it owns%n",
              r.identity, r.heap.get("baseline") >> 20, now >> 20, owned, perApp);
        }
        results.add(
            new ExtraResult(prefix + "heapPerOwnedAppBytes" + apps, worstAverage, "bytes", true));
        for (int i = apps; i < apps + extra; i++) {
          createApplication(client, ManyApps.application(name(i), repo));
        }
        expectedApps = apps + extra;
        await(
            () -> owned() == apps + extra && inSync() == apps + extra,
            Duration.ofMinutes(10),
            () -> inSync() + " of " + (apps + extra) + " in sync after adding " + extra);
        quiet();
        double worstMarginal = 0;
        for (Replica r : replicas) {
          long after = r.heap("added");
          long[] b = before.get(r);
          int gained = r.status.owned() - (int) b[1];
          double perApp = (after - b[0]) / (double) Math.max(1, gained);
          worstMarginal = Math.max(worstMarginal, perApp);
          System.out.printf(
              "  %s: %d more apps, %d MB live: %.0f bytes per added app%n",
              r.identity, gained, after >> 20, perApp);
          results.add(
              new ExtraResult(
                  prefix + "heapPerAddedAppBytes" + apps + "." + r.identity,
                  perApp,
                  "bytes",
                  true));
        }
        results.add(
            new ExtraResult(prefix + "heapPerAddedAppBytes" + apps, worstMarginal, "bytes", true));
        long fenced = replicas.stream().mapToLong(r -> r.status.fencedWrites()).sum();
        Map<String, Long> byReason = new java.util.TreeMap<>();
        for (Replica r : replicas) {
          r.fenced.forEach((k, n) -> byReason.merge(k, n, Long::sum));
        }
        System.out.printf("fenced writes: %d %s; %s%n", fenced, byReason, shares());
        results.add(new ExtraResult(prefix + "fencedWrites" + apps, fenced, "writes", true));
        byReason.forEach(
            (k, n) ->
                results.add(
                    new ExtraResult(prefix + "fencedWrites" + apps + "." + k, n, "writes", true)));
      }
      double loadAfter = OS.getSystemLoadAverage();
      System.out.printf(
          "load average: %.2f at the start, %.2f at the end (%d cores)%n",
          loadBefore, loadAfter, OS.getAvailableProcessors());
      results.add(new ExtraResult(prefix + "loadAverage" + apps, loadAfter, "load", true));
    } finally {
      for (Replica r : replicas) {
        try {
          r.stdin.close();
        } catch (IOException e) {
          // gone
        }
      }
      for (Replica r : replicas) {
        if (!r.process.waitFor(30, TimeUnit.SECONDS)) {
          r.process.destroyForcibly();
        }
      }
      clusterJvm.getOutputStream().close();
      clusterJvm.destroy();
      deleteQuietly(work);
    }
    if (out != null) {
      ExtraResult.write(out, results);
    }
  }

  private static String name(int i) {
    return String.format("app-%05d", i);
  }

  /** Per replica: apps owned, in sync, takeovers, releases, live replicas it sees. */
  private String shares() {
    StringBuilder b = new StringBuilder();
    for (Replica r : replicas) {
      Status s = r.status;
      b.append(
          String.format(
              "%s %d/%d (takeovers %d, releases %d, sees %d) ",
              r.identity, s.inSync(), s.owned(), s.takeovers(), s.releases(), s.members()));
    }
    return b.toString().trim();
  }

  private int owned() {
    return replicas.stream().mapToInt(r -> r.status.owned()).sum();
  }

  private int inSync() {
    return replicas.stream().mapToInt(r -> r.status.inSync()).sum();
  }

  /** Waits until no replica has an app waiting for a worker, twice a second apart. */
  private void quiet() throws InterruptedException {
    int idle = 0;
    for (int i = 0; i < 600 && idle < 2; i++) {
      idle = replicas.stream().allMatch(r -> r.status.queued() == 0) ? idle + 1 : 0;
      Thread.sleep(1000);
    }
  }

  private void follow(Replica replica) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(
                          replica.process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  String[] w = l.split(" ");
                  if (w[0].equals("READY")) {
                    replica.readyAt = System.currentTimeMillis();
                  } else if (w[0].equals("HEAP") && w.length == 3) {
                    replica.heap.put(w[1], Long.parseLong(w[2]));
                  } else if (w[0].equals("FENCED") && w.length == 2) {
                    Map<String, Long> f = new java.util.TreeMap<>();
                    for (String kv : w[1].split(",")) {
                      String[] p = kv.split("=");
                      f.put(p[0], Long.parseLong(p[1]));
                    }
                    replica.fenced = f;
                  } else if (w[0].equals("STATUS") && w.length == 10) {
                    Status s =
                        new Status(
                            Long.parseLong(w[1]),
                            Integer.parseInt(w[2]),
                            Integer.parseInt(w[3]),
                            Long.parseLong(w[4]),
                            Integer.parseInt(w[5]),
                            Long.parseLong(w[6]),
                            Long.parseLong(w[7]),
                            Long.parseLong(w[8]),
                            Integer.parseInt(w[9]));
                    replica.status = s;
                    if (replica.allInSync == null
                        && s.owned() > 0
                        && s.inSync() == s.owned()
                        && owned() == expectedApps) {
                      replica.allInSync = s;
                    }
                  } else {
                    System.out.println(replica.identity + ": " + l);
                  }
                }
              } catch (IOException | NumberFormatException e) {
                // the process ended
              }
            },
            "output-" + replica.identity);
    reader.setDaemon(true);
    reader.start();
  }

  private static void createApplication(KubernetesClient client, String yaml) {
    client
        .resource(
            client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
        .inNamespace("argocd")
        .create();
  }

  private static void await(BooleanSupplier done, Duration max, String what)
      throws InterruptedException {
    await(done, max, () -> what);
  }

  private static void await(
      BooleanSupplier done, Duration max, java.util.function.Supplier<String> progress)
      throws InterruptedException {
    Waits.until(done, max, Duration.ofMillis(20), progress);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory
    }
  }
}

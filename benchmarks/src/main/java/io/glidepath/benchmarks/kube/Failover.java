package io.glidepath.benchmarks.kube;

import io.glidepath.benchmarks.ExtraResult;
import io.glidepath.kube.shard.ShardAssignment;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Issue 23's failover harness, whole processes: replica JVMs ({@link FailoverReplica}, the default
 * 15 s lease renewed every 5 s) share APPS small apps on one EmbeddedCluster served by this JVM.
 * Measures, in this order:
 *
 * <ol>
 *   <li>join: with three replicas running every app, a fourth starts; the share of the apps that
 *       change hands (claimed by any replica after the join) times the replicas after it (goal: at
 *       most 1.2, i.e. at most 1.2/N of the apps move);
 *   <li>failover, twice: a replica killed with SIGKILL ({@code Process.destroyForcibly()}); the
 *       time from the kill until every app it ran has been reconciled by another replica (goal: at
 *       most the lease duration + 2 s). The larger of the two is the figure. Each kill's line also
 *       gives when the first of those apps was claimed by another replica (the detection) and the
 *       load average.
 * </ol>
 *
 * <p>Times come from the replicas' own reports (epoch milliseconds, one machine's clock).
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.Failover APPS result.json
 * }</pre>
 */
public final class Failover {
  private record Line(long at, String replica, String kind, String app) {}

  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final int apps;
  private String url;

  private Failover(int apps) {
    this.apps = apps;
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Path out = args.length > 1 ? Path.of(args[1]) : null;
    new Failover(apps).run(out);
  }

  private void run(Path out) throws Exception {
    List<ExtraResult> results = new ArrayList<>();
    String prefix = Failover.class.getName() + ".";
    try (EmbeddedCluster cluster = EmbeddedCluster.start()) {
      url = cluster.url();
      cluster
          .client()
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName("apps")
                  .endMetadata()
                  .build())
          .create();
      List<String> live = new ArrayList<>(List.of("replica-0", "replica-1", "replica-2"));
      long started = System.currentTimeMillis();
      for (String r : live) {
        start(r, live.size());
      }
      await(() -> reconciledSince(0).size() == apps, Duration.ofMinutes(3), "every app in sync");
      System.out.printf(
          "%d apps in sync on %s after %.1f s%n",
          apps, live, (System.currentTimeMillis() - started) / 1000.0);

      // a replica joins
      long joined = System.currentTimeMillis();
      live.add("replica-3");
      start("replica-3", live.size());
      Set<String> toNew = owned("replica-3", live);
      await(
          () -> reconciledBy("replica-3", joined).containsAll(toNew),
          Duration.ofMinutes(2),
          "the new replica runs its share");
      Thread.sleep(Duration.ofSeconds(6).toMillis()); // one more renew round: nothing else moves
      Set<String> moved = new TreeSet<>();
      lines.stream()
          .filter(l -> l.kind().equals("CLAIMED") && l.at() >= joined)
          .forEach(l -> moved.add(l.app()));
      double share = moved.size() / (double) apps;
      System.out.printf(
          "join: %d of %d apps moved (%.3f; 1/N = %.3f), the new replica's share %d%n",
          moved.size(), apps, share, 1.0 / live.size(), toNew.size());
      results.add(
          new ExtraResult(prefix + "joinMovedShareTimesN", share * live.size(), "x1/N", true));

      // two kills
      double slowest = 0;
      for (String victim : List.of("replica-1", "replica-2")) {
        Set<String> lost = owned(victim, live);
        long killed = System.currentTimeMillis();
        processes.get(victim).destroyForcibly();
        processes.get(victim).waitFor(10, TimeUnit.SECONDS);
        live.remove(victim);
        await(
            () -> reconciledByOthers(victim, killed).keySet().containsAll(lost),
            Duration.ofMinutes(2),
            "the apps of " + victim + " reconciled by others");
        long last =
            reconciledByOthers(victim, killed).entrySet().stream()
                .filter(e -> lost.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .max()
                .orElse(killed);
        long firstClaim =
            lines.stream()
                .filter(l -> l.kind().equals("CLAIMED") && l.at() >= killed)
                .filter(l -> !l.replica().equals(victim) && lost.contains(l.app()))
                .mapToLong(Line::at)
                .min()
                .orElse(last);
        double seconds = (last - killed) / 1000.0;
        System.out.printf(
            "failover: %s killed, its %d apps claimed by others from %.2f s, all reconciled after"
                + " %.2f s (load average %s)%n",
            victim, lost.size(), (firstClaim - killed) / 1000.0, seconds, loadAverage());
        slowest = Math.max(slowest, seconds);
      }
      results.add(new ExtraResult(prefix + "failoverSeconds", slowest, "s", true));
    } finally {
      for (Process p : processes.values()) {
        if (p.isAlive()) {
          p.getOutputStream().close();
        }
      }
      for (Process p : processes.values()) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    if (out != null) {
      ExtraResult.write(out, results);
    }
  }

  /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "?" where there is none. */
  private static String loadAverage() {
    try {
      String[] w = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
      return w[0] + " " + w[1] + " " + w[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The apps rendezvous hashing gives {@code replica} among {@code live}. */
  private Set<String> owned(String replica, List<String> live) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < apps; i++) {
      String app = FailoverReplica.app(i);
      if (ShardAssignment.rendezvous().owner(app, live).orElseThrow().equals(replica)) {
        out.add(app);
      }
    }
    return out;
  }

  private Set<String> reconciledSince(long since) {
    Set<String> out = new HashSet<>();
    lines.stream()
        .filter(l -> l.kind().equals("RECONCILED") && l.at() >= since)
        .forEach(l -> out.add(l.app()));
    return out;
  }

  private Set<String> reconciledBy(String replica, long since) {
    Set<String> out = new HashSet<>();
    lines.stream()
        .filter(l -> l.kind().equals("RECONCILED") && l.at() >= since)
        .filter(l -> l.replica().equals(replica))
        .forEach(l -> out.add(l.app()));
    return out;
  }

  /** Per app, when another replica than {@code victim} first reconciled it after {@code since}. */
  private Map<String, Long> reconciledByOthers(String victim, long since) {
    Map<String, Long> out = new HashMap<>();
    lines.stream()
        .filter(l -> l.kind().equals("RECONCILED") && l.at() >= since)
        .filter(l -> !l.replica().equals(victim))
        .forEach(l -> out.merge(l.app(), l.at(), Math::min));
    return out;
  }

  private void await(BooleanSupplier done, Duration max, String what) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private void start(String identity, int expected) throws IOException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                FailoverReplica.class.getName(),
                url,
                identity,
                String.valueOf(apps),
                String.valueOf(expected))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    processes.put(identity, p);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  String[] w = l.split(" ");
                  if (w.length >= 3 && (w[1].equals("CLAIMED") || w[1].equals("RECONCILED"))) {
                    lines.add(new Line(Long.parseLong(w[0]), identity, w[1], w[2]));
                  }
                }
              } catch (IOException | NumberFormatException e) {
                // the process ended
              }
            },
            "output-" + identity);
    reader.setDaemon(true);
    reader.start();
  }
}

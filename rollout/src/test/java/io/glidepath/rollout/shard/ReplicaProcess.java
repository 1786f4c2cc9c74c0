package io.glidepath.rollout.shard;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.glidepath.analysis.AnalysisScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.app.Application;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.shard.ReplicaMembership;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutEvent;
import io.glidepath.rollout.driver.RolloutListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

/**
 * One replica of a platform service embedding Glidepath, as a process of its own for the
 * multi-process scale-out tests: a {@link ControllerManager} and a {@link RolloutDriver} sharded
 * over one {@link ReplicaMembership} against the API server at the URL given, every request with
 * the replica's identity as User-Agent. Every replica is given the same {@link Fleet}: APPS apps
 * and ROLLOUTS rollouts (at revision {@code 2}, canaries over a stable revision {@code 1} the test
 * put in place).
 *
 * <pre>{@code
 * java -cp TEST_CLASSPATH io.glidepath.rollout.shard.ReplicaProcess \
 *     URL IDENTITY APPS ROLLOUTS LEASE_MS RENEW_MS PAUSE_SECONDS EXPECTED_MEMBERS
 * }</pre>
 *
 * <p>It waits until it sees EXPECTED_MEMBERS live replicas (so that the group does not start by
 * moving every item around), then starts and prints {@code READY}; it reports on standard output,
 * one line each, {@code <epoch ms> CLAIMED <item> <taken over>}, {@code <epoch ms> RECONCILED <app>
 * <in sync>} and {@code <epoch ms> ROLLOUT <rollout> <event type> <step index>}. It shuts down
 * gracefully (releasing its items) when its standard input closes; a test kills it with {@code
 * Process.destroyForcibly()} (SIGKILL) to see it die without releasing anything.
 */
public final class ReplicaProcess {
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private ReplicaProcess() {}

  static synchronized void report(String line) {
    OUT.println(System.currentTimeMillis() + " " + line);
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String identity = args[1];
    int apps = Integer.parseInt(args[2]);
    int rollouts = Integer.parseInt(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    Duration renew = Duration.ofMillis(Long.parseLong(args[5]));
    int pauseSeconds = Integer.parseInt(args[6]);
    int expectedMembers = Integer.parseInt(args[7]);

    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .withRequestTimeout((int) lease.toMillis())
            .withConnectionTimeout((int) lease.toMillis())
            .build();
    config.setUserAgent(identity);
    KubeCluster kube = KubeCluster.connect(config, RequestRetry.NONE);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    ReplicaMembership membership =
        ReplicaMembership.builder(kube, "default", Fleet.GROUP)
            .identity(identity)
            .timing(lease, renew)
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (membership.members().size() < expectedMembers && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    List<Application> fed =
        IntStream.range(0, apps).mapToObj(i -> Fleet.application(Fleet.app(i))).toList();
    ControllerManager manager =
        ControllerManager.builder(kube)
            .sources(app -> () -> Fleet.desired(app))
            .feed(ApplicationFeed.of(fed))
            .workers(2)
            .resyncPeriod(Duration.ofMinutes(30))
            .statusNamespace("default")
            .listener(
                new ControllerListener() {
                  @Override
                  public void reconciled(AppStatus status) {
                    report("RECONCILED " + status.app() + " " + status.inSync());
                  }

                  @Override
                  public void claimed(String app, boolean takenOver) {
                    report("CLAIMED " + app + " " + takenOver);
                  }
                })
            .sharding(membership)
            .build();
    ScheduledExecutorService executor =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "rollouts-" + identity);
              t.setDaemon(true);
              return t;
            });
    RolloutDriver driver =
        RolloutDriver.builder(RolloutCluster.kubernetes(client))
            .providers(MetricProviders.of(Fleet.metrics()))
            .scheduler(AnalysisScheduler.of(executor, Clock.systemUTC()))
            .leaseDuration(lease)
            .pollInterval(Duration.ofMillis(500))
            .listener(
                new RolloutListener() {
                  @Override
                  public void onEvent(RolloutEvent e) {
                    report("ROLLOUT " + e.rollout() + " " + e.type() + " " + e.stepIndex());
                  }
                })
            .sharding(membership)
            .build();
    manager.start();
    for (int i = 0; i < rollouts; i++) {
      driver.offer(Fleet.plan(Fleet.rollout(i), "2", pauseSeconds));
    }
    report("READY " + membership.members());
    executor.scheduleWithFixedDelay(
        () ->
            report(
                "STATE alive="
                    + membership.alive()
                    + " members="
                    + String.join(",", membership.members())
                    + " apps="
                    + manager.apps().size()
                    + " rollouts="
                    + driver.shardStats().map(s -> s.owned()).orElse(-1)),
        1,
        1,
        java.util.concurrent.TimeUnit.SECONDS);

    waitForStdinToClose();
    driver.close();
    manager.close();
    membership.close();
    executor.shutdownNow();
    client.close();
    kube.close();
    report("STOPPED");
    System.exit(0);
  }

  private static void waitForStdinToClose() {
    try {
      while (System.in.read() >= 0) {
        // the parent keeps the pipe open while it wants this replica
      }
    } catch (IOException e) {
      // the parent is gone
    }
  }
}

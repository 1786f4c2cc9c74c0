package io.glidepath.benchmarks.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationFeed;
import io.glidepath.kube.controller.ControllerListener;
import io.glidepath.kube.controller.ControllerManager;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.shard.ReplicaMembership;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One replica of a platform service for {@link Failover}: a {@link ControllerManager} sharded over
 * a {@link ReplicaMembership} with the default lease (15 s, renewed every 5 s), APPS small
 * plain-YAML apps (one ConfigMap each, rendered in memory), every request with the replica's
 * identity as User-Agent. Waits until it sees EXPECTED live replicas, then prints {@code READY};
 * reports {@code <epoch ms> CLAIMED <app>} and {@code <epoch ms> RECONCILED <app> <in sync>}, one
 * line each. Stops gracefully when its standard input closes.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.kube.FailoverReplica \
 *     URL IDENTITY APPS EXPECTED
 * }</pre>
 */
public final class FailoverReplica {
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private FailoverReplica() {}

  private static synchronized void report(String line) {
    OUT.println(System.currentTimeMillis() + " " + line);
  }

  static String app(int i) {
    return String.format("app-%05d", i);
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String identity = args[1];
    int apps = Integer.parseInt(args[2]);
    int expected = Integer.parseInt(args[3]);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .build();
    config.setUserAgent(identity);
    try (KubeCluster kube = KubeCluster.connect(config, RequestRetry.DEFAULT);
        ReplicaMembership membership =
            ReplicaMembership.builder(kube, "default", "glidepath").identity(identity).start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (membership.members().size() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      List<Application> fed = IntStream.range(0, apps).mapToObj(i -> application(app(i))).toList();
      try (ControllerManager manager =
          ControllerManager.builder(kube)
              .sources(app -> () -> desired(app))
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
                      report("CLAIMED " + app);
                    }
                  })
              .sharding(membership)
              .build()) {
        manager.start();
        report("READY " + membership.members());
        try {
          while (System.in.read() >= 0) {
            // until the harness closes the pipe
          }
        } catch (IOException e) {
          // the harness is gone
        }
      }
    }
    System.exit(0);
  }

  private static Application application(String name) {
    return Application.parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://git.example/configs.git", targetRevision: main, path: apps/%1$s}
          destination: {server: "https://kubernetes.default.svc", namespace: apps}
          syncPolicy: {automated: {prune: true}}
        """
            .formatted(name),
        name + ".yaml");
  }

  private static DesiredState desired(Application app) {
    String yaml =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: apps}\ndata: {LEVEL: info}\n"
            .formatted(app.name());
    return new DesiredState("r1", ResourceSet.of(Yaml.readResources(yaml, app.name() + ".yaml")));
  }
}

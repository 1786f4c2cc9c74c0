package io.glidepath.rollout.driver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An EmbeddedCluster with a manual controller, driven in lockstep with a virtual scheduler. */
final class ClusterFixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  final VirtualScheduler scheduler = VirtualScheduler.at(T0);
  final EmbeddedCluster cluster;
  final KubernetesClient client;

  ClusterFixture() {
    cluster = EmbeddedCluster.builder().manualController().start();
    client = cluster.client();
  }

  /** Workloads become ready {@code readyDelay} after they change, on the scheduler's time. */
  ClusterFixture(Duration readyDelay) {
    Clock virtual =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return scheduler.now();
          }
        };
    cluster =
        EmbeddedCluster.builder().manualController().clock(virtual).readyDelay(readyDelay).start();
    client = cluster.client();
  }

  /** A driver builder on this cluster: its routers, the scheduler, scenario {@code scenario}. */
  RolloutDriver.Builder driver(String scenario) {
    return RolloutDriver.builder(RolloutCluster.kubernetes(client))
        .routers(p -> TrafficRouter.forPlan(client, p))
        .providers(
            MetricProviders.of(Scenario.named(scenario).provider("prometheus", scheduler.now())))
        .scheduler(scheduler);
  }

  void create(String yaml) {
    for (var doc : Yaml.readDocuments(yaml, "fixture.yaml")) {
      Kube.create(client, (ObjectNode) doc.content());
    }
  }

  void namespace(String name) {
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n");
  }

  void service(String namespace, String name, String app) {
    create(
        "apiVersion: v1\nkind: Service\nmetadata: {name: "
            + name
            + ", namespace: "
            + namespace
            + "}\nspec:\n  selector: {app: "
            + app
            + "}\n  ports: [{port: 80, targetPort: 8080}]\n");
  }

  Optional<ObjectNode> get(String apiVersion, String kind, String namespace, String name) {
    return Kube.get(client, apiVersion, kind, namespace, name);
  }

  int available(String namespace, String rs) {
    return get("apps/v1", "ReplicaSet", namespace, rs)
        .map(o -> o.path("status").path("availableReplicas").asInt())
        .orElse(0);
  }

  int replicas(String namespace, String rs) {
    return get("apps/v1", "ReplicaSet", namespace, rs)
        .map(o -> o.path("spec").path("replicas").asInt())
        .orElse(-1);
  }

  String selectorHash(String namespace, String service) {
    return get("v1", "Service", namespace, service)
        .map(o -> o.path("spec").path("selector").path("rollouts-pod-template-hash").asString(""))
        .orElse("");
  }

  /** Runs the cluster's controller and the scheduler second by second for {@code d}. */
  void drive(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      cluster.reconcile();
      scheduler.advance(Duration.ofSeconds(1));
    }
    cluster.reconcile();
  }

  /** Drives until {@code done} holds, at most {@code max}. */
  boolean driveUntil(BooleanSupplier done, Duration max) {
    for (long s = 0; s < max.toSeconds(); s++) {
      if (done.getAsBoolean()) {
        return true;
      }
      cluster.reconcile();
      scheduler.advance(Duration.ofSeconds(1));
    }
    return done.getAsBoolean();
  }

  static int weightOf(JsonNode vs, String host) {
    for (JsonNode route : vs.path("spec").path("http")) {
      for (JsonNode d : route.path("route")) {
        if (host.equals(d.path("destination").path("host").asString())) {
          return d.path("weight").asInt();
        }
      }
    }
    return -1;
  }

  @Override
  public void close() {
    cluster.close();
  }
}

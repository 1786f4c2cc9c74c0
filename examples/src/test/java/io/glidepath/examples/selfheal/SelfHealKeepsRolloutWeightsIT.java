package io.glidepath.examples.selfheal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.driver.Rollout;
import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.driver.RolloutDriver;
import io.glidepath.rollout.driver.RolloutPhase;
import io.glidepath.rollout.traffic.TrafficRouter;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ApplicationController (selfHeal on) and the RolloutDriver on one cluster: the weights the
 * driver writes into the Git-managed VirtualService are not drift (the driver's field manager owns
 * them, and it is not a manual-edit manager), while a {@code kubectl edit} of the same weights is.
 */
class SelfHealKeepsRolloutWeightsIT {
  private static final String NS = "production";

  private static final String APP =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata: {name: trade-service, namespace: argocd}
      spec:
        project: default
        source: {repoURL: "https://git.example.com/org/gitops-configs.git", path: apps/trade-service}
        destination: {server: "https://kubernetes.default.svc", namespace: production}
        syncPolicy:
          automated: {prune: true, selfHeal: true}
          syncOptions: [CreateNamespace=true, ServerSideApply=true]
      """;

  // what Git declares: the mesh routes everything to the stable version
  private static final String RENDERED =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: trade-service-stable}
      spec:
        selector: {app: trade-service}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: trade-service-canary}
      spec:
        selector: {app: trade-service}
        ports: [{port: 80, targetPort: 8080}]
      ---
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata: {name: trade-service-vs}
      spec:
        hosts: [trade-service]
        http:
          - name: primary
            route:
              - destination: {host: trade-service-stable}
                weight: 100
              - destination: {host: trade-service-canary}
                weight: 0
      """;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded = EmbeddedCluster.builder().manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  // the driver's own client, with the User-Agent of a kubectl wrapper: before the driver named its
  // field manager, the API server named it after this ("kubectl", a manual-edit manager), and
  // selfHeal reverted every weight the driver wrote
  private final KubernetesClient client =
      new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(embedded.config()).withUserAgent("kubectl/v1.31.0").build())
          .build();
  private final VirtualScheduler scheduler = VirtualScheduler.at(clock.instant());

  @AfterEach
  void close() {
    client.close();
    cluster.close();
    embedded.close();
  }

  private ApplicationController controller() {
    SyncEngine engine =
        SyncEngine.builder(cluster)
            .clock(clock)
            .sleeper(
                d -> {
                  clock.advance(d);
                  embedded.reconcile();
                })
            .build();
    DesiredState desired =
        new DesiredState("rev-1", ResourceSet.of(Yaml.readResources(RENDERED, "rendered.yaml")));
    return ApplicationController.builder(Application.parse(APP, "app.yaml"), cluster, () -> desired)
        .engine(engine)
        .clock(clock)
        .statusNamespace("default")
        .projects(ProjectSource.defaults())
        .build();
  }

  private static CanaryPlan plan(String image) {
    ObjectNode template =
        (ObjectNode)
            Yaml.readTree(
                "metadata: {labels: {app: trade-service}}\n"
                    + "spec: {containers: [{name: app, image: \""
                    + image
                    + "\"}]}\n",
                "template.yaml");
    return CanaryPlan.builder("trade-service")
        .namespace(NS)
        .replicas(2)
        .podTemplate(template)
        .canaryService("trade-service-canary")
        .stableService("trade-service-stable")
        .trafficRouting(new TrafficRouting.Istio("trade-service-vs", List.of("primary")))
        .setWeight(30)
        .pause()
        .build();
  }

  private JsonNode virtualService() {
    return cluster
        .get(new ResourceKey("networking.istio.io", "VirtualService", NS, "trade-service-vs"))
        .orElseThrow()
        .body();
  }

  private static int weight(JsonNode vs, String host) {
    for (JsonNode d : vs.at("/spec/http/0/route")) {
      if (d.at("/destination/host").asString().equals(host)) {
        return d.path("weight").asInt();
      }
    }
    return -1;
  }

  private static List<String> managers(JsonNode object) {
    List<String> out = new java.util.ArrayList<>();
    object.at("/metadata/managedFields").forEach(m -> out.add(m.path("manager").asString()));
    return out;
  }

  private List<RecordedCall> virtualServiceWrites() {
    return embedded.writes().stream().filter(c -> c.kind().equals("VirtualService")).toList();
  }

  private void driveUntil(java.util.function.BooleanSupplier done) {
    for (int s = 0; s < 60 && !done.getAsBoolean(); s++) {
      embedded.reconcile();
      scheduler.advance(Duration.ofSeconds(1));
    }
    assertThat(done.getAsBoolean()).isTrue();
  }

  @Test
  void selfHealLeavesTheDriversWeightsAloneButRevertsAManualEditOfThem() {
    ApplicationController controller = controller();
    AppStatus first = controller.reconcile();
    assertThat(first.synced()).as(first.message()).isTrue();

    try (RolloutDriver driver =
        RolloutDriver.builder(RolloutCluster.kubernetes(client))
            .routers(p -> TrafficRouter.forPlan(client, p))
            .scheduler(scheduler)
            .identity("driver-1")
            .build()) {
      Rollout v1 = driver.start(plan("trade-service:1"));
      driveUntil(() -> v1.status().isPromoted());
      Rollout v2 = driver.start(plan("trade-service:2"));
      driveUntil(() -> v2.status().phase() == RolloutPhase.PAUSED);
      assertThat(weight(virtualService(), "trade-service-canary")).isEqualTo(30);
      assertThat(weight(virtualService(), "trade-service-stable")).isEqualTo(70);
      assertThat(managers(virtualService())).contains(RolloutDriver.FIELD_MANAGER, "glidepath");

      // a self-heal reconcile after the weight change: in sync, nothing written to the mesh
      embedded.clearRequests();
      AppStatus afterWeight = controller.reconcile();
      assertThat(afterWeight.inSync()).as(afterWeight.message()).isTrue();
      assertThat(afterWeight.synced()).isFalse();
      assertThat(virtualServiceWrites()).isEmpty();
      assertThat(weight(virtualService(), "trade-service-canary")).isEqualTo(30);

      // kubectl edit of the same weights: drift, reverted to what Git declares
      client
          .genericKubernetesResources("networking.istio.io/v1beta1", "VirtualService")
          .inNamespace(NS)
          .withName("trade-service-vs")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON)
                  .withFieldManager("kubectl-edit")
                  .build(),
              "[{\"op\":\"replace\",\"path\":\"/spec/http/0/route/0/weight\",\"value\":50},"
                  + "{\"op\":\"replace\",\"path\":\"/spec/http/0/route/1/weight\",\"value\":50}]");
      AppStatus healed = controller.reconcile();
      assertThat(healed.synced()).as(healed.message()).isTrue();
      assertThat(weight(virtualService(), "trade-service-stable")).isEqualTo(100);
      assertThat(weight(virtualService(), "trade-service-canary")).isZero();
    }
  }
}

package io.glidepath.rollout.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.traffic.NginxRouter;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TrafficRoutersIT {
  private static final RouteTarget TARGET =
      new RouteTarget("default", "web", "web-canary", "web-stable");

  private static EmbeddedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.builder().manualController().start();
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void create(String yaml) {
    Kube.create(client, (ObjectNode) Yaml.readTree(yaml, "fixture.yaml"));
  }

  private static JsonNode get(String apiVersion, String kind, String name) {
    return Kube.get(client, apiVersion, kind, "default", name).orElseThrow();
  }

  private static void virtualService(String name) {
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: %s, namespace: default}
        spec:
          hosts: [web]
          http:
            - name: primary
              route:
                - destination: {host: web-stable.default.svc.cluster.local}
                  weight: 100
                - destination: {host: web-canary}
                  weight: 0
            - name: other
              route:
                - destination: {host: other}
        """
            .formatted(name));
  }

  @Test
  void istioSetsWeightsOnTheNamedRouteAndLeavesOthersAlone() {
    virtualService("vs-weights");
    TrafficRouter router =
        TrafficRouter.istio(client, new TrafficRouting.Istio("vs-weights", List.of("primary")));
    router.setWeight(TARGET, 30);
    JsonNode http =
        get("networking.istio.io/v1beta1", "VirtualService", "vs-weights")
            .path("spec")
            .path("http");
    assertThat(http.get(0).path("route").get(0).path("weight").asInt()).isEqualTo(70);
    assertThat(http.get(0).path("route").get(1).path("weight").asInt()).isEqualTo(30);
    assertThat(http.get(1).path("route").get(0).has("weight")).isFalse();
  }

  @Test
  void maxTrafficWeightIsTheTotalEveryRouterWrites() {
    // Argo's trafficRouting.maxTrafficWeight 1000: the canary gets its weight out of 1000 and the
    // stable the rest; NGINX is told the total with canary-weight-total
    RouteTarget thousand = new RouteTarget("default", "web", "web-canary", "web-stable", 1000);
    virtualService("vs-max-weight");
    TrafficRouter.istio(client, new TrafficRouting.Istio("vs-max-weight", List.of("primary")))
        .setWeight(thousand, 200);
    JsonNode route =
        get("networking.istio.io/v1beta1", "VirtualService", "vs-max-weight")
            .at("/spec/http/0/route");
    assertThat(route.get(0).path("weight").asInt()).isEqualTo(800);
    assertThat(route.get(1).path("weight").asInt()).isEqualTo(200);

    TrafficRouter.smi(client, new TrafficRouting.Smi("web", "web-split-max"))
        .setWeight(thousand, 5);
    JsonNode backends =
        get("split.smi-spec.io/v1alpha2", "TrafficSplit", "web-split-max").at("/spec/backends");
    assertThat(backends.get(0).path("weight").asInt()).isEqualTo(5);
    assertThat(backends.get(1).path("weight").asInt()).isEqualTo(995);

    create(
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web-max-ingress, namespace: default}
        spec:
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web-stable, port: {number: 80}}}
        """);
    TrafficRouter nginx = TrafficRouter.nginx(client, new TrafficRouting.Nginx("web-max-ingress"));
    nginx.setWeight(thousand, 250);
    JsonNode annotations =
        get(
                "networking.k8s.io/v1",
                "Ingress",
                NginxRouter.canaryIngressName("web", "web-max-ingress"))
            .at("/metadata/annotations");
    assertThat(annotations.path("nginx.ingress.kubernetes.io/canary-weight").asString())
        .isEqualTo("250");
    assertThat(annotations.path("nginx.ingress.kubernetes.io/canary-weight-total").asString())
        .isEqualTo("1000");
    // back to a total of 100: the total annotation goes
    nginx.setWeight(TARGET, 25);
    assertThat(
            get(
                    "networking.k8s.io/v1",
                    "Ingress",
                    NginxRouter.canaryIngressName("web", "web-max-ingress"))
                .at("/metadata/annotations")
                .has("nginx.ingress.kubernetes.io/canary-weight-total"))
        .isFalse();
  }

  @Test
  void istioRejectsAMissingRoute() {
    virtualService("vs-missing");
    TrafficRouter router =
        TrafficRouter.istio(client, new TrafficRouting.Istio("vs-missing", List.of("canary")));
    assertThatThrownBy(() -> router.setWeight(TARGET, 10))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("has no HTTP route named 'canary'");
  }

  @Test
  void istioDetectsAnUpdateThatSilentlyDidNothing() {
    virtualService("vs-silent");
    TrafficRouter router =
        TrafficRouter.istio(
            SilentUpdates.wrap(client), new TrafficRouting.Istio("vs-silent", List.of("primary")));
    assertThatThrownBy(() -> router.setWeight(TARGET, 50))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("does not carry the weights written");
  }

  private static int weight(String vs, String host) {
    for (JsonNode route :
        get("networking.istio.io/v1beta1", "VirtualService", vs).path("spec").path("http")) {
      for (JsonNode d : route.path("route")) {
        if (d.path("destination").path("host").asString().startsWith(host)) {
          return d.path("weight").asInt();
        }
      }
    }
    return -1;
  }

  private static TrafficRouting.Istio twoVirtualServices(String a, String b) {
    return new TrafficRouting.Istio(
        List.of(
            new TrafficRouting.Istio.VirtualService(a, List.of("primary")),
            new TrafficRouting.Istio.VirtualService(b, List.of("primary"))));
  }

  @Test
  void istioSetsTheWeightOnEveryVirtualServiceAndReadsEachBack() {
    virtualService("vs-multi-a");
    virtualService("vs-multi-b");
    TrafficRouter router =
        TrafficRouter.istio(client, twoVirtualServices("vs-multi-a", "vs-multi-b"));
    router.setWeight(TARGET, 30);
    for (String vs : List.of("vs-multi-a", "vs-multi-b")) {
      assertThat(weight(vs, "web-canary")).as(vs).isEqualTo(30);
      assertThat(weight(vs, "web-stable")).as(vs).isEqualTo(70);
    }
    router.setHeaderRoute(
        TARGET,
        new CanaryStep.SetHeaderRoute(
            "beta", List.of(new CanaryStep.HeaderMatch("x-beta", "exact", "yes"))));
    for (String vs : List.of("vs-multi-a", "vs-multi-b")) {
      assertThat(
              get("networking.istio.io/v1beta1", "VirtualService", vs)
                  .path("spec")
                  .path("http")
                  .get(0)
                  .path("name")
                  .asString())
          .as(vs)
          .isEqualTo("beta");
    }
  }

  @Test
  void aVirtualServiceWithoutTheRouteFailsBeforeAnyIsWritten() {
    virtualService("vs-pre-a");
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs-pre-b, namespace: default}
        spec:
          hosts: [web]
          http:
            - name: other
              route:
                - destination: {host: web-stable}
        """);
    TrafficRouter router = TrafficRouter.istio(client, twoVirtualServices("vs-pre-a", "vs-pre-b"));
    assertThatThrownBy(() -> router.setWeight(TARGET, 40))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("VirtualService default/vs-pre-b: has no HTTP route named 'primary'")
        .hasMessageContaining("no VirtualService was changed");
    assertThat(weight("vs-pre-a", "web-canary")).isZero();
    assertThat(weight("vs-pre-a", "web-stable")).isEqualTo(100);
  }

  @Test
  void aFailedWriteRollsBackTheVirtualServicesAlreadyWritten() {
    virtualService("vs-rb-a");
    virtualService("vs-rb-b");
    TrafficRouter router =
        TrafficRouter.istio(
            SilentUpdates.failing(client, "vs-rb-b"), twoVirtualServices("vs-rb-a", "vs-rb-b"));
    assertThatThrownBy(() -> router.setWeight(TARGET, 40))
        .isInstanceOf(TrafficRoutingException.class)
        .satisfies(
            e ->
                assertThat(((TrafficRoutingException) e).object())
                    .isEqualTo("VirtualService default/vs-rb-b"))
        .hasMessageContaining("update failed")
        .hasMessageContaining("rolled back vs-rb-a");
    for (String vs : List.of("vs-rb-a", "vs-rb-b")) {
      assertThat(weight(vs, "web-canary")).as(vs).isZero();
      assertThat(weight(vs, "web-stable")).as(vs).isEqualTo(100);
    }
  }

  @Test
  void istioSubsetRoutingSetsSubsetWeightsAndPinsTheSubsetsToTheRevisions() {
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs-subsets, namespace: default}
        spec:
          hosts: [web]
          http:
            - name: primary
              route:
                - destination: {host: web, subset: stable}
                  weight: 100
                - destination: {host: web, subset: canary}
                  weight: 0
        """);
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: web-dr, namespace: default}
        spec:
          host: web
          subsets:
            - name: canary
              labels: {app: web}
            - name: stable
              labels: {app: web}
        """);
    TrafficRouter router =
        TrafficRouter.istio(
            client,
            new TrafficRouting.Istio(
                List.of(new TrafficRouting.Istio.VirtualService("vs-subsets", List.of("primary"))),
                java.util.Optional.of(
                    new TrafficRouting.Istio.DestinationRule("web-dr", "canary", "stable"))));
    RouteTarget noServices = new RouteTarget("default", "web", "", "");
    router.pinRevisions(noServices, "abc123", "def456");
    router.setWeight(noServices, 25);
    JsonNode route =
        get("networking.istio.io/v1beta1", "VirtualService", "vs-subsets").at("/spec/http/0/route");
    assertThat(route.get(0).path("weight").asInt()).isEqualTo(75);
    assertThat(route.get(1).path("weight").asInt()).isEqualTo(25);
    JsonNode subsets =
        get("networking.istio.io/v1beta1", "DestinationRule", "web-dr").at("/spec/subsets");
    assertThat(subsets.get(0).at("/labels/rollouts-pod-template-hash").asString())
        .isEqualTo("abc123");
    assertThat(subsets.get(1).at("/labels/rollouts-pod-template-hash").asString())
        .isEqualTo("def456");
    assertThat(subsets.get(1).at("/labels/app").asString()).isEqualTo("web");
  }

  @Test
  void istioAddsAndRemovesHeaderAndMirrorRoutes() {
    virtualService("vs-routes");
    TrafficRouter router =
        TrafficRouter.istio(client, new TrafficRouting.Istio("vs-routes", List.of("primary")));
    router.setHeaderRoute(
        TARGET,
        new CanaryStep.SetHeaderRoute(
            "beta", List.of(new CanaryStep.HeaderMatch("x-beta", "exact", "yes"))));
    router.setMirrorRoute(
        TARGET,
        new CanaryStep.SetMirrorRoute(
            "mirror", 20, List.of(Map.of("method", Map.of("exact", "GET")))));
    JsonNode http =
        get("networking.istio.io/v1beta1", "VirtualService", "vs-routes").path("spec").path("http");
    assertThat(http.get(0).path("name").asString()).isEqualTo("mirror");
    assertThat(http.get(0).path("mirror").path("host").asString()).isEqualTo("web-canary");
    assertThat(http.get(0).path("mirrorPercentage").path("value").asInt()).isEqualTo(20);
    assertThat(http.get(1).path("name").asString()).isEqualTo("beta");
    assertThat(
            http.get(1)
                .path("match")
                .get(0)
                .path("headers")
                .path("x-beta")
                .path("exact")
                .asString())
        .isEqualTo("yes");
    router.setHeaderRoute(TARGET, new CanaryStep.SetHeaderRoute("beta", List.of()));
    http =
        get("networking.istio.io/v1beta1", "VirtualService", "vs-routes").path("spec").path("http");
    assertThat(http)
        .extracting(n -> n.path("name").asString())
        .containsExactly("mirror", "primary", "other");
  }

  @Test
  void gatewayApiSetsBackendRefWeights() {
    create(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web-route, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
            - backendRefs:
                - {name: web-stable, port: 80, weight: 100}
                - {name: web-canary, port: 80, weight: 0}
        """);
    TrafficRouter.gatewayApi(client, new TrafficRouting.GatewayApi("web-route"))
        .setWeight(TARGET, 25);
    JsonNode refs =
        get("gateway.networking.k8s.io/v1", "HTTPRoute", "web-route")
            .path("spec")
            .path("rules")
            .get(0)
            .path("backendRefs");
    assertThat(refs.get(0).path("weight").asInt()).isEqualTo(75);
    assertThat(refs.get(1).path("weight").asInt()).isEqualTo(25);
  }

  @Test
  void nginxGeneratesACanaryIngressWithTheWeightAnnotation() {
    create(
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web-ingress, namespace: default}
        spec:
          ingressClassName: nginx
          rules:
            - host: web.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web-stable, port: {number: 80}}}
        """);
    TrafficRouter router = TrafficRouter.nginx(client, new TrafficRouting.Nginx("web-ingress"));
    router.setWeight(TARGET, 10);
    router.setWeight(TARGET, 40);
    JsonNode canary =
        get("networking.k8s.io/v1", "Ingress", NginxRouter.canaryIngressName("web", "web-ingress"));
    assertThat(
            canary
                .path("metadata")
                .path("annotations")
                .path("nginx.ingress.kubernetes.io/canary")
                .asString())
        .isEqualTo("true");
    assertThat(
            canary
                .path("metadata")
                .path("annotations")
                .path("nginx.ingress.kubernetes.io/canary-weight")
                .asString())
        .isEqualTo("40");
    assertThat(
            canary
                .path("spec")
                .path("rules")
                .get(0)
                .path("http")
                .path("paths")
                .get(0)
                .path("backend")
                .path("service")
                .path("name")
                .asString())
        .isEqualTo("web-canary");
    // the stable Ingress is untouched
    assertThat(
            get("networking.k8s.io/v1", "Ingress", "web-ingress")
                .path("spec")
                .path("rules")
                .get(0)
                .path("http")
                .path("paths")
                .get(0)
                .path("backend")
                .path("service")
                .path("name")
                .asString())
        .isEqualTo("web-stable");
  }

  @Test
  void smiCreatesAndUpdatesTheTrafficSplit() {
    TrafficRouter router = TrafficRouter.smi(client, new TrafficRouting.Smi("web", "web-split"));
    router.setWeight(TARGET, 20);
    router.setWeight(TARGET, 60);
    JsonNode spec = get("split.smi-spec.io/v1alpha2", "TrafficSplit", "web-split").path("spec");
    assertThat(spec.path("service").asString()).isEqualTo("web");
    assertThat(spec.path("backends").get(0).path("service").asString()).isEqualTo("web-canary");
    assertThat(spec.path("backends").get(0).path("weight").asInt()).isEqualTo(60);
    assertThat(spec.path("backends").get(1).path("weight").asInt()).isEqualTo(40);
  }

  @Test
  void headerRoutesAreRefusedByRoutersWithoutThem() {
    TrafficRouter router = TrafficRouter.smi(client, new TrafficRouting.Smi("web", "web-split-2"));
    assertThatThrownBy(
            () -> router.setHeaderRoute(TARGET, new CanaryStep.SetHeaderRoute("x", List.of())))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("header routes are not supported");
  }
}

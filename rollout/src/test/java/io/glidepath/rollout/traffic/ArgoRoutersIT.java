package io.glidepath.rollout.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.internal.Kube;
import io.glidepath.rollout.internal.traffic.AlbRouter;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routers of ALB, Ambassador, App Mesh, APISIX and Traefik, several routers at once, Istio TLS
 * and TCP routes and NGINX's extra fields, on the EmbeddedCluster: each writes the objects Argo
 * Rollouts writes, in the same shape.
 */
class ArgoRoutersIT {
  static final RouteTarget TARGET = new RouteTarget("default", "web", "web-canary", "web-stable");

  static EmbeddedCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.builder().manualController().start();
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static void create(String yaml) {
    for (var doc : Yaml.readDocuments(yaml, "fixture.yaml")) {
      Kube.create(client, (ObjectNode) doc.content());
    }
  }

  static JsonNode get(String apiVersion, String kind, String name) {
    return Kube.get(client, apiVersion, kind, "default", name).orElseThrow();
  }

  static Optional<ObjectNode> find(String apiVersion, String kind, String name) {
    return Kube.get(client, apiVersion, kind, "default", name);
  }

  static void albIngress(String name, String rootService) {
    create(
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          annotations: {kubernetes.io/ingress.class: alb}
        spec:
          rules:
            - http:
                paths:
                  - path: /*
                    pathType: ImplementationSpecific
                    backend: {service: {name: %s, port: {name: use-annotation}}}
        """
            .formatted(name, rootService));
  }

  @Test
  void albWritesArgosForwardActionAndManagedAnnotationsOnEveryIngress() {
    albIngress("alb-a", "web-root");
    albIngress("alb-b", "web-root");
    TrafficRouter router =
        TrafficRouter.alb(
            client,
            new TrafficRouting.Alb(
                List.of("alb-a", "alb-b"),
                80,
                Optional.of("web-root"),
                TrafficRouting.Alb.DEFAULT_ANNOTATION_PREFIX,
                OptionalLong.of(300)),
            List.of());
    router.setWeight(TARGET, 10);
    for (String ingress : List.of("alb-a", "alb-b")) {
      JsonNode annotations =
          get("networking.k8s.io/v1", "Ingress", ingress).path("metadata").path("annotations");
      assertThat(annotations.path("alb.ingress.kubernetes.io/actions.web-root").asString())
          .isEqualTo(
              "{\"Type\":\"forward\",\"ForwardConfig\":{\"TargetGroups\":["
                  + "{\"ServiceName\":\"web-canary\",\"ServicePort\":\"80\",\"Weight\":10},"
                  + "{\"ServiceName\":\"web-stable\",\"ServicePort\":\"80\",\"Weight\":90}],"
                  + "\"TargetGroupStickinessConfig\":{\"Enabled\":true,\"DurationSeconds\":300}}}");
      assertThat(annotations.path(AlbRouter.MANAGED_ANNOTATIONS).asString())
          .isEqualTo("{\"web\":[\"alb.ingress.kubernetes.io/actions.web-root\"]}");
      assertThat(annotations.path("kubernetes.io/ingress.class").asString()).isEqualTo("alb");
    }
  }

  @Test
  void albWithoutRootServiceNamesTheActionAfterTheStableServiceAndNeedsItInTheRules() {
    albIngress("alb-stable", "web-stable");
    TrafficRouter router =
        TrafficRouter.alb(client, new TrafficRouting.Alb("alb-stable", 8080), List.of());
    router.setWeight(TARGET, 100);
    assertThat(
            get("networking.k8s.io/v1", "Ingress", "alb-stable")
                .path("metadata")
                .path("annotations")
                .path("alb.ingress.kubernetes.io/actions.web-stable")
                .asString())
        .contains("{\"ServiceName\":\"web-canary\",\"ServicePort\":\"8080\",\"Weight\":100}")
        .contains("{\"ServiceName\":\"web-stable\",\"ServicePort\":\"8080\",\"Weight\":0}");
    albIngress("alb-other", "something-else");
    assertThatThrownBy(
            () ->
                TrafficRouter.alb(client, new TrafficRouting.Alb("alb-other", 80), List.of())
                    .setWeight(TARGET, 10))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("does not have service `web-stable` in rules");
  }

  @Test
  void albHeaderRoutesAreAnActionAConditionAndAPathInManagedRoutesOrder() {
    albIngress("alb-header", "web-root");
    TrafficRouter router =
        TrafficRouter.alb(
            client,
            new TrafficRouting.Alb(
                List.of("alb-header"),
                80,
                Optional.of("web-root"),
                TrafficRouting.Alb.DEFAULT_ANNOTATION_PREFIX,
                OptionalLong.empty()),
            List.of("header-route"));
    router.setWeight(TARGET, 20);
    router.setHeaderRoute(
        TARGET,
        new CanaryStep.SetHeaderRoute(
            "header-route",
            List.of(new CanaryStep.HeaderMatch("Custom-Header", "exact", "Mozilla*"))));
    JsonNode ingress = get("networking.k8s.io/v1", "Ingress", "alb-header");
    JsonNode annotations = ingress.path("metadata").path("annotations");
    assertThat(annotations.path("alb.ingress.kubernetes.io/actions.header-route").asString())
        .isEqualTo(
            "{\"Type\":\"forward\",\"ForwardConfig\":{\"TargetGroups\":["
                + "{\"ServiceName\":\"web-canary\",\"ServicePort\":\"80\",\"Weight\":100}]}}");
    assertThat(annotations.path("alb.ingress.kubernetes.io/conditions.header-route").asString())
        .isEqualTo(
            "[{\"field\":\"http-header\",\"httpHeaderConfig\":"
                + "{\"httpHeaderName\":\"Custom-Header\",\"values\":[\"Mozilla*\"]}}]");
    assertThat(annotations.path(AlbRouter.MANAGED_ANNOTATIONS).asString())
        .isEqualTo(
            "{\"web\":[\"alb.ingress.kubernetes.io/actions.web-root\","
                + "\"alb.ingress.kubernetes.io/actions.header-route\","
                + "\"alb.ingress.kubernetes.io/conditions.header-route\"]}");
    JsonNode paths = ingress.at("/spec/rules/0/http/paths");
    assertThat(paths).hasSize(2);
    assertThat(paths.at("/0/backend/service/name").asString()).isEqualTo("header-route");
    assertThat(paths.at("/0/backend/service/port/name").asString()).isEqualTo("use-annotation");
    assertThat(paths.at("/1/backend/service/name").asString()).isEqualTo("web-root");
    router.setHeaderRoute(TARGET, new CanaryStep.SetHeaderRoute("header-route", List.of()));
    ingress = get("networking.k8s.io/v1", "Ingress", "alb-header");
    assertThat(
            ingress
                .path("metadata")
                .path("annotations")
                .has("alb.ingress.kubernetes.io/actions.header-route"))
        .isFalse();
    assertThat(ingress.at("/spec/rules/0/http/paths")).hasSize(1);
    assertThat(
            ingress
                .path("metadata")
                .path("annotations")
                .path(AlbRouter.MANAGED_ANNOTATIONS)
                .asString())
        .isEqualTo("{\"web\":[\"alb.ingress.kubernetes.io/actions.web-root\"]}");
  }

  @Test
  void ambassadorCreatesUpdatesAndDeletesTheCanaryMapping() {
    create(
        """
        apiVersion: getambassador.io/v2
        kind: Mapping
        metadata: {name: echo, namespace: default, labels: {team: a}}
        spec: {prefix: /echo, service: "echo:8080"}
        """);
    TrafficRouter router =
        TrafficRouter.ambassador(client, new TrafficRouting.Ambassador(List.of("echo")));
    router.setWeight(TARGET, 0);
    assertThat(find("getambassador.io/v2", "Mapping", "echo-canary")).isEmpty();
    router.setWeight(TARGET, 30);
    JsonNode canary = get("getambassador.io/v2", "Mapping", "echo-canary");
    assertThat(canary.path("spec").path("service").asString()).isEqualTo("web-canary:8080");
    assertThat(canary.path("spec").path("weight").asInt()).isEqualTo(30);
    assertThat(canary.path("spec").path("prefix").asString()).isEqualTo("/echo");
    assertThat(canary.path("metadata").has("labels")).isFalse();
    router.setWeight(TARGET, 60);
    assertThat(
            get("getambassador.io/v2", "Mapping", "echo-canary")
                .path("spec")
                .path("weight")
                .asInt())
        .isEqualTo(60);
    router.setWeight(TARGET, 0);
    assertThat(find("getambassador.io/v2", "Mapping", "echo-canary")).isEmpty();
    create(
        """
        apiVersion: getambassador.io/v2
        kind: Mapping
        metadata: {name: weighted, namespace: default}
        spec: {prefix: /w, service: w, weight: 10}
        """);
    assertThatThrownBy(
            () ->
                TrafficRouter.ambassador(client, new TrafficRouting.Ambassador(List.of("weighted")))
                    .setWeight(TARGET, 10))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("Ambassador mapping \"weighted\" can not define weight");
  }

  @Test
  void appMeshWeightsTheVirtualRoutersTargetsAndPinsTheVirtualNodes() {
    create(
        """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualService
        metadata: {name: my-svc, namespace: default}
        spec: {provider: {virtualRouter: {virtualRouterRef: {name: my-vrouter}}}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualRouter
        metadata: {name: my-vrouter, namespace: default}
        spec:
          routes:
            - name: primary
              httpRoute:
                match: {prefix: /}
                action:
                  weightedTargets:
                    - {virtualNodeRef: {name: my-vn-canary}, weight: 0}
                    - {virtualNodeRef: {name: my-vn-stable}, weight: 100}
            - name: raw
              tcpRoute:
                action:
                  weightedTargets:
                    - {virtualNodeRef: {name: my-vn-canary}, weight: 0}
                    - {virtualNodeRef: {name: my-vn-stable}, weight: 100}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: my-vn-canary, namespace: default}
        spec: {podSelector: {matchLabels: {app: my-app, rollouts-pod-template-hash: canary-tbd}}}
        ---
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: my-vn-stable, namespace: default}
        spec: {podSelector: {matchLabels: {app: my-app}}}
        """);
    TrafficRouter router =
        TrafficRouter.appMesh(
            client,
            new TrafficRouting.AppMesh("my-svc", List.of(), "my-vn-canary", "my-vn-stable"));
    router.setWeight(TARGET, 25);
    JsonNode routes =
        get("appmesh.k8s.aws/v1beta2", "VirtualRouter", "my-vrouter").at("/spec/routes");
    assertThat(routes.at("/0/httpRoute/action/weightedTargets/0/weight").asInt()).isEqualTo(25);
    assertThat(routes.at("/0/httpRoute/action/weightedTargets/1/weight").asInt()).isEqualTo(75);
    assertThat(routes.at("/1/tcpRoute/action/weightedTargets/0/weight").asInt()).isEqualTo(25);
    router.pinRevisions(TARGET, "abc123", "def456");
    assertThat(
            get("appmesh.k8s.aws/v1beta2", "VirtualNode", "my-vn-canary")
                .at("/spec/podSelector/matchLabels/rollouts-pod-template-hash")
                .asString())
        .isEqualTo("abc123");
    JsonNode stable = get("appmesh.k8s.aws/v1beta2", "VirtualNode", "my-vn-stable");
    assertThat(stable.at("/spec/podSelector/matchLabels/rollouts-pod-template-hash").asString())
        .isEqualTo("def456");
    assertThat(stable.at("/spec/podSelector/matchLabels/app").asString()).isEqualTo("my-app");
    assertThat(
            stable
                .path("metadata")
                .path("annotations")
                .path("argo-rollouts.argoproj.io/managed-by-rollouts")
                .asString())
        .isEqualTo("web");
    // one revision: the canary node gets a placeholder, as App Mesh refuses equal selectors
    router.pinRevisions(TARGET, "def456", "def456");
    assertThat(
            get("appmesh.k8s.aws/v1beta2", "VirtualNode", "my-vn-canary")
                .at("/spec/podSelector/matchLabels/rollouts-pod-template-hash")
                .asString())
        .isEqualTo("canary-hash");
  }

  @Test
  void apisixWeightsTheRulesBackendsAndMakesAHeaderRouteOfItsOwn() {
    create(
        """
        apiVersion: apisix.apache.org/v2
        kind: ApisixRoute
        metadata: {name: web-route, namespace: default}
        spec:
          http:
            - name: web-rule
              match: {paths: [/*], hosts: [web.local]}
              backends:
                - {serviceName: web-stable, servicePort: 80, weight: 100}
                - {serviceName: web-canary, servicePort: 80, weight: 0}
        """);
    TrafficRouter router =
        TrafficRouter.apisix(client, new TrafficRouting.Apisix("web-route", List.of("web-rule")));
    router.setWeight(TARGET, 40);
    JsonNode backends =
        get("apisix.apache.org/v2", "ApisixRoute", "web-route").at("/spec/http/0/backends");
    assertThat(backends.at("/0/weight").asInt()).isEqualTo(60);
    assertThat(backends.at("/1/weight").asInt()).isEqualTo(40);
    router.setHeaderRoute(
        TARGET,
        new CanaryStep.SetHeaderRoute(
            "set-header",
            List.of(
                new CanaryStep.HeaderMatch("trace", "exact", "debug"),
                new CanaryStep.HeaderMatch("user", "prefix", "beta-"))));
    JsonNode header = get("apisix.apache.org/v2", "ApisixRoute", "set-header");
    JsonNode rule = header.at("/spec/http/0");
    assertThat(rule.path("priority").asInt()).isEqualTo(1);
    assertThat(rule.path("backends")).hasSize(1);
    assertThat(rule.at("/backends/0/serviceName").asString()).isEqualTo("web-canary");
    assertThat(rule.at("/backends/0/weight").asInt()).isEqualTo(100);
    assertThat(rule.at("/match/exprs/0/subject/scope").asString()).isEqualTo("Header");
    assertThat(rule.at("/match/exprs/0/op").asString()).isEqualTo("Equal");
    assertThat(rule.at("/match/exprs/1/op").asString()).isEqualTo("RegexMatch");
    assertThat(rule.at("/match/exprs/1/value").asString()).isEqualTo("^beta-.*");
    assertThat(rule.at("/match/hosts/0").asString()).isEqualTo("web.local");
    router.setHeaderRoute(TARGET, new CanaryStep.SetHeaderRoute("set-header", List.of()));
    assertThat(find("apisix.apache.org/v2", "ApisixRoute", "set-header")).isEmpty();
  }

  @Test
  void traefikWeightsTheWeightedServices() {
    create(
        """
        apiVersion: traefik.containo.us/v1alpha1
        kind: TraefikService
        metadata: {name: web-weighted, namespace: default}
        spec:
          weighted:
            services:
              - {name: web-stable, port: 80}
              - {name: web-canary, port: 80}
        """);
    TrafficRouter.traefik(client, new TrafficRouting.Traefik("web-weighted")).setWeight(TARGET, 35);
    JsonNode services =
        get("traefik.containo.us/v1alpha1", "TraefikService", "web-weighted")
            .at("/spec/weighted/services");
    assertThat(services.at("/0/weight").asInt()).isEqualTo(65);
    assertThat(services.at("/1/weight").asInt()).isEqualTo(35);
    assertThat(services.at("/1/port").asInt()).isEqualTo(80);
  }

  @Test
  void severalRoutersAtOnceGetTheSameWeightAndHeaderRoutesGoWhereTheyExist() {
    create(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web-stable, namespace: default}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web-nginx, namespace: default}
        spec:
          rules:
            - host: web.example
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web-stable, port: {number: 80}}}
        """);
    albIngress("alb-combined", "web-root");
    io.glidepath.rollout.CanaryPlan plan =
        io.glidepath.rollout.CanaryPlan.builder("web")
            .canaryService("web-canary")
            .stableService("web-stable")
            .managedRoute("hdr")
            .trafficRouting(
                new TrafficRouting.Combined(
                    List.of(
                        new TrafficRouting.Nginx("web-nginx"),
                        new TrafficRouting.Alb(
                            List.of("alb-combined"),
                            80,
                            Optional.of("web-root"),
                            TrafficRouting.Alb.DEFAULT_ANNOTATION_PREFIX,
                            OptionalLong.empty()))))
            .setWeight(15)
            .step(
                new CanaryStep.SetHeaderRoute(
                    "hdr", List.of(new CanaryStep.HeaderMatch("x-beta", "exact", "1"))))
            .build();
    TrafficRouter router = TrafficRouter.forPlan(client, plan);
    router.setWeight(TARGET, 15);
    assertThat(
            get("networking.k8s.io/v1", "Ingress", "web-web-nginx-canary")
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight")
                .asString())
        .isEqualTo("15");
    assertThat(
            get("networking.k8s.io/v1", "Ingress", "alb-combined")
                .at("/metadata/annotations/alb.ingress.kubernetes.io~1actions.web-root")
                .asString())
        .contains("\"Weight\":15");
    router.setHeaderRoute(TARGET, (CanaryStep.SetHeaderRoute) plan.steps().get(1));
    assertThat(
            get("networking.k8s.io/v1", "Ingress", "alb-combined")
                .at("/metadata/annotations")
                .has("alb.ingress.kubernetes.io/conditions.hdr"))
        .isTrue();
  }

  @Test
  void istioWeightsTheNamedTlsAndTcpRoutesToo() {
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs-tls, namespace: default}
        spec:
          hosts: [web]
          http:
            - name: primary
              route:
                - {destination: {host: web-stable}, weight: 100}
                - {destination: {host: web-canary}, weight: 0}
          tls:
            - match: [{port: 3000, sniHosts: [web]}]
              route:
                - {destination: {host: web-stable}, weight: 100}
                - {destination: {host: web-canary}, weight: 0}
            - match: [{port: 4000, sniHosts: [other]}]
              route:
                - {destination: {host: web-stable}, weight: 100}
          tcp:
            - match: [{port: 5432}]
              route:
                - {destination: {host: web-stable}, weight: 100}
                - {destination: {host: web-canary}, weight: 0}
        """);
    TrafficRouter router =
        TrafficRouter.istio(
            client,
            new TrafficRouting.Istio(
                List.of(
                    new TrafficRouting.Istio.VirtualService(
                        "vs-tls",
                        List.of("primary"),
                        List.of(new TrafficRouting.Istio.TlsRoute(3000, List.of("web"))),
                        List.of(new TrafficRouting.Istio.TcpRoute(5432))))));
    router.setWeight(TARGET, 10);
    JsonNode spec = get("networking.istio.io/v1beta1", "VirtualService", "vs-tls").path("spec");
    assertThat(spec.at("/http/0/route/1/weight").asInt()).isEqualTo(10);
    assertThat(spec.at("/tls/0/route/0/weight").asInt()).isEqualTo(90);
    assertThat(spec.at("/tls/0/route/1/weight").asInt()).isEqualTo(10);
    assertThat(spec.at("/tls/1/route/0/weight").asInt()).isEqualTo(100);
    assertThat(spec.at("/tcp/0/route/1/weight").asInt()).isEqualTo(10);
    assertThatThrownBy(
            () ->
                TrafficRouter.istio(
                        client,
                        new TrafficRouting.Istio(
                            List.of(
                                new TrafficRouting.Istio.VirtualService(
                                    "vs-tls",
                                    List.of(),
                                    List.of(new TrafficRouting.Istio.TlsRoute(9999, List.of())),
                                    List.of()))))
                    .setWeight(TARGET, 20))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("has no TLS route matching port 9999");
  }

  @Test
  void nginxWritesEveryStableIngresssCanaryWithThePrefixAndExtraAnnotations() {
    for (String name : List.of("ing-1", "ing-2")) {
      create(
          """
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata: {name: %s, namespace: default}
          spec:
            rules:
              - http:
                  paths:
                    - path: /
                      pathType: Prefix
                      backend: {service: {name: web-stable, port: {number: 80}}}
          """
              .formatted(name));
    }
    TrafficRouter router =
        TrafficRouter.nginx(
            client,
            new TrafficRouting.Nginx(
                List.of("ing-1", "ing-2"),
                "custom.nginx.org",
                Map.of("canary-by-header", "X-Canary"),
                Map.of("team.example.com/owner", "web")));
    router.setWeight(TARGET, 5);
    for (String name : List.of("ing-1", "ing-2")) {
      JsonNode canary = get("networking.k8s.io/v1", "Ingress", "web-" + name + "-canary");
      JsonNode a = canary.path("metadata").path("annotations");
      assertThat(a.path("custom.nginx.org/canary").asString()).isEqualTo("true");
      assertThat(a.path("custom.nginx.org/canary-weight").asString()).isEqualTo("5");
      assertThat(a.path("custom.nginx.org/canary-by-header").asString()).isEqualTo("X-Canary");
      assertThat(a.path("team.example.com/owner").asString()).isEqualTo("web");
      assertThat(canary.at("/spec/rules/0/http/paths/0/backend/service/name").asString())
          .isEqualTo("web-canary");
    }
  }

  static final List<WeightDestination> EXPERIMENT =
      List.of(new WeightDestination("web-abc-1-canary", "5d4f", 10));

  @Test
  void istioSendsAnExperimentServiceItsWeightAndTakesItAwayAfterwards() {
    create(
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs-exp, namespace: default}
        spec:
          hosts: [web]
          http:
            - name: primary
              route:
                - {destination: {host: web-stable}, weight: 100}
                - {destination: {host: web-canary}, weight: 0}
        """);
    TrafficRouter router =
        TrafficRouter.istio(
            client,
            new TrafficRouting.Istio(
                List.of(new TrafficRouting.Istio.VirtualService("vs-exp", List.of("primary")))));
    assertThat(router.supportsAdditionalDestinations()).isTrue();
    router.setWeight(TARGET, 20, EXPERIMENT);
    JsonNode route =
        get("networking.istio.io/v1beta1", "VirtualService", "vs-exp").at("/spec/http/0/route");
    assertThat(route.toString())
        .isEqualTo(
            "[{\"destination\":{\"host\":\"web-stable\"},\"weight\":70},"
                + "{\"destination\":{\"host\":\"web-canary\"},\"weight\":20},"
                + "{\"destination\":{\"host\":\"web-abc-1-canary\"},\"weight\":10}]");
    router.setWeight(TARGET, 20, List.of());
    assertThat(
            get("networking.istio.io/v1beta1", "VirtualService", "vs-exp")
                .at("/spec/http/0/route")
                .toString())
        .isEqualTo(
            "[{\"destination\":{\"host\":\"web-stable\"},\"weight\":80},"
                + "{\"destination\":{\"host\":\"web-canary\"},\"weight\":20}]");
  }

  @Test
  void smiAddsTheExperimentServiceAsABackend() {
    TrafficRouter router = TrafficRouter.smi(client, new TrafficRouting.Smi("web", "web-exp"));
    router.setWeight(TARGET, 20, EXPERIMENT);
    assertThat(
            get("split.smi-spec.io/v1alpha2", "TrafficSplit", "web-exp")
                .at("/spec/backends")
                .toString())
        .isEqualTo(
            "[{\"service\":\"web-canary\",\"weight\":20},"
                + "{\"service\":\"web-stable\",\"weight\":70},"
                + "{\"service\":\"web-abc-1-canary\",\"weight\":10}]");
    router.setWeight(TARGET, 20, List.of());
    assertThat(get("split.smi-spec.io/v1alpha2", "TrafficSplit", "web-exp").at("/spec/backends"))
        .hasSize(2);
  }

  @Test
  void albAddsTheExperimentServiceAsATargetGroup() {
    albIngress("alb-exp", "web-root");
    TrafficRouter router =
        TrafficRouter.alb(
            client,
            new TrafficRouting.Alb(
                List.of("alb-exp"),
                80,
                Optional.of("web-root"),
                TrafficRouting.Alb.DEFAULT_ANNOTATION_PREFIX,
                OptionalLong.empty()),
            List.of());
    router.setWeight(TARGET, 20, EXPERIMENT);
    assertThat(
            get("networking.k8s.io/v1", "Ingress", "alb-exp")
                .path("metadata")
                .path("annotations")
                .path("alb.ingress.kubernetes.io/actions.web-root")
                .asString())
        .isEqualTo(
            "{\"Type\":\"forward\",\"ForwardConfig\":{\"TargetGroups\":["
                + "{\"ServiceName\":\"web-canary\",\"ServicePort\":\"80\",\"Weight\":20},"
                + "{\"ServiceName\":\"web-stable\",\"ServicePort\":\"80\",\"Weight\":70},"
                + "{\"ServiceName\":\"web-abc-1-canary\",\"ServicePort\":\"80\",\"Weight\":10}]}}");
  }

  @Test
  void routersWithoutExperimentDestinationsRefuseThem() {
    TrafficRouter router = TrafficRouter.traefik(client, new TrafficRouting.Traefik("web-wrr"));
    assertThat(router.supportsAdditionalDestinations()).isFalse();
    assertThatThrownBy(() -> router.setWeight(TARGET, 20, EXPERIMENT))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageContaining("not supported");
  }
}

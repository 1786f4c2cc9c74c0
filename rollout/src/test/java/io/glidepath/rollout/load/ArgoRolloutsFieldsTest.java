package io.glidepath.rollout.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.rollout.AnalysisRef;
import io.glidepath.rollout.BackgroundAnalysis;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.CanaryStep;
import io.glidepath.rollout.TrafficRouting;
import io.glidepath.rollout.TrafficRouting.Istio;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Each field of a Rollout's canary strategy read from YAML into the model the driver runs: the
 * routers' fields (whose effect on the cluster {@code ArgoRoutersIT} and {@code TrafficRoutersIT}
 * show), the canary's own fields, and the fields accepted without effect.
 */
class ArgoRolloutsFieldsTest {
  private static final String TEMPLATE =
      """
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success}
      spec:
        args: [{name: svc}]
        metrics:
          - name: ok
            provider: {web: {url: "http://{{args.svc}}/healthz"}}
      """;

  private static CanaryPlan canary(String canaryFields) {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          replicas: 4
          revisionHistoryLimit: 3
          analysis: {successfulRunHistoryLimit: 2, unsuccessfulRunHistoryLimit: 1}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy:
            canary:
        %s
        """
                .formatted(canaryFields.strip().indent(6).stripTrailing())
            + TEMPLATE;
    List<CheckedDocument> checked = ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml");
    assertThat(checked.get(0).refusals()).isEmpty();
    return (CanaryPlan) ((ArgoDocument.Rollout) checked.get(0).document().orElseThrow()).spec();
  }

  @Test
  void everyRoutersFieldsAreReadIntoItsRouter() {
    CanaryPlan plan =
        canary(
            """
            canaryService: web-canary
            stableService: web-stable
            trafficRouting:
              istio:
                virtualService:
                  name: web-vs
                  routes: [primary]
                  tlsRoutes: [{port: 443, sniHosts: [web.example.com]}]
                  tcpRoutes: [{port: 8443}]
              nginx:
                stableIngresses: [web-a, web-b]
                annotationPrefix: custom.nginx.org
                additionalIngressAnnotations: {canary-by-header: X-Canary}
                canaryIngressAnnotations: {team: web}
              alb:
                ingresses: [web-alb]
                servicePort: 80
                rootService: web-root
                annotationPrefix: custom.alb.org
                stickinessConfig: {enabled: true, durationSeconds: 3600}
              smi: {rootService: web-root, trafficSplitName: web-split}
              ambassador: {mappings: [web-mapping]}
              appMesh:
                virtualService: {name: web-vsvc, routes: [web-route]}
                virtualNodeGroup:
                  canaryVirtualNodeRef: {name: web-canary-vn}
                  stableVirtualNodeRef: {name: web-stable-vn}
              traefik: {weightedTraefikServiceName: web-wrr}
              apisix: {route: {name: web-route, rules: [rule-a]}}
              plugins:
                argoproj-labs/gatewayAPI: {httpRoute: web-http, namespace: default}
            steps:
              - setWeight: 20
            """);
    assertThat(plan.trafficRouting())
        .contains(
            new TrafficRouting.Combined(
                List.of(
                    new Istio(
                        List.of(
                            new Istio.VirtualService(
                                "web-vs",
                                List.of("primary"),
                                List.of(new Istio.TlsRoute(443, List.of("web.example.com"))),
                                List.of(new Istio.TcpRoute(8443)))),
                        Optional.empty()),
                    new TrafficRouting.Nginx(
                        List.of("web-a", "web-b"),
                        "custom.nginx.org",
                        Map.of("canary-by-header", "X-Canary"),
                        Map.of("team", "web")),
                    new TrafficRouting.Alb(
                        List.of("web-alb"),
                        80,
                        Optional.of("web-root"),
                        "custom.alb.org",
                        OptionalLong.of(3600)),
                    new TrafficRouting.Smi("web-root", "web-split"),
                    new TrafficRouting.Ambassador(List.of("web-mapping")),
                    new TrafficRouting.AppMesh(
                        "web-vsvc", List.of("web-route"), "web-canary-vn", "web-stable-vn"),
                    new TrafficRouting.Traefik("web-wrr"),
                    new TrafficRouting.Apisix("web-route", List.of("rule-a")),
                    new TrafficRouting.GatewayApi("web-http"))));
  }

  @Test
  void istiosDestinationRuleIsReadIntoTheRouter() {
    CanaryPlan plan =
        canary(
            """
            trafficRouting:
              istio:
                virtualServices: [{name: web-vs, routes: [primary]}]
                destinationRule: {name: web-dr, canarySubsetName: next, stableSubsetName: current}
            steps:
              - setWeight: 20
            """);
    assertThat(plan.trafficRouting())
        .contains(
            new Istio(
                List.of(
                    new Istio.VirtualService("web-vs", List.of("primary"), List.of(), List.of())),
                Optional.of(new Istio.DestinationRule("web-dr", "next", "current"))));
  }

  @Test
  void theCanarysOwnFieldsAreRead() {
    CanaryPlan plan =
        canary(
            """
            maxSurge: "50%"
            maxUnavailable: 1
            scaleDownDelaySeconds: 20
            scaleDownDelayRevisionLimit: 1
            abortScaleDownDelaySeconds: 0
            dynamicStableScale: true
            canaryService: web-canary
            stableService: web-stable
            trafficRouting:
              smi: {rootService: web}
            analysis:
              templates: [{templateName: success}]
              startingStep: 1
              args: [{name: svc, value: web}]
              dryRun: [{metricName: ok}]
              measurementRetention: [{metricName: ok, limit: 20}]
              analysisRunMetadata: {labels: {team: web}, annotations: {note: x}}
            steps:
              - setWeight: 20
              - setHeaderRoute:
                  name: h
                  match:
                    - {headerName: X-Canary, headerValue: {prefix: "yes"}}
                    - {headerName: X-Agent, headerValue: {regex: "^curl"}}
              - setMirrorRoute:
                  name: m
                  percentage: 35
                  match: [{method: {exact: GET}, path: {prefix: /api}}]
              - setCanaryScale: {weight: 30}
              - setCanaryScale: {matchTrafficWeight: true}
            """
                .replace(
                    "trafficRouting:\n  smi: {rootService: web}",
                    "trafficRouting:\n  managedRoutes: [{name: h}, {name: m}]\n  istio:"
                        + " {virtualService: {name: vs, routes: [primary]}}"));
    assertThat(plan.maxSurgeReplicas()).isEqualTo(2);
    assertThat(plan.maxUnavailableReplicas()).isEqualTo(1);
    assertThat(plan.scaleDownDelaySeconds()).isEqualTo(20);
    assertThat(plan.scaleDownDelayRevisionLimit()).hasValue(1);
    assertThat(plan.abortScaleDownDelaySeconds()).isZero();
    assertThat(plan.dynamicStableScale()).isTrue();
    assertThat(plan.managedRoutes()).containsExactly("h", "m");
    BackgroundAnalysis background = plan.backgroundAnalysis().orElseThrow();
    assertThat(background.startingStep()).isEqualTo(1);
    AnalysisRef ref = background.analysis();
    assertThat(ref.args()).containsEntry("svc", "web");
    assertThat(ref.dryRun()).containsExactly("ok");
    assertThat(ref.measurementRetention()).hasSize(1);
    assertThat(plan.steps().get(1))
        .isEqualTo(
            new CanaryStep.SetHeaderRoute(
                "h",
                List.of(
                    new CanaryStep.HeaderMatch("X-Canary", "prefix", "yes"),
                    new CanaryStep.HeaderMatch("X-Agent", "regex", "^curl"))));
    assertThat(plan.steps().get(2))
        .isEqualTo(
            new CanaryStep.SetMirrorRoute(
                "m",
                35,
                List.of(
                    Map.of("method", Map.of("exact", "GET"), "path", Map.of("prefix", "/api")))));
    // accepted without effect: Glidepath keeps no AnalysisRun objects
    assertThat(plan.options().successfulRunHistoryLimit()).isEqualTo(2);
    assertThat(plan.options().unsuccessfulRunHistoryLimit()).isEqualTo(1);
    assertThat(plan.options().revisionHistoryLimit()).isEqualTo(3);
  }

  @Test
  void fieldsGlidepathCannotRunAreRefusedNamingTheirPath() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          restartAt: "the first of January"
          selector:
            matchLabels: {app: other}
            matchExpressions: [{key: app, operator: In, values: [web]}]
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy:
            canary:
              canaryService: c
              stableService: s
              trafficRouting:
                maxTrafficWeight: 1000
                alb: {ingress: i, servicePort: 80, servicePorts: [{ingressName: i, servicePorts: [80]}]}
                plugins:
                  argoproj-labs/gatewayAPI: {httpRoute: r, namespace: elsewhere}
                  argoproj-labs/contour: {httpProxy: p}
              steps:
                - plugin: {name: argoproj-labs/sample}
                - analysis:
                    templates: [{templateName: success}]
                    args: [{name: svc, valueFrom: {secretKeyRef: {name: s, key: k}}}]
                - experiment:
                    templates: [{name: e, specRef: canary, weight: 10}]
        """
            + TEMPLATE;
    List<Refusal> refusals =
        ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml").get(0).refusals();
    assertThat(refusals)
        .extracting(Refusal::path)
        .contains(
            "spec.restartAt",
            "spec.selector.matchExpressions",
            "spec.selector.matchLabels.app",
            "spec.strategy.canary.trafficRouting.alb.servicePorts",
            "spec.strategy.canary.trafficRouting.plugins.argoproj-labs/gatewayAPI.namespace",
            "spec.strategy.canary.trafficRouting.plugins.argoproj-labs/contour",
            "spec.strategy.canary.steps[0].plugin",
            "spec.strategy.canary.steps[1].analysis.args[0].valueFrom.secretKeyRef");
    assertThat(refusals).allSatisfy(r -> assertThat(r.at().line()).isPositive());
  }

  @Test
  void anAnalysisRunsTerminateAndTtlStrategyAreRead() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisRun
        metadata: {name: smoke}
        spec:
          terminate: true
          ttlStrategy: {secondsAfterCompletion: 60, secondsAfterFailure: 60, secondsAfterSuccess: 5}
          metrics:
            - name: ok
              provider: {web: {url: "http://web/healthz"}}
        """;
    CheckedDocument c = ArgoRollouts.ofDefaults().checkText(yaml, "run.yaml").get(0);
    assertThat(c.refusals()).isEmpty();
    assertThat(((ArgoDocument.Run) c.document().orElseThrow()).run().terminate()).isTrue();
  }

  @Test
  void serverSetMetadataAndStatusAreAcceptedWithoutEffect() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: web
          uid: 0b7c5c1e-1111-2222-3333-444455556666
          resourceVersion: "123"
          generation: 4
          creationTimestamp: "2024-01-01T00:00:00Z"
          selfLink: /apis/argoproj.io/v1alpha1/namespaces/default/rollouts/web
          managedFields: [{manager: kubectl, operation: Apply}]
          ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: x, uid: y}]
          finalizers: [example.com/keep]
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy: {canary: {steps: [{setWeight: 50}]}}
        status:
          phase: Healthy
          currentPodHash: abc
        """;
    CheckedDocument c = ArgoRollouts.ofDefaults().checkText(yaml, "web.yaml").get(0);
    assertThat(c.refusals()).isEmpty();
  }

  @Test
  void moreFieldsGlidepathCannotRunAreRefused() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy:
            canary:
              canaryService: c
              stableService: s
              trafficRouting:
                plugins:
                  argoproj-labs/gatewayAPI: {httpRoute: r, httpRoutes: [{name: a}], grpcRoute: g, tcpRoute: t}
              steps:
                - experiment:
                    templates:
                      - name: e
                        specRef: canary
                        selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
                        service: {ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: green}
        spec:
          template:
            metadata: {labels: {app: green}}
            spec: {containers: [{name: web, image: "web:1"}]}
          strategy:
            blueGreen:
              activeService: green
              maxUnavailable: 1
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Experiment
        metadata: {name: exp}
        spec:
          templates:
            - name: a
              selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
              service: {name: exp-svc, ports: [{port: 80}]}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "web:1"}]}
          analyses:
            - name: check
              templateName: success
              args: [{name: svc, valueFrom: {podTemplateHashValue: Stable}}]
        """
            + TEMPLATE;
    List<CheckedDocument> checked = ArgoRollouts.ofDefaults().checkText(yaml, "all.yaml");
    assertThat(checked.get(0).refusals())
        .extracting(Refusal::path)
        .contains(
            "spec.strategy.canary.trafficRouting.plugins.argoproj-labs/gatewayAPI.httpRoutes",
            "spec.strategy.canary.trafficRouting.plugins.argoproj-labs/gatewayAPI.grpcRoute",
            "spec.strategy.canary.trafficRouting.plugins.argoproj-labs/gatewayAPI.tcpRoute",
            "spec.strategy.canary.steps[0].experiment.templates[0].selector.matchExpressions",
            "spec.strategy.canary.steps[0].experiment.templates[0].service.ports");
    // blueGreen.maxUnavailable is what a restart (restartAt) takes down at once
    assertThat(checked.get(1).refusals()).isEmpty();
    assertThat(
            ((io.glidepath.rollout.BlueGreenPlan)
                    ((ArgoDocument.Rollout) checked.get(1).document().orElseThrow()).spec())
                .maxUnavailableReplicas())
        .isEqualTo(1);
    assertThat(checked.get(2).refusals())
        .extracting(Refusal::path)
        .containsExactlyInAnyOrder(
            "spec.templates[0].selector.matchExpressions",
            "spec.templates[0].service.ports",
            "spec.analyses[0].args");
    assertThat(checked.get(2).refusals())
        .filteredOn(r -> r.path().endsWith("service.ports"))
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("the pod template's container ports"));
  }
}

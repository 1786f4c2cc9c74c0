package io.glidepath.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.rollout.load.DocumentRefusedException;
import io.glidepath.rollout.load.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CanaryPlanTest {
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args: [{name: service-name}]
        metrics:
          - name: success-rate
            interval: 30s
            count: 4
            successCondition: result[0] >= 0.99
            provider:
              prometheus:
                address: http://prometheus:9090
                query: rate(x{service="{{args.service-name}}"}[1m])
      """;

  private static AnalysisTemplate template() {
    return AnalysisTemplate.parse(TEMPLATE, "template.yaml");
  }

  @Test
  void readsTheSeedRolloutUnchanged() {
    CanaryPlan plan = Seed.plan();
    assertThat(plan.name()).isEqualTo("trade-service");
    assertThat(plan.namespace()).isEqualTo("production");
    assertThat(plan.replicas()).isEqualTo(10);
    assertThat(plan.steps())
        .containsExactly(
            new CanaryStep.SetWeight(10),
            CanaryStep.Pause.of(Duration.ofMinutes(2)),
            new CanaryStep.SetWeight(30),
            CanaryStep.Pause.of(Duration.ofMinutes(5)),
            new CanaryStep.SetWeight(50),
            CanaryStep.Pause.of(Duration.ofMinutes(5)),
            new CanaryStep.Analysis(
                AnalysisRef.of("success-rate", "latency-check")
                    .withArg("service-name", "trade-service")),
            new CanaryStep.SetWeight(100));
    assertThat(plan.canaryService()).contains("trade-service-canary");
    assertThat(plan.stableService()).contains("trade-service-stable");
    assertThat(plan.trafficRouting())
        .contains(new TrafficRouting.Istio("trade-service-vs", List.of("primary")));
    assertThat(plan.backgroundAnalysis())
        .contains(new BackgroundAnalysis(AnalysisRef.of("success-rate", "latency-check"), 0));
    assertThat(plan.templates()).containsOnlyKeys("success-rate", "latency-check");
    assertThat(plan.scaleDownDelaySeconds()).isEqualTo(30);
    assertThat(plan.abortScaleDownDelaySeconds()).isEqualTo(30);
    assertThat(plan.podTemplate().path("spec").path("containers").get(0).path("image").asString())
        .isEqualTo("registry.example.com/org/trade-service:latest");
  }

  @Test
  void backgroundAnalysisTakesTheStepsArgumentValues() {
    CanaryPlan plan = Seed.plan();
    assertThat(plan.effectiveAnalysis(plan.backgroundAnalysis().orElseThrow().analysis()).args())
        .containsEntry("service-name", "trade-service");
  }

  @Test
  void describesTheTimelineWithItsMinimumDuration() {
    String text = Seed.plan().describe();
    assertThat(text)
        .contains("step 0  0:00     setWeight 10%")
        .contains("step 2  2:00     setWeight 30%")
        .contains("step 6  12:00    analysis success-rate, latency-check (at least 2m30s)")
        .contains("step 7  14:30    setWeight 100%")
        .contains("Istio VirtualService trade-service-vs routes [primary]")
        .contains("minimum duration: 14m30s");
  }

  @Test
  void fluentBuilderBuildsThePlan() {
    CanaryPlan plan =
        CanaryPlan.builder("web")
            .replicas(4)
            .setWeight(25)
            .pause()
            .setCanaryScale(CanaryStep.SetCanaryScale.replicas(2))
            .analysis(AnalysisRef.of("success-rate").withArg("service-name", "web"))
            .template(template())
            .build();
    assertThat(plan.steps()).hasSize(4);
    assertThat(plan.maxWeightThrough(3)).isEqualTo(25);
    assertThat(plan.describe()).contains("pause until promoted").contains("plus time waiting");
  }

  @Test
  void rejectsAWeightOutsideZeroToHundredNamingTheStep() {
    assertThatThrownBy(() -> CanaryPlan.builder("web").setWeight(10).setWeight(120).build())
        .isInstanceOfSatisfying(
            PlanValidationException.class,
            e -> {
              assertThat(e.stepIndex()).contains(1);
              assertThat(e.problems().get(0).field()).isEqualTo("steps[1].setWeight");
              assertThat(e.getMessage()).contains("must be within 0..100, but was 120");
            });
  }

  @Test
  void rejectsANegativePause() {
    assertThatThrownBy(() -> CanaryPlan.builder("web").pause(Duration.ofSeconds(-5)).build())
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("steps[0].pause.duration must not be negative");
  }

  @Test
  void rejectsAnAnalysisNamingATemplateThatIsNotSupplied() {
    assertThatThrownBy(
            () ->
                CanaryPlan.builder("web")
                    .setWeight(10)
                    .analysis(AnalysisRef.of("error-rate"))
                    .template(template())
                    .build())
        .isInstanceOfSatisfying(
            PlanValidationException.class,
            e -> {
              assertThat(e.stepIndex()).contains(1);
              assertThat(e.getMessage()).contains("'error-rate', which is not supplied");
            });
  }

  @Test
  void rejectsAnArgumentWithoutAValue() {
    assertThatThrownBy(
            () ->
                CanaryPlan.builder("web")
                    .analysis(AnalysisRef.of("success-rate"))
                    .template(template())
                    .build())
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("no value for argument 'service-name'");
  }

  @Test
  void rejectsTrafficRoutingWithoutServices() {
    assertThatThrownBy(
            () ->
                CanaryPlan.builder("web")
                    .setWeight(10)
                    .trafficRouting(new TrafficRouting.Istio("vs", List.of()))
                    .build())
        .isInstanceOfSatisfying(
            PlanValidationException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(PlanValidationException.Problem::field)
                  .containsExactly("canaryService", "stableService");
              assertThat(e.problems().get(0).stepIndex()).isEqualTo(Optional.empty());
            });
  }

  @Test
  void rejectsHeaderRoutesWithoutIstio() {
    assertThatThrownBy(
            () ->
                CanaryPlan.builder("web")
                    .step(
                        new CanaryStep.SetHeaderRoute(
                            "beta", List.of(new CanaryStep.HeaderMatch("x-beta", "exact", "1"))))
                    .build())
        .isInstanceOf(PlanValidationException.class)
        .hasMessageContaining("steps[0].setHeaderRoute needs Istio, ALB or APISIX traffic routing");
  }

  @Test
  void readsEveryStepKindFromYaml() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          replicas: 4
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
          strategy:
            canary:
              canaryService: web-canary
              stableService: web-stable
              scaleDownDelaySeconds: 10
              dynamicStableScale: true
              trafficRouting:
                managedRoutes: [{name: beta}, {name: mirror}]
                istio:
                  virtualService: {name: web-vs}
              steps:
                - setCanaryScale: {replicas: 1}
                - setHeaderRoute:
                    name: beta
                    match: [{headerName: x-beta, headerValue: {exact: "yes"}}]
                - setMirrorRoute: {name: mirror, percentage: 20, match: [{method: {exact: GET}}]}
                - pause: {}
                - setCanaryScale: {matchTrafficWeight: true}
                - pause: {duration: 30}
        """;
    CanaryPlan plan = CanaryPlan.fromRollout(yaml, "web.yaml");
    assertThat(plan.steps())
        .containsExactly(
            CanaryStep.SetCanaryScale.replicas(1),
            new CanaryStep.SetHeaderRoute(
                "beta", List.of(new CanaryStep.HeaderMatch("x-beta", "exact", "yes"))),
            new CanaryStep.SetMirrorRoute(
                "mirror",
                20,
                List.of(java.util.Map.of("method", java.util.Map.of("exact", "GET")))),
            CanaryStep.Pause.indefinite(),
            CanaryStep.SetCanaryScale.matchingTrafficWeight(),
            CanaryStep.Pause.of(Duration.ofSeconds(30)));
    assertThat(plan.scaleDownDelaySeconds()).isEqualTo(10);
    assertThat(plan.dynamicStableScale()).isTrue();
    assertThat(plan.trafficRouting()).contains(new TrafficRouting.Istio("web-vs", List.of()));
  }

  private static final String MULTI_VS =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 4
        template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
        strategy:
          canary:
            canaryService: web-canary
            stableService: web-stable
            maxSurge: 1
            maxUnavailable: "0"
            trafficRouting:
              istio:
      %s
            steps:
              - setWeight: 10
      """;

  @Test
  void readsSeveralVirtualServicesWithTheirRoutes() {
    CanaryPlan plan =
        CanaryPlan.fromRollout(
            MULTI_VS.formatted(
                """
                          virtualServices:
                            - {name: web-vs, routes: [primary, secondary]}
                            - {name: web-internal-vs}
                """),
            "web.yaml");
    assertThat(plan.trafficRouting())
        .contains(
            new TrafficRouting.Istio(
                List.of(
                    new TrafficRouting.Istio.VirtualService(
                        "web-vs", List.of("primary", "secondary")),
                    new TrafficRouting.Istio.VirtualService("web-internal-vs", List.of()))));
    assertThat(plan.maxSurgeReplicas()).isEqualTo(1);
    assertThat(plan.maxUnavailableReplicas()).isZero();
  }

  @Test
  void rejectsBothVirtualServiceFormsAndRepeatedNames() {
    assertThatThrownBy(
            () ->
                CanaryPlan.fromRollout(
                    MULTI_VS.formatted(
                        """
                                  virtualService: {name: web-vs}
                                  virtualServices: [{name: web-vs}]
                        """),
                    "web.yaml"))
        .isInstanceOf(DocumentRefusedException.class)
        .hasMessageContaining(
            "spec.strategy.canary.trafficRouting.istio: must set either virtualService or"
                + " virtualServices, but sets both")
        .hasMessageContaining(
            "spec.strategy.canary.trafficRouting.istio.virtualServices: repeats VirtualService"
                + " 'web-vs'");
  }

  @Test
  void readsSubsetLevelRoutingWithoutServices() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
          strategy:
            canary:
              trafficRouting:
                istio:
                  virtualService: {name: web-vs, routes: [primary]}
                  destinationRule: {name: web-dr, canarySubsetName: canary, stableSubsetName: stable}
              steps:
                - setWeight: 10
        """;
    CanaryPlan plan = CanaryPlan.fromRollout(yaml, "web.yaml");
    assertThat(plan.trafficRouting())
        .contains(
            new TrafficRouting.Istio(
                List.of(new TrafficRouting.Istio.VirtualService("web-vs", List.of("primary"))),
                java.util.Optional.of(
                    new TrafficRouting.Istio.DestinationRule("web-dr", "canary", "stable"))));
    assertThatThrownBy(
            () ->
                CanaryPlan.fromRollout(
                    yaml.replace("stableSubsetName: stable", "stableSubsetName: canary"),
                    "web.yaml"))
        .hasMessageContaining(
            "web.yaml:11:69 spec.strategy.canary.trafficRouting.istio.destinationRule"
                + ".stableSubsetName: must differ from canarySubsetName, but both are 'canary'");
  }

  @Test
  void reportsEveryBadStepOfARolloutFile() {
    String yaml =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
          strategy:
            canary:
              steps:
                - setWeight: 10
                - setWieght: 20
                - setWeight: -1
        """;
    assertThatThrownBy(() -> CanaryPlan.fromRollout(yaml, "web.yaml"))
        .isInstanceOfSatisfying(
            DocumentRefusedException.class,
            e ->
                assertThat(e.refusals())
                    .extracting(Refusal::path, r -> r.at().line())
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                            "spec.strategy.canary.steps[1].setWieght", 10),
                        org.assertj.core.groups.Tuple.tuple(
                            "spec.strategy.canary.steps[2].setWeight", 11)));
  }
}

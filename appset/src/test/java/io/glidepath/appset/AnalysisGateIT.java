package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.analysis.AnalysisTemplate;
import io.glidepath.analysis.VirtualScheduler;
import io.glidepath.analysis.provider.MetricProviders;
import io.glidepath.analysis.provider.RecordedProvider;
import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.cluster.ClusterRegistry;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.kube.controller.DesiredStateSource;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Glidepath's analysis gates between RollingSync steps on four EmbeddedClusters: staging's analysis
 * must pass before prod starts; a failed analysis stops the rollout and rolls staging back to the
 * spec it had, where it stays until the ApplicationSet generates another.
 */
class AnalysisGateIT {
  private static final RequestRetry FAST =
      new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10));
  private static final List<String> CLUSTERS = List.of("staging", "prod-eu", "prod-us");
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args:
        - name: env
        metrics:
        - name: success-rate
          count: 1
          successCondition: result[0] >= 0.95
          failureCondition: result[0] < 0.9
          provider:
            prometheus:
              address: http://prometheus.example:9090
              query: sum(rate(http_ok{env="{{args.env}}"}[5m])) / sum(rate(http_all{env="{{args.env}}"}[5m]))
      """;

  private final EmbeddedCluster controlEmbedded = EmbeddedCluster.start();
  private final Map<String, EmbeddedCluster> embedded = new LinkedHashMap<>();
  private final KubeCluster control = KubeCluster.connect(controlEmbedded.config(), FAST);
  private ClusterRegistry clusters;
  private final Map<String, KubeCluster> destinations = new LinkedHashMap<>();
  private final List<ApplicationController> apps = new ArrayList<>();
  private final VirtualScheduler scheduler =
      VirtualScheduler.at(Instant.parse("2026-01-01T00:00:00Z"));

  /** The desired state of an app at its spec's targetRevision: a ConfigMap naming the version. */
  private final DesiredStateSource source =
      new DesiredStateSource() {
        @Override
        public DesiredState fetch() {
          throw new AssertionError("the controller passes the app it follows");
        }

        @Override
        public DesiredState fetch(Application app) {
          String version = app.source().targetRevision();
          return new DesiredState(
              version,
              ResourceSet.of(
                  Yaml.readResources(
                      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: trade-service}\ndata:"
                          + " {version: "
                          + version
                          + "}\n",
                      "trade-service.yaml")));
        }
      };

  @BeforeEach
  void clusters() {
    ClusterRegistry.Builder b = ClusterRegistry.builder().retry(FAST).inCluster(control);
    for (String name : CLUSTERS) {
      EmbeddedCluster e = EmbeddedCluster.start();
      embedded.put(name, e);
      b.secret(
          Yaml.readResources(
                  "apiVersion: v1\nkind: Secret\nmetadata:\n  name: "
                      + name
                      + "\n  namespace: argocd\n  labels: {argocd.argoproj.io/secret-type:"
                      + " cluster}\nstringData:\n  name: "
                      + name
                      + "\n  server: "
                      + e.url()
                      + "\n  config: '{\"bearerToken\":\"token\"}'\n",
                  name + ".yaml")
              .get(0));
    }
    clusters = b.build();
    for (String name : CLUSTERS) {
      destinations.put(name, KubeCluster.connect(embedded.get(name).config(), FAST));
    }
    control
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
  }

  @AfterEach
  void close() {
    apps.forEach(ApplicationController::close);
    destinations.values().forEach(KubeCluster::close);
    clusters.close();
    control.close();
    embedded.values().forEach(EmbeddedCluster::close);
    controlEmbedded.close();
  }

  private void applySet(String version, String template) {
    control
        .client()
        .resource(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name:"
                + " trade-service, namespace: argocd}\nspec:\n  generators:\n  - list:\n"
                + "      elements:\n      - {cluster: staging, env: staging}\n"
                + "      - {cluster: prod-eu, env: prod}\n      - {cluster: prod-us, env: prod}\n"
                + "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                + "      - matchExpressions: [{key: env, operator: In, values: [staging]}]\n"
                + "        analysis:\n          templates: [{templateName: "
                + template
                + "}]\n          args: [{name: env, value: staging}]\n"
                + "      - matchExpressions: [{key: env, operator: In, values: [prod]}]\n"
                + "  template:\n    metadata:\n      name: '{{cluster}}-trade-service'\n"
                + "      labels: {env: '{{env}}'}\n    spec:\n      project: default\n"
                + "      source: {repoURL: https://git.example/deploy.git, path: trade-service,"
                + " targetRevision: "
                + version
                + "}\n      destination: {name: '{{cluster}}', namespace: default}\n"
                + "      syncPolicy: {automated: {prune: true}}\n")
        .inNamespace("argocd")
        .createOr(r -> r.update());
  }

  private ApplicationController appController(String name) {
    Application stand =
        Application.parse(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: "
                + name
                + ", namespace: argocd}\nspec:\n  project: default\n  source: {repoURL:"
                + " https://git.example/deploy.git, path: trade-service}\n  destination:"
                + " {server: https://kubernetes.default.svc, namespace: default}\n",
            name + ".yaml");
    return ApplicationController.builder(stand, control, source).clusters(clusters).build();
  }

  private String version(String cluster) {
    return destinations
        .get(cluster)
        .get(new ResourceKey("", "ConfigMap", "default", "trade-service"))
        .map(r -> r.body().at("/data/version").asString())
        .orElse("none");
  }

  private Resource application(String name) {
    return control.get(new ResourceKey("argoproj.io", "Application", "argocd", name)).orElseThrow();
  }

  private JsonNode rolloutCondition() {
    Resource set =
        control
            .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "trade-service"))
            .orElseThrow();
    for (JsonNode c : set.body().path("status").path("conditions")) {
      if (c.path("type").asString().equals("RolloutProgressing")) {
        return c;
      }
    }
    return Yaml.mapper().createObjectNode();
  }

  private ApplicationSetController controller(String recording) {
    GeneratorContext context =
        GeneratorContext.of(
            clusters.clusters(),
            (url, rev) -> {
              throw new IllegalStateException("no git generator here");
            });
    return ApplicationSetController.builder(control, "argocd", "trade-service", context)
        .analysisTemplates(
            AnalysisTemplates.of(List.of(AnalysisTemplate.parse(TEMPLATE, "success-rate.yaml"))))
        .metricProviders(
            MetricProviders.of(RecordedProvider.fromJson(recording).servingType("prometheus")))
        .analysisScheduler(scheduler)
        .build();
  }

  /** One round: the ApplicationSet controller, every app's controller, then due measurements. */
  private ApplicationSetController.Pass round(ApplicationSetController set) {
    ApplicationSetController.Pass p = set.reconcile();
    if (apps.isEmpty() && !p.created().isEmpty()) {
      for (String c : CLUSTERS) {
        apps.add(appController(c + "-trade-service"));
      }
    }
    apps.forEach(ApplicationController::reconcile);
    scheduler.runUntilIdle(100);
    return p;
  }

  private List<ApplicationSetController.Pass> roundsUntil(
      ApplicationSetController set, BooleanSupplier done) {
    List<ApplicationSetController.Pass> passes = new ArrayList<>();
    for (int i = 0; i < 12 && !done.getAsBoolean(); i++) {
      passes.add(round(set));
    }
    assertThat(done.getAsBoolean()).as("reached within 12 rounds").isTrue();
    return passes;
  }

  @Test
  void aPassedAnalysisOpensTheNextStepAndAFailedOneRollsTheStepBack() {
    try (ApplicationSetController set =
        controller("{\"success-rate\": [[0.99], [0.99], [0.50], [0.99]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v1"));

      // v2: staging first; prod waits until staging's analysis passed
      applySet("v2", "success-rate");
      roundsUntil(set, () -> version("staging").equals("v2"));
      assertThat(version("prod-eu")).isEqualTo("v1");
      roundsUntil(
          set,
          () ->
              rolloutCondition()
                  .path("message")
                  .asString("")
                  .equals(
                      "ApplicationSet is performing rollout of step 1: analysis success-rate is"
                          + " running"));
      assertThat(version("prod-eu")).as("not before the analysis passed").isEqualTo("v1");
      roundsUntil(set, () -> version("prod-eu").equals("v2") && version("prod-us").equals("v2"));

      // v3: staging's analysis fails: staging goes back to v2, prod never sees v3
      applySet("v3", "success-rate");
      roundsUntil(set, () -> version("staging").equals("v3"));
      List<ApplicationSetController.Pass> passes =
          roundsUntil(
              set,
              () ->
                  version("staging").equals("v2")
                      && rolloutCondition()
                          .path("reason")
                          .asString("")
                          .equals("ApplicationSetAnalysisFailed"));
      assertThat(passes.stream().flatMap(p -> p.rolledBack().stream()))
          .containsExactly("staging-trade-service");
      JsonNode condition = rolloutCondition();
      assertThat(condition.path("status").asString()).isEqualTo("False");
      assertThat(condition.path("message").asString())
          .startsWith("ApplicationSet rollout stopped at step 1: analysis success-rate was Failed");
      Resource staging = application("staging-trade-service");
      assertThat(staging.body().at("/spec/source/targetRevision").asString()).isEqualTo("v2");
      assertThat(
              staging
                  .body()
                  .path("metadata")
                  .path("annotations")
                  .has(ApplicationSetController.ROLLED_BACK_FROM))
          .isTrue();
      assertThat(
              application("prod-eu-trade-service")
                  .body()
                  .at("/spec/source/targetRevision")
                  .asString())
          .as("later steps keep the new spec, unsynced, as in Argo CD")
          .isEqualTo("v3");
      // held: more passes neither bring v3 back nor write anything
      for (int i = 0; i < 3; i++) {
        round(set);
      }
      assertThat(version("staging")).isEqualTo("v2");
      assertThat(version("prod-eu")).isEqualTo("v2");
      assertThat(version("prod-us")).isEqualTo("v2");
      assertThat(set.reconcile().wroteNothing()).isTrue();

      // v4: a new generated spec releases the hold and runs a new analysis
      applySet("v4", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v4"));
      assertThat(version("staging")).isEqualTo("v4");
      assertThat(
              application("staging-trade-service")
                  .body()
                  .path("metadata")
                  .path("annotations")
                  .has(ApplicationSetController.ROLLED_BACK_FROM))
          .isFalse();
    }
  }

  @Test
  void aRestartedControllerKeepsAFailedStepRolledBack() {
    try (ApplicationSetController first = controller("{\"success-rate\": [[0.99], [0.50]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(first, () -> version("prod-us").equals("v1"));
      applySet("v2", "success-rate");
      roundsUntil(
          first,
          () ->
              version("staging").equals("v1")
                  && application("staging-trade-service")
                      .body()
                      .path("metadata")
                      .path("annotations")
                      .has(ApplicationSetController.ROLLED_BACK_FROM));
    }
    // a new controller knows no run: the rolled-back annotation says the step failed
    try (ApplicationSetController second = controller("{\"success-rate\": []}")) {
      for (int i = 0; i < 3; i++) {
        round(second);
      }
      assertThat(version("staging")).isEqualTo("v1");
      assertThat(version("prod-eu")).isEqualTo("v1");
      assertThat(rolloutCondition().path("reason").asString())
          .isEqualTo("ApplicationSetAnalysisFailed");
    }
  }

  @Test
  void anInconclusiveAnalysisHoldsTheRolloutWithoutRollingBack() {
    try (ApplicationSetController set = controller("{\"success-rate\": [[0.99], [0.92]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v1"));
      applySet("v2", "success-rate");
      roundsUntil(
          set,
          () ->
              rolloutCondition()
                  .path("reason")
                  .asString("")
                  .equals("ApplicationSetAnalysisInconclusive"));
      for (int i = 0; i < 3; i++) {
        round(set);
      }
      assertThat(version("staging")).as("not rolled back").isEqualTo("v2");
      assertThat(version("prod-eu")).as("held").isEqualTo("v1");
      assertThat(rolloutCondition().path("message").asString())
          .startsWith(
              "ApplicationSet rollout paused after step 1: analysis success-rate was"
                  + " Inconclusive");
    }
  }

  @Test
  void aTemplateThatCannotBeFoundIsAnErrorThatStopsTheRollout() {
    try (ApplicationSetController set = controller("{\"success-rate\": [[0.99]]}")) {
      applySet("v1", "success-rate");
      roundsUntil(set, () -> version("prod-us").equals("v1"));
      applySet("v2", "no-such-template");
      roundsUntil(
          set,
          () ->
              version("staging").equals("v1")
                  && rolloutCondition()
                      .path("reason")
                      .asString("")
                      .equals("ApplicationSetAnalysisFailed"));
      assertThat(rolloutCondition().path("message").asString())
          .contains("Error: Analysis spec invalid: AnalysisTemplate 'no-such-template' not found");
      assertThat(version("prod-eu")).isEqualTo("v1");
    }
  }
}

package io.glidepath.appset;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthStatus;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * RollingSync end to end on four EmbeddedClusters: a control plane holding the ApplicationSet and
 * its Applications, and staging, prod-eu and prod-us, each synced by its own ApplicationController.
 * A new version goes to staging first and to both prod clusters only once staging is Healthy and
 * Synced; a version that degrades staging never reaches prod.
 */
class RollingSyncIT {
  private static final RequestRetry FAST =
      new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10));
  private static final List<String> CLUSTERS = List.of("staging", "prod-eu", "prod-us");

  private final EmbeddedCluster controlEmbedded = EmbeddedCluster.start();
  private final Map<String, EmbeddedCluster> embedded = new LinkedHashMap<>();
  private final KubeCluster control = KubeCluster.connect(controlEmbedded.config(), FAST);
  private ClusterRegistry clusters;
  private final Map<String, KubeCluster> destinations = new LinkedHashMap<>();
  private final List<ApplicationController> apps = new ArrayList<>();

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
                          + ", ready: '"
                          + !version.equals("v3")
                          + "'}\n",
                      "trade-service.yaml")));
        }
      };

  /** Like a readiness probe: the app's ConfigMap says whether the version came up. */
  private final HealthAssessor health =
      HealthAssessor.builder()
          .check(
              "",
              "ConfigMap",
              live ->
                  live.body().path("data").path("ready").asString("true").equals("false")
                      ? Health.of(HealthStatus.DEGRADED, "the new version does not come up")
                      : Health.healthy())
          .build();

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

  private void applySet(String version) {
    control
        .client()
        .resource(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name:"
                + " trade-service, namespace: argocd}\nspec:\n  generators:\n  - list:\n"
                + "      elements:\n      - {cluster: staging, env: staging}\n"
                + "      - {cluster: prod-eu, env: prod}\n      - {cluster: prod-us, env: prod}\n"
                + "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                + "      - matchExpressions: [{key: env, operator: In, values: [staging]}]\n"
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
    return ApplicationController.builder(stand, control, source)
        .clusters(clusters)
        .health(health)
        .build();
  }

  private String version(String cluster) {
    return destinations
        .get(cluster)
        .get(new ResourceKey("", "ConfigMap", "default", "trade-service"))
        .map(r -> r.body().at("/data/version").asString())
        .orElse("none");
  }

  private JsonNode setStatus() {
    Resource set =
        control
            .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "trade-service"))
            .orElseThrow();
    return set.body().path("status");
  }

  private String rollout() {
    for (JsonNode c : setStatus().path("conditions")) {
      if (c.path("type").asString().equals("RolloutProgressing")) {
        return c.path("message").asString();
      }
    }
    return "none";
  }

  /** One round: the ApplicationSet controller, then every app's controller. */
  private ApplicationSetController.Pass round(ApplicationSetController set) {
    ApplicationSetController.Pass p = set.reconcile();
    if (apps.isEmpty() && !p.created().isEmpty()) {
      for (String c : CLUSTERS) {
        apps.add(appController(c + "-trade-service"));
      }
    }
    apps.forEach(ApplicationController::reconcile);
    return p;
  }

  @Test
  void promotesEachVersionStepByStepAndStopsOneThatDegradesStaging() {
    GeneratorContext context =
        GeneratorContext.of(
            clusters.clusters(),
            (url, rev) -> {
              throw new IllegalStateException("no git generator here");
            });
    ApplicationSetController set =
        ApplicationSetController.builder(control, "argocd", "trade-service", context).build();

    applySet("v1");
    ApplicationSetController.Pass first = round(set);
    assertThat(first.created()).hasSize(3);
    assertThat(first.synced()).containsExactly("staging-trade-service");
    Resource generated =
        control
            .get(new ResourceKey("argoproj.io", "Application", "argocd", "prod-eu-trade-service"))
            .orElseThrow();
    assertThat(generated.body().at("/spec/syncPolicy").has("automated"))
        .as("RollingSync turns autosync off")
        .isFalse();
    assertThat(version("staging")).isEqualTo("v1");
    assertThat(version("prod-eu")).isEqualTo("none");
    assertThat(rollout()).isEqualTo("ApplicationSet is performing rollout of step 1");

    for (int i = 0; i < 4; i++) {
      round(set);
    }
    assertThat(version("prod-eu")).isEqualTo("v1");
    assertThat(version("prod-us")).isEqualTo("v1");
    assertThat(rollout()).isEqualTo("ApplicationSet Rollout has completed");

    // v2: staging alone first
    applySet("v2");
    ApplicationSetController.Pass v2 = round(set);
    assertThat(v2.updated()).hasSize(3);
    assertThat(v2.synced()).containsExactly("staging-trade-service");
    assertThat(version("staging")).isEqualTo("v2");
    assertThat(version("prod-eu")).isEqualTo("v1");
    assertThat(version("prod-us")).isEqualTo("v1");
    for (int i = 0; i < 4; i++) {
      round(set);
    }
    assertThat(version("prod-eu")).isEqualTo("v2");
    assertThat(version("prod-us")).isEqualTo("v2");
    JsonNode statuses = setStatus().path("applicationStatus");
    assertThat(statuses).hasSize(3);
    for (JsonNode s : statuses) {
      assertThat(s.path("status").asString()).as(s.toString()).isEqualTo("Healthy");
    }
    assertThat(statuses.get(1).path("step").asString()).isEqualTo("2");

    // v3 degrades staging: prod stays on v2
    applySet("v3");
    for (int i = 0; i < 6; i++) {
      round(set);
    }
    assertThat(version("staging")).isEqualTo("v3");
    assertThat(version("prod-eu")).isEqualTo("v2");
    assertThat(version("prod-us")).isEqualTo("v2");
    assertThat(rollout()).isEqualTo("ApplicationSet is performing rollout of step 1");
    assertThat(setStatus().path("applicationStatus").get(0).path("status").asString())
        .isEqualTo("Progressing");
    assertThat(setStatus().path("applicationStatus").get(1).path("status").asString())
        .isEqualTo("Waiting");
  }
}

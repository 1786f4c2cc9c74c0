package io.glidepath.appset;

import io.glidepath.core.app.Application;
import io.glidepath.core.health.HealthAssessor;
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
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Four EmbeddedClusters for RollingSync tests: a control plane holding the ApplicationSet {@code
 * trade-service} and its Applications (namespace {@code argocd}), and the destinations staging
 * (label env=staging), prod-eu and prod-us (env=prod), registered as Argo CD cluster Secrets. Each
 * generated app is synced by its own ApplicationController whose desired state is one ConfigMap
 * {@code trade-service} naming the app's targetRevision ({@code data.version}).
 */
final class StagedFleet implements AutoCloseable {
  static final List<String> CLUSTERS = List.of("staging", "prod-eu", "prod-us");
  private static final RequestRetry FAST =
      new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10));

  private final EmbeddedCluster controlEmbedded = EmbeddedCluster.start();
  private final Map<String, EmbeddedCluster> embedded = new LinkedHashMap<>();
  private final Map<String, KubeCluster> destinations = new LinkedHashMap<>();
  private final List<ApplicationController> apps = new ArrayList<>();
  private final KubeCluster control = KubeCluster.connect(controlEmbedded.config(), FAST);
  private final ClusterRegistry clusters;
  private final HealthAssessor health;
  private final Function<String, String> moreData;

  /** Apps judged by the default health checks, their ConfigMap holding the version only. */
  StagedFleet() {
    this(null, version -> "");
  }

  /**
   * @param health how the apps' controllers judge the ConfigMap ({@code null}: the default checks)
   * @param moreData more {@code data} entries of an app's ConfigMap at a version, as flow-mapping
   *     text after {@code version} (e.g. {@code ", ready: 'false'"})
   */
  StagedFleet(HealthAssessor health, Function<String, String> moreData) {
    this.health = health;
    this.moreData = moreData;
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

  KubeCluster control() {
    return control;
  }

  ClusterRegistry clusters() {
    return clusters;
  }

  /** A generator context with the registered clusters and no Git. */
  GeneratorContext context() {
    return GeneratorContext.of(
        clusters.clusters(),
        (url, rev) -> {
          throw new IllegalStateException("no git generator here");
        });
  }

  /**
   * Creates or updates the ApplicationSet: a list generator over the three clusters, RollingSync
   * with a step for env=staging (followed by {@code stagingStepExtra}, indented as its fields) and
   * one for env=prod, apps at {@code version}, automated sync with prune.
   */
  void applySet(String version, String stagingStepExtra) {
    control
        .client()
        .resource(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name:"
                + " trade-service, namespace: argocd}\nspec:\n  generators:\n  - list:\n"
                + "      elements:\n      - {cluster: staging, env: staging}\n"
                + "      - {cluster: prod-eu, env: prod}\n      - {cluster: prod-us, env: prod}\n"
                + "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n"
                + "      - matchExpressions: [{key: env, operator: In, values: [staging]}]\n"
                + stagingStepExtra
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

  /**
   * One round: the ApplicationSet controller's pass, then (once it has created the apps) every
   * app's controller.
   */
  ApplicationSetController.Pass round(ApplicationSetController set) {
    ApplicationSetController.Pass p = set.reconcile();
    if (apps.isEmpty() && !p.created().isEmpty()) {
      for (String c : CLUSTERS) {
        apps.add(appController(c + "-trade-service"));
      }
    }
    apps.forEach(ApplicationController::reconcile);
    return p;
  }

  /** The version the ConfigMap on {@code cluster} names, or "none". */
  String version(String cluster) {
    return destinations
        .get(cluster)
        .get(new ResourceKey("", "ConfigMap", "default", "trade-service"))
        .map(r -> r.body().at("/data/version").asString())
        .orElse("none");
  }

  /** The Application object {@code name} on the control plane. */
  Resource application(String name) {
    return control.get(new ResourceKey("argoproj.io", "Application", "argocd", name)).orElseThrow();
  }

  /** The ApplicationSet's status. */
  JsonNode setStatus() {
    return control
        .get(new ResourceKey("argoproj.io", "ApplicationSet", "argocd", "trade-service"))
        .orElseThrow()
        .body()
        .path("status");
  }

  /** The ApplicationSet's RolloutProgressing condition, or an empty node. */
  JsonNode rolloutCondition() {
    for (JsonNode c : setStatus().path("conditions")) {
      if (c.path("type").asString().equals("RolloutProgressing")) {
        return c;
      }
    }
    return Yaml.mapper().createObjectNode();
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
    ApplicationController.Builder b =
        ApplicationController.builder(stand, control, source()).clusters(clusters);
    return (health == null ? b : b.health(health)).build();
  }

  /** The desired state of an app at its spec's targetRevision: a ConfigMap naming the version. */
  private DesiredStateSource source() {
    return new DesiredStateSource() {
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
                        + moreData.apply(version)
                        + "}\n",
                    "trade-service.yaml")));
      }
    };
  }

  @Override
  public void close() {
    apps.forEach(ApplicationController::close);
    destinations.values().forEach(KubeCluster::close);
    clusters.close();
    control.close();
    embedded.values().forEach(EmbeddedCluster::close);
    controlEmbedded.close();
  }
}

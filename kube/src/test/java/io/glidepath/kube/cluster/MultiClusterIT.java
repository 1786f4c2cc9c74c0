package io.glidepath.kube.cluster;

import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.controller.AppCondition;
import io.glidepath.kube.controller.AppStatus;
import io.glidepath.kube.controller.ApplicationController;
import io.glidepath.kube.controller.DesiredState;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several EmbeddedClusters in one JVM: a control plane and two destinations. */
class MultiClusterIT {
  private static final RequestRetry FAST =
      new RequestRetry(2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10));

  private final EmbeddedCluster controlEmbedded = EmbeddedCluster.start();
  private final EmbeddedCluster stagingEmbedded = EmbeddedCluster.start();
  private final EmbeddedCluster prodEmbedded = EmbeddedCluster.start();
  private final KubeCluster control = KubeCluster.connect(controlEmbedded.config(), FAST);
  private final ClusterRegistry clusters =
      ClusterRegistry.builder()
          .retry(FAST)
          .inCluster(control)
          .secret(clusterSecret("staging", stagingEmbedded.url(), "env: staging", ""))
          .secret(clusterSecret("prod-eu", prodEmbedded.url(), "env: prod", ""))
          .build();

  @AfterEach
  void close() {
    clusters.close();
    control.close();
    controlEmbedded.close();
    stagingEmbedded.close();
    prodEmbedded.close();
  }

  static Resource clusterSecret(String name, String url, String labels, String extra) {
    return Yaml.readResources(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: "
                + name
                + "\n  namespace: argocd\n  labels: {argocd.argoproj.io/secret-type: cluster, "
                + labels
                + "}\nstringData:\n  name: "
                + name
                + "\n  server: "
                + url
                + "\n  config: '{\"bearerToken\":\"token-"
                + name
                + "\"}'\n"
                + extra,
            name + ".yaml")
        .get(0);
  }

  private static Application app(String name, String destination) {
    return Application.parse(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "
            + name
            + "\nspec:\n  project: default\n  source: {repoURL: https://git.example/r.git,"
            + " targetRevision: HEAD, path: app}\n  destination: {"
            + destination
            + ", namespace: default}\n  syncPolicy: {automated: {prune: true}}\n",
        name + ".yaml");
  }

  private static DesiredState desired(String app) {
    return new DesiredState(
        "rev-1",
        ResourceSet.of(
            Yaml.readResources(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
                    + app
                    + "-config}\ndata: {k: v}\n",
                "cm.yaml")));
  }

  private ApplicationController controller(Application app) {
    return ApplicationController.builder(app, control, () -> desired(app.name()))
        .clusters(clusters)
        .followApplicationObject(false)
        .build();
  }

  private static boolean has(KubeCluster c, String ns, String name) {
    return c.get(new ResourceKey("", "ConfigMap", ns, name)).isPresent();
  }

  @Test
  void syncsEachAppIntoTheClusterItsDestinationNames() {
    try (KubeCluster staging = KubeCluster.connect(stagingEmbedded.config(), FAST);
        KubeCluster prod = KubeCluster.connect(prodEmbedded.config(), FAST);
        ApplicationController byName = controller(app("shop-staging", "name: staging"));
        ApplicationController byServer =
            controller(app("shop-prod", "server: '" + prodEmbedded.url() + "'"))) {
      AppStatus s1 = byName.reconcile();
      AppStatus s2 = byServer.reconcile();
      assertThat(s1.synced()).as(s1.message()).isTrue();
      assertThat(s2.synced()).as(s2.message()).isTrue();
      assertThat(has(staging, "default", "shop-staging-config")).isTrue();
      assertThat(has(prod, "default", "shop-staging-config")).isFalse();
      assertThat(has(prod, "default", "shop-prod-config")).isTrue();
      assertThat(has(control, "default", "shop-prod-config")).isFalse();
      // the status lives on the control plane
      assertThat(has(control, "default", "glidepath-shop-prod")).isTrue();
    }
  }

  @Test
  void anUnknownClusterIsAnInvalidSpecErrorAndNothingIsSynced() {
    stagingEmbedded.clearRequests();
    prodEmbedded.clearRequests();
    try (ApplicationController c = controller(app("lost", "name: nowhere"))) {
      AppStatus s = c.reconcile();
      assertThat(s.synced()).isFalse();
      assertThat(s.conditions())
          .containsExactly(
              new AppCondition(
                  AppCondition.Type.INVALID_SPEC,
                  "Application destination spec for lost is invalid: unable to find destination"
                      + " server: there are no clusters with this name: nowhere"));
    }
    assertThat(stagingEmbedded.writes()).isEmpty();
    assertThat(prodEmbedded.writes()).isEmpty();
  }

  @Test
  void anInvalidSpecErrorIsWrittenToTheApplicationObject() throws Exception {
    control
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
    String object =
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: lost, namespace:"
            + " argocd}\nspec:\n  project: default\n  source: {repoURL: https://git.example/r.git,"
            + " targetRevision: HEAD, path: app}\n  destination: {name: nowhere, namespace:"
            + " default}\n";
    control.client().resource(object).serverSideApply();
    try (ApplicationController c =
        ApplicationController.builder(
                Application.parse(object, "lost.yaml"), control, () -> desired("lost"))
            .clusters(clusters)
            .statusNamespace("argocd")
            .build()) {
      c.reconcile();
    }
    Resource written =
        control.get(new ResourceKey("argoproj.io", "Application", "argocd", "lost")).orElseThrow();
    assertThat(written.body().at("/status/conditions/0/type").asString())
        .isEqualTo("InvalidSpecError");
    assertThat(written.body().at("/status/conditions/0/message").asString())
        .contains("there are no clusters with this name: nowhere");
    assertThat(written.body().at("/status/sync/status").asString("Unknown")).isEqualTo("Unknown");
  }

  @Test
  void anUnreachableClusterLeavesItsAppsUnknownAndNeverStallsTheOthers() throws Exception {
    prodEmbedded.inject(Fault.timeout(Duration.ofSeconds(2)));
    try (KubeCluster staging = KubeCluster.connect(stagingEmbedded.config(), FAST);
        ApplicationController stuck = controller(app("shop-prod", "name: prod-eu"));
        ApplicationController fine = controller(app("shop-staging", "name: staging"))) {
      stuck.start();
      fine.start();
      eventually(
          Duration.ofSeconds(10),
          () -> has(staging, "default", "shop-staging-config"),
          "the staging app is synced while prod-eu does not answer");
      eventually(
          Duration.ofSeconds(20),
          () -> stuck.status().map(s -> !s.conditions().isEmpty()).orElse(false),
          () -> "prod-eu's app reports its error, was " + stuck.status());
      AppStatus s = stuck.status().orElseThrow();
      assertThat(s.revision()).isEmpty(); // Unknown
      assertThat(s.conditions().get(0).type()).isEqualTo(AppCondition.Type.COMPARISON_ERROR);
      assertThat(s.message()).contains("prod-eu");
    }
  }

  @Test
  void aNamespacedClusterRefusesObjectsOutsideItsNamespaces() {
    try (ClusterRegistry scoped =
            ClusterRegistry.builder()
                .retry(FAST)
                .inCluster(control)
                .secret(
                    clusterSecret(
                        "staging", stagingEmbedded.url(), "env: staging", "  namespaces: trade\n"))
                .build();
        ApplicationController c =
            ApplicationController.builder(
                    app("shop", "name: staging"), control, () -> desired("shop"))
                .clusters(scoped)
                .followApplicationObject(false)
                .build()) {
      stagingEmbedded.clearRequests();
      AppStatus s = c.reconcile();
      assertThat(s.synced()).isFalse();
      assertThat(s.conditions())
          .extracting(AppCondition::message)
          .containsExactly("namespace \"default\" for ConfigMap \"shop-config\" is not managed");
      assertThat(stagingEmbedded.writes()).isEmpty();
    }
  }

  /** The ConfigMap {@code name} in {@code default}, owned by app {@code app}, created directly. */
  private static void createOwned(KubeCluster c, String app, String name) {
    ResourceKey key = new ResourceKey("", "ConfigMap", "default", name);
    c.client()
        .resource(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                + name
                + "\n  namespace: default\n  annotations:\n    "
                + TrackingId.ANNOTATION
                + ": "
                + TrackingId.of(app, key).value()
                + "\ndata: {k: v}\n")
        .create();
  }

  /** An Application object in argocd with the resources finalizer, then deleted (still there). */
  private Application deletedApplicationObject(String name, String destination) {
    control
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
    String object =
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "
            + name
            + "\n  namespace: argocd\n  finalizers: ["
            + Application.RESOURCES_FINALIZER
            + "]\nspec:\n  project: default\n  source: {repoURL: https://git.example/r.git,"
            + " targetRevision: HEAD, path: app}\n  destination: {"
            + destination
            + ", namespace: default}\n";
    control.client().resource(object).create();
    control
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName(name)
        .delete();
    assertThat(
            control
                .get(applicationKey(name))
                .orElseThrow()
                .body()
                .at("/metadata/deletionTimestamp")
                .asString(""))
        .isNotEmpty();
    return Application.parse(object, name + ".yaml");
  }

  private static ResourceKey applicationKey(String name) {
    return new ResourceKey("argoproj.io", "Application", "argocd", name);
  }

  @Test
  void anAppFirstSeenBeingDeletedDeletesItsResourcesOnItsDestinationOnly() {
    try (KubeCluster staging = KubeCluster.connect(stagingEmbedded.config(), FAST)) {
      createOwned(staging, "shop", "shop-config");
      // the same object, owned by the same app id, on the control cluster: not the app's
      createOwned(control, "shop", "shop-config");
      Application app = deletedApplicationObject("shop", "name: staging");
      try (ApplicationController c =
          ApplicationController.builder(app, control, () -> desired("shop"))
              .clusters(clusters)
              .statusNamespace("argocd")
              .build()) {
        AppStatus s = c.reconcile();
        assertThat(s.message()).contains("deleted 1 resource(s)");
      }
      assertThat(has(staging, "default", "shop-config")).as("deleted on staging").isFalse();
      assertThat(has(control, "default", "shop-config")).as("left on the control cluster").isTrue();
      assertThat(control.get(applicationKey("shop"))).as("finalizer removed").isEmpty();
    }
  }

  @Test
  void anAppBeingDeletedWithAnUnknownDestinationDeletesNothingAndLetsTheObjectGo() {
    try (KubeCluster staging = KubeCluster.connect(stagingEmbedded.config(), FAST)) {
      createOwned(staging, "lost", "lost-config");
      createOwned(control, "lost", "lost-config");
      Application app = deletedApplicationObject("lost", "name: nowhere");
      stagingEmbedded.clearRequests();
      prodEmbedded.clearRequests();
      try (ApplicationController c =
          ApplicationController.builder(app, control, () -> desired("lost"))
              .clusters(clusters)
              .statusNamespace("argocd")
              .build()) {
        AppStatus s = c.reconcile();
        assertThat(s.message()).contains("there are no clusters with this name: nowhere");
      }
      // Argo CD: the finalizers of an undefined cluster are removed and nothing is deleted
      assertThat(control.get(applicationKey("lost"))).isEmpty();
      assertThat(has(control, "default", "lost-config")).isTrue();
      assertThat(has(staging, "default", "lost-config")).isTrue();
      assertThat(stagingEmbedded.writes()).isEmpty();
      assertThat(prodEmbedded.writes()).isEmpty();
    }
  }

  @Test
  void listsClusterSecretsFromTheControlPlane() {
    control
        .client()
        .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
        .serverSideApply();
    control
        .client()
        .resource(
            Yaml.write(clusterSecret("staging", stagingEmbedded.url(), "env: staging", "").body()))
        .serverSideApply();
    try (ClusterRegistry r =
        ClusterRegistry.builder().inCluster(control).secretsIn(control, "argocd").build()) {
      assertThat(r.clusters())
          .extracting(RegisteredCluster::name)
          .containsExactly("in-cluster", "staging");
      assertThat(r.byName("staging").orElseThrow().labels()).containsEntry("env", "staging");
      assertThat(r.byName("staging").orElseThrow().credentials().bearerToken())
          .isEqualTo(Optional.of("token-staging"));
    }
    assertThat(List.of(Map.of())).hasSize(1);
  }
}

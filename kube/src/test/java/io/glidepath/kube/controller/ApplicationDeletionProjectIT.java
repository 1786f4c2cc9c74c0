package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Destination;
import io.glidepath.core.project.GroupKind;
import io.glidepath.core.project.Project;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.TrackingId;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting an Application with the resources finalizer deletes only what its project permits, as
 * Argo CD does: a kind the project does not permit is left in place, a destination it does not
 * permit is not touched at all, and the finalizer is removed either way; resources go in reverse
 * sync-wave order.
 */
class ApplicationDeletionProjectIT {
  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "trade-service");
  private static final ResourceKey DEPLOYMENT =
      new ResourceKey("apps", "Deployment", "production", "trade-service");
  private static final ResourceKey CONFIG_MAP =
      new ResourceKey("", "ConfigMap", "production", "trade-service-config");
  private static final ResourceKey CLUSTER_ROLE =
      new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", "", "trade-service-reader");
  private static final ResourceKey SECRET =
      new ResourceKey("", "Secret", "production", "trade-service-late");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded =
      EmbeddedCluster.builder().clock(clock).manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final AtomicReference<Project> project =
      new AtomicReference<>(Project.permissive("production"));
  private final List<String> deletedApps = Collections.synchronizedList(new ArrayList<>());

  private final DesiredStateSource source =
      new DesiredStateSource() {
        @Override
        public DesiredState fetch() {
          return new DesiredState(
              "rev-1",
              ResourceSet.of(Yaml.readResources(TradeServiceManifests.RENDERED, "rendered.yaml")));
        }

        @Override
        public DesiredState fetch(Application app) {
          return fetch();
        }
      };

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String seedYaml() throws IOException {
    try (InputStream in =
        ApplicationDeletionProjectIT.class.getResourceAsStream("/argocd-app.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The Application object applied, and the app synced under a permissive project. */
  private ApplicationController syncedApp() throws IOException {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster
        .client()
        .resource(seedYaml().replace("selfHeal: true", "selfHeal: false"))
        .inNamespace("argocd")
        .create();
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).build();
    ApplicationController controller =
        ApplicationController.builder(
                Application.parse(seedYaml(), "argocd-app.yaml"), cluster, source)
            .engine(engine)
            .clock(clock)
            .projects(name -> Optional.of(project.get()).filter(p -> p.name().equals(name)))
            .listener(
                new ControllerListener() {
                  @Override
                  public void applicationDeleted(String app) {
                    deletedApps.add(app);
                  }
                })
            .build();
    assertThat(controller.reconcile().synced()).isTrue();
    assertThat(cluster.get(DEPLOYMENT)).isPresent();
    assertThat(cluster.get(CONFIG_MAP)).isPresent();
    return controller;
  }

  /** An object the app owns by its tracking annotation, created directly (not by a sync). */
  private void createOwned(String yaml, ResourceKey key) {
    String tracked =
        yaml.replace(
            "  annotations:\n",
            "  annotations:\n    "
                + TrackingId.ANNOTATION
                + ": "
                + TrackingId.of("trade-service", key).value()
                + "\n");
    cluster.client().resource(tracked).create();
  }

  private void deleteApplicationObject() {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("trade-service")
        .delete();
    assertThat(cluster.get(APPLICATION).orElseThrow().body().at("/metadata/deletionTimestamp"))
        .isNotNull();
  }

  @Test
  void kindsTheProjectDoesNotPermitAreLeftInPlaceAndTheRestIsDeletedByDescendingWave()
      throws Exception {
    ApplicationController controller = syncedApp();
    createOwned(
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: trade-service-reader
          annotations:
        rules: []
        """,
        CLUSTER_ROLE);
    // wave 5, held by another finalizer: the wave-0 resources wait until it is gone
    createOwned(
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: trade-service-late
          namespace: production
          finalizers: [example.com/hold]
          annotations:
            argocd.argoproj.io/sync-wave: "5"
        """,
        SECRET);
    // the project now permits no cluster-scoped kind and blacklists ConfigMaps
    project.set(
        Project.builder("production")
            .sourceRepo("*")
            .destination(new Destination("*", "", "production"))
            .namespaceResourceBlacklist(new GroupKind("", "ConfigMap"))
            .build());
    deleteApplicationObject();
    embedded.clearRequests();

    AppStatus first = controller.reconcile();

    assertThat(embedded.writes())
        .filteredOn(c -> !c.kind().equals("Application"))
        .extracting(c -> c.verb() + " " + c.kind() + " " + c.name())
        .as("only the highest wave is deleted while it is still going")
        .containsExactly("DELETE Secret trade-service-late");
    assertThat(cluster.get(DEPLOYMENT)).isPresent();
    assertThat(cluster.get(APPLICATION)).as("finalizer still held").isPresent();
    assertThat(first.message()).contains("2 still there"); // the Secret going, the Deployment

    cluster
        .client()
        .secrets()
        .inNamespace("production")
        .withName("trade-service-late")
        .edit(
            s -> {
              s.getMetadata().setFinalizers(List.of());
              return s;
            });
    assertThat(cluster.get(SECRET)).isEmpty();
    embedded.clearRequests();
    AppStatus second = controller.reconcile();

    assertThat(cluster.get(DEPLOYMENT)).isEmpty();
    assertThat(cluster.get(CONFIG_MAP)).as("ConfigMap is blacklisted").isPresent();
    assertThat(cluster.get(CLUSTER_ROLE)).as("no cluster-scoped kind permitted").isPresent();
    assertThat(embedded.writes())
        .filteredOn(c -> c.kind().equals("ConfigMap") || c.kind().equals("ClusterRole"))
        .isEmpty();
    assertThat(cluster.get(APPLICATION)).as("finalizer removed, object gone").isEmpty();
    assertThat(second.message())
        .contains(
            "deleted 1 resource(s)",
            "project production does not permit",
            CONFIG_MAP.toString(),
            CLUSTER_ROLE.toString());
    assertThat(deletedApps).containsExactly("trade-service");
  }

  @Test
  void aDestinationTheProjectDoesNotPermitDeletesNothingAndRemovesTheFinalizer() throws Exception {
    ApplicationController controller = syncedApp();
    project.set(
        Project.builder("production")
            .sourceRepo("*")
            .destination(new Destination("*", "", "staging"))
            .build());
    deleteApplicationObject();
    embedded.clearRequests();

    AppStatus deleted = controller.reconcile();

    assertThat(embedded.writes()).filteredOn(c -> !c.kind().equals("Application")).isEmpty();
    assertThat(cluster.get(DEPLOYMENT)).isPresent();
    assertThat(cluster.get(CONFIG_MAP)).isPresent();
    assertThat(cluster.get(APPLICATION)).as("finalizer removed, object gone").isEmpty();
    assertThat(deleted.message())
        .contains("deleted 0 resource(s)", "not permitted by destinations of project production");
    assertThat(deletedApps).containsExactly("trade-service");
  }

  @Test
  void aProjectThatDoesNotExistDeletesNothingAndKeepsTheFinalizerWithADeletionError()
      throws Exception {
    ApplicationController controller = syncedApp();
    project.set(Project.permissive("another-project"));
    deleteApplicationObject();
    embedded.clearRequests();

    AppStatus deleting = controller.reconcile();

    assertThat(embedded.writes()).filteredOn(c -> !c.kind().equals("Application")).isEmpty();
    assertThat(cluster.get(DEPLOYMENT)).isPresent();
    assertThat(deleting.message()).contains("nothing deleted", "project production does not exist");
    assertThat(
            cluster
                .get(APPLICATION)
                .orElseThrow()
                .body()
                .at("/status/conditions/0/type")
                .asString())
        .isEqualTo("DeletionError");
    assertThat(deletedApps).isEmpty();
  }
}

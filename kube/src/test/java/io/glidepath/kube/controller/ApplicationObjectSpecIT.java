package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static io.glidepath.kube.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import io.glidepath.testkit.cluster.RecordedCall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Where the app's Argo CD Application object exists, the controller follows it as Argo CD does: an
 * edited spec takes effect on the next reconcile, an invalid one stops everything but an
 * InvalidSpecError, and deleting the object stops the app (pruning it first with the resources
 * finalizer).
 */
class ApplicationObjectSpecIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "trade-service");
  private static final ResourceKey DEPLOYMENT =
      new ResourceKey("apps", "Deployment", "production", "trade-service");
  private static final ResourceKey CONFIG_MAP =
      new ResourceKey("", "ConfigMap", "production", "trade-service-config");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded =
      EmbeddedCluster.builder().clock(clock).manualController().start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final AtomicReference<String> revision = new AtomicReference<>("rev-1");
  private final List<Application> fetchedFor = Collections.synchronizedList(new ArrayList<>());
  private final List<String> deletedApps = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger reconciles = new AtomicInteger();

  /**
   * The rendered app at the current revision (LOG_LEVEL info at rev-1, debug after), its image tag
   * taken from the spec's Helm parameter {@code image.tag}: a source that reads the app it is
   * given, as GitDesiredStateSource does.
   */
  private final DesiredStateSource source =
      new DesiredStateSource() {
        @Override
        public DesiredState fetch() {
          throw new AssertionError("the controller passes the app it follows");
        }

        @Override
        public DesiredState fetch(Application app) {
          fetchedFor.add(app);
          String tag =
              app.source().helm().orElseThrow().parameters().stream()
                  .filter(p -> p.name().equals("image.tag"))
                  .map(p -> p.value())
                  .filter(v -> !v.isEmpty())
                  .findFirst()
                  .orElse("1.0.0");
          String level = revision.get().equals("rev-1") ? "info" : "debug";
          return new DesiredState(
              revision.get(),
              ResourceSet.of(
                  Yaml.readResources(
                      TradeServiceManifests.RENDERED
                          .replace("1.0.0", tag)
                          .replace("LOG_LEVEL: info", "LOG_LEVEL: " + level),
                      "rendered.yaml")));
        }
      };

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String seedYaml() throws IOException {
    try (InputStream in = ApplicationObjectSpecIT.class.getResourceAsStream("/argocd-app.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code kubectl apply -f argocd-app.yaml} with selfHeal off (drift alone syncs nothing). */
  private void applyApplicationObject() throws IOException {
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
  }

  /** What {@code kubectl patch application trade-service --type merge -p PATCH} does. */
  private void patchApplication(String patch) {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("trade-service")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-patch")
                .build(),
            patch);
  }

  private ApplicationController controller() throws IOException {
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).build();
    // the builder's app is the seed file with automated sync and selfHeal: the object overrides it
    return ApplicationController.builder(
            Application.parse(seedYaml(), "argocd-app.yaml"), cluster, source)
        .engine(engine)
        .clock(clock)
        .projects(ProjectSource.of(Project.permissive("production")))
        .listener(
            new ControllerListener() {
              @Override
              public void applicationDeleted(String app) {
                deletedApps.add(app);
              }

              @Override
              public void reconciled(AppStatus status) {
                reconciles.incrementAndGet();
              }
            })
        .build();
  }

  private JsonNode applicationStatus() {
    return cluster.get(APPLICATION).orElseThrow().body().path("status");
  }

  private String liveImage() {
    return cluster
        .get(DEPLOYMENT)
        .orElseThrow()
        .body()
        .at("/spec/template/spec/containers/0/image")
        .asString();
  }

  private String liveLevel() {
    return cluster.get(CONFIG_MAP).orElseThrow().body().at("/data/LOG_LEVEL").asString();
  }

  private List<RecordedCall> writesOtherThanTheApplication() {
    return embedded.writes().stream().filter(c -> !c.kind().equals("Application")).toList();
  }

  @Test
  void everyReconcileUsesTheApplicationObjectsSpecAndAChangedParameterIsSyncedAtTheSameCommit()
      throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller();
    assertThat(controller.reconcile().synced()).isTrue();
    assertThat(fetchedFor)
        .last()
        .satisfies(a -> assertThat(a.syncPolicy().automated()).isPresent());
    assertThat(fetchedFor.get(fetchedFor.size() - 1).syncPolicy().automated().get().selfHeal())
        .as("selfHeal as the object says, not as the builder's app")
        .isFalse();

    // kubectl edit: a new image.tag, same commit (rev-1). Argo CD syncs a changed source again.
    patchApplication(
        "{\"spec\":{\"source\":{\"helm\":{\"parameters\":[{\"name\":\"image.tag\",\"value\":\"2.0.0\"}]}}}}");
    AppStatus afterEdit = controller.reconcile();

    assertThat(afterEdit.synced()).as(afterEdit.message()).isTrue();
    assertThat(liveImage()).isEqualTo("registry.example.com/trade-service:2.0.0");
    assertThat(applicationStatus().at("/operationState/syncResult/source/helm/parameters/0/value"))
        .hasToString("\"2.0.0\"");

    // the same source and commit again with drift: selfHeal is off, so nothing is synced
    TradeServiceManifests.kubectlEditReplicas(cluster, 1);
    AppStatus drifted = controller.reconcile();
    assertThat(drifted.synced()).as(drifted.message()).isFalse();
    assertThat(drifted.message()).contains("selfHeal is off");
  }

  @Test
  void turningAutomatedSyncOffInTheObjectStopsAutoSync() throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller();
    assertThat(controller.reconcile().synced()).isTrue();

    patchApplication("{\"spec\":{\"syncPolicy\":{\"automated\":null}}}");
    revision.set("rev-2");
    patchApplication(
        "{\"spec\":{\"source\":{\"helm\":{\"parameters\":[{\"name\":\"image.tag\",\"value\":\"3.0.0\"}]}}}}");
    embedded.clearRequests();
    AppStatus manual = controller.reconcile();

    assertThat(manual.synced()).isFalse();
    assertThat(manual.message()).contains("sync is manual");
    assertThat(applicationStatus().at("/sync/status").asString()).isEqualTo("OutOfSync");
    assertThat(applicationStatus().at("/sync/revision").asString()).isEqualTo("rev-2");
    assertThat(liveImage()).isEqualTo("registry.example.com/trade-service:1.0.0");
    assertThat(writesOtherThanTheApplication()).isEmpty();

    // automated again: the pending revision is synced
    patchApplication("{\"spec\":{\"syncPolicy\":{\"automated\":{\"prune\":true}}}}");
    AppStatus automated = controller.reconcile();
    assertThat(automated.synced()).as(automated.message()).isTrue();
    assertThat(liveImage()).isEqualTo("registry.example.com/trade-service:3.0.0");
  }

  @Test
  void anInvalidEditIsReportedAsInvalidSpecErrorAndNothingIsSyncedUntilItIsFixed()
      throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller();
    assertThat(controller.reconcile().synced()).isTrue();
    JsonNode goodSource =
        cluster.get(APPLICATION).orElseThrow().body().at("/spec/source").deepCopy();

    // a new revision waits, and the spec loses its source
    revision.set("rev-2");
    patchApplication("{\"spec\":{\"source\":null}}");
    embedded.clearRequests();
    int fetches = fetchedFor.size();
    AppStatus invalid = controller.reconcile();

    assertThat(invalid.synced()).isFalse();
    assertThat(invalid.conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(AppCondition.Type.INVALID_SPEC);
              assertThat(c.message()).contains("spec.source", "is required");
            });
    assertThat(fetchedFor).as("no render of a half-valid spec").hasSize(fetches);
    assertThat(writesOtherThanTheApplication()).isEmpty();
    assertThat(applicationStatus().path("conditions"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.path("type").asString()).isEqualTo("InvalidSpecError");
              assertThat(c.path("message").asString()).contains("spec.source");
            });
    assertThat(applicationStatus().at("/sync/status").asString()).isEqualTo("Unknown");

    // unchanged: not even the status is written again
    embedded.clearRequests();
    controller.reconcile();
    assertThat(embedded.writes()).isEmpty();

    // a bad syncPolicy value is named as well
    patchApplication(
        "{\"spec\":{\"source\":"
            + Yaml.toJson(goodSource)
            + ",\"syncPolicy\":{\"retry\":{\"limit\":\"three\"}}}}");
    AppStatus badRetry = controller.reconcile();
    assertThat(badRetry.conditions())
        .singleElement()
        .satisfies(c -> assertThat(c.message()).contains("spec.syncPolicy.retry.limit"));
    assertThat(applicationStatus().at("/conditions/0/message").asString())
        .contains("spec.syncPolicy.retry.limit");
    assertThat(liveLevel()).isEqualTo("info");

    // fixed: rev-2 is synced and the condition is gone
    patchApplication("{\"spec\":{\"syncPolicy\":{\"retry\":{\"limit\":3}}}}");
    AppStatus fixed = controller.reconcile();
    assertThat(fixed.synced()).as(fixed.message()).isTrue();
    assertThat(fixed.revision()).isEqualTo("rev-2");
    assertThat(fixed.conditions()).isEmpty();
    assertThat(liveLevel()).isEqualTo("debug");
    assertThat(applicationStatus().has("conditions")).isFalse();
  }

  @Test
  void deletingTheObjectWithTheResourcesFinalizerDeletesTheAppsResourcesThenTheFinalizer()
      throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller();
    assertThat(controller.reconcile().synced()).isTrue();
    cluster
        .client()
        .configMaps()
        .inNamespace("production")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("not-the-apps")
                .endMetadata()
                .build())
        .create();
    // Argo CD keeps a resource annotated Delete=false when its app is deleted
    cluster
        .client()
        .configMaps()
        .inNamespace("production")
        .withName("trade-service-config")
        .edit(
            cm -> {
              cm.getMetadata()
                  .getAnnotations()
                  .put("argocd.argoproj.io/sync-options", "Delete=false");
              return cm;
            });

    // kubectl delete application trade-service: the finalizer holds the object
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("trade-service")
        .delete();
    assertThat(cluster.get(APPLICATION).orElseThrow().body().at("/metadata/deletionTimestamp"))
        .isNotNull();
    embedded.clearRequests();
    AppStatus deleted = controller.reconcile();

    assertThat(deleted.message()).contains("deleted 1 resource(s)", "no longer reconciled");
    assertThat(cluster.get(DEPLOYMENT)).isEmpty();
    assertThat(cluster.get(CONFIG_MAP)).as("Delete=false").isPresent();
    assertThat(cluster.get(new ResourceKey("", "ConfigMap", "production", "not-the-apps")))
        .as("not owned by the app")
        .isPresent();
    assertThat(cluster.get(APPLICATION)).as("finalizer removed, object gone").isEmpty();
    assertThat(embedded.requests())
        .filteredOn(c -> c.kind().equals("Deployment") || c.kind().equals("ConfigMap"))
        .filteredOn(c -> c.verb().isWrite())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.verb() + " " + c.name()).isEqualTo("DELETE trade-service");
              assertThat(c.body()).contains("\"propagationPolicy\":\"Foreground\"");
            });
    assertThat(deletedApps).containsExactly("trade-service");

    // gone for good: nothing is synced again
    embedded.clearRequests();
    AppStatus after = controller.reconcile();
    assertThat(after.message()).contains("no longer reconciled");
    assertThat(embedded.writes()).isEmpty();
    assertThat(deletedApps).containsExactly("trade-service");
  }

  @Test
  void deletingTheObjectWithoutTheFinalizerStopsTheStartedControllerAndLeavesTheResources()
      throws Exception {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster
        .client()
        .resource(
            seedYaml()
                .replace("    - resources-finalizer.argocd.argoproj.io", "")
                .replace("  finalizers:\n", ""))
        .inNamespace("argocd")
        .create();
    assertThat(cluster.get(APPLICATION).orElseThrow().body().at("/metadata/finalizers").isEmpty())
        .isTrue();
    ApplicationController controller = controller();
    controller.start();
    try {
      eventually(
          WAIT,
          () -> cluster.get(DEPLOYMENT).isPresent(),
          () -> "synced (" + controller.status() + ")");

      cluster
          .client()
          .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
          .inNamespace("argocd")
          .withName("trade-service")
          .delete();

      eventually(WAIT, () -> !controller.running(), () -> "stopped (" + controller.status() + ")");
      assertThat(deletedApps).containsExactly("trade-service");
      assertThat(controller.status().orElseThrow().message()).contains("no longer reconciled");
      assertThat(cluster.get(DEPLOYMENT)).as("no finalizer: the resources stay").isPresent();
    } finally {
      controller.close();
    }
  }

  @Test
  void aStartedControllerPrunesAtOnceWhenItsObjectIsDeletedWithTheResourcesFinalizer()
      throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller();
    controller.start();
    try {
      eventually(
          WAIT,
          () -> cluster.get(DEPLOYMENT).isPresent() && cluster.get(CONFIG_MAP).isPresent(),
          () -> "synced (" + controller.status() + ")");

      cluster
          .client()
          .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
          .inNamespace("argocd")
          .withName("trade-service")
          .delete();

      eventually(WAIT, () -> !controller.running(), () -> "stopped (" + controller.status() + ")");
      assertThat(cluster.get(DEPLOYMENT)).isEmpty();
      assertThat(cluster.get(CONFIG_MAP)).isEmpty();
      assertThat(cluster.get(APPLICATION)).isEmpty();
      assertThat(deletedApps).containsExactly("trade-service");
    } finally {
      controller.close();
    }
  }

  @Test
  void aStartedControllerReadsItsObjectFromTheWatchWithoutARequest() throws Exception {
    applyApplicationObject();
    try (ApplicationController controller = controller()) {
      controller.start();
      eventually(
          WAIT,
          () -> controller.status().map(AppStatus::inSync).orElse(false),
          () -> "synced (" + controller.status() + ")");
      int seen;
      do { // until the reconciles the start brings (the informers' first lists) are over
        seen = reconciles.get();
        Thread.sleep(300);
      } while (reconciles.get() != seen);
      embedded.clearRequests();
      int before = reconciles.get();

      controller.refresh();
      eventually(WAIT, () -> reconciles.get() > before, () -> "the asked-for reconcile ran");

      assertThat(controller.status().orElseThrow().inSync()).isTrue();
      assertThat(embedded.requests())
          .as(
              "not even a GET of the Application (an informer's watch reconnecting is not the"
                  + " reconcile's)")
          .filteredOn(c -> c.verb() != io.glidepath.testkit.cluster.Verb.WATCH)
          .isEmpty();
    }
  }
}

package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
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
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An Application object's {@code operation} is a sync request (Argo CD's manual sync, and how an
 * ApplicationSet's RollingSync syncs its apps): a manual app is synced once, with the prune the
 * operation states, the operation is removed and the operation state records who asked.
 */
class RequestedSyncIT {
  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "trade-service");
  private static final ResourceKey CONFIG_MAP =
      new ResourceKey("", "ConfigMap", "production", "trade-service-config");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private EmbeddedCluster embedded =
      EmbeddedCluster.builder().clock(clock).manualController().start();
  private KubeCluster cluster = connect();

  private KubeCluster connect() {
    return KubeCluster.connect(
        embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  }

  private final List<SyncReason> reasons = new CopyOnWriteArrayList<>();

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

  private static String manualApp() throws IOException {
    try (InputStream in = RequestedSyncIT.class.getResourceAsStream("/argocd-app.yaml")) {
      String seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return seed.replaceAll(
          "    automated:\\n      prune: true.*\\n      selfHeal: true.*\\n      allowEmpty: false\\n",
          "");
    }
  }

  private ApplicationController controller() throws IOException {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster.client().resource(manualApp()).inNamespace("argocd").create();
    return ApplicationController.builder(
            Application.parse(manualApp(), "argocd-app.yaml"), cluster, source)
        .engine(engineOnManualTime(cluster, clock, embedded).build())
        .clock(clock)
        .projects(ProjectSource.of(Project.permissive("production")))
        .listener(
            new ControllerListener() {
              @Override
              public void syncStarted(String app, String revision, SyncReason reason) {
                reasons.add(reason);
              }
            })
        .build();
  }

  private void patch(String json) {
    cluster
        .client()
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("trade-service")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  private JsonNode object() {
    return cluster.get(APPLICATION).orElseThrow().body();
  }

  @Test
  void aManualAppIsSyncedOnceWhenItsOperationAsksAndTheOperationIsRemoved() throws Exception {
    ApplicationController c = controller();
    AppStatus manual = c.reconcile();
    assertThat(manual.synced()).isFalse();
    assertThat(manual.message()).contains("sync is manual");
    assertThat(cluster.get(CONFIG_MAP)).isEmpty();

    patch(
        "{\"operation\":{\"initiatedBy\":{\"username\":\"applicationset-controller\","
            + "\"automated\":true},\"sync\":{\"prune\":true,\"syncOptions\":"
            + "[\"CreateNamespace=true\",\"ServerSideApply=true\","
            + "\"PrunePropagationPolicy=foreground\"]}}}");
    AppStatus requested = c.reconcile();
    assertThat(requested.synced()).as(requested.message()).isTrue();
    assertThat(reasons).containsExactly(SyncReason.REQUESTED);
    assertThat(cluster.get(CONFIG_MAP)).isPresent();
    JsonNode after = object();
    assertThat(after.has("operation")).isFalse();
    assertThat(after.at("/status/operationState/phase").asString()).isEqualTo("Succeeded");
    assertThat(after.at("/status/operationState/operation/initiatedBy/username").asString())
        .isEqualTo("applicationset-controller");
    assertThat(after.at("/status/operationState/operation/sync/prune").asBoolean()).isTrue();
    assertThat(after.at("/status/sync/status").asString()).isEqualTo("Synced");

    // done once: the next reconcile only reports
    assertThat(c.reconcile().synced()).isFalse();
    assertThat(reasons).hasSize(1);
  }

  private static final String REQUEST =
      "{\"operation\":{\"initiatedBy\":{\"username\":\"admin\"},\"sync\":{\"prune\":true}}}";

  /** The Application writes since the request, by the controller (not the test's own patch). */
  private List<String> applicationPatches(int from) {
    return embedded.writes().subList(from, embedded.writes().size()).stream()
        .filter(w -> w.kind().equals("Application") && !w.body().startsWith("{\"operation\":{"))
        .map(w -> w.uri() + " " + w.body())
        .toList();
  }

  /**
   * As Argo CD's controller does, the write of the requested sync's final state removes the
   * operation in the same patch: one write, never a moment with the operation done and still there.
   */
  @Test
  void theRequestedSyncsStatusWriteRemovesTheOperationInTheSamePatch() throws Exception {
    ApplicationController c = controller();
    c.reconcile();
    int from = embedded.writes().size();
    patch(REQUEST);
    assertThat(c.reconcile().synced()).isTrue();

    assertThat(applicationPatches(from))
        .singleElement()
        .satisfies(w -> assertThat(w).contains("\"operation\":null", "operationState"));
    assertThat(object().has("operation")).isFalse();
    assertThat(object().at("/status/operationState/phase").asString()).isEqualTo("Succeeded");
  }

  /**
   * Where the Application CRD declares a status subresource, the status write to {@code /status}
   * cannot remove the operation: a second patch of the object does.
   */
  @Test
  void withAStatusSubresourceTheOperationIsRemovedByASecondPatch() throws Exception {
    cluster.close();
    embedded.close();
    embedded =
        EmbeddedCluster.builder()
            .clock(clock)
            .manualController()
            .customResource("argoproj.io", "v1alpha1", "Application", "applications", true, true)
            .start();
    cluster = connect();
    ApplicationController c = controller();
    c.reconcile();
    int from = embedded.writes().size();
    patch(REQUEST);
    assertThat(c.reconcile().synced()).isTrue();

    List<String> patches = applicationPatches(from);
    assertThat(patches).hasSize(2);
    assertThat(patches.get(0)).contains("/status ", "operationState");
    assertThat(patches.get(1)).doesNotContain("/status ").contains("{\"operation\":null}");
    assertThat(object().has("operation")).isFalse();
    assertThat(object().at("/status/operationState/phase").asString()).isEqualTo("Succeeded");
  }

  @Test
  void anOperationWithFieldsGlidepathDoesNotHonourIsRefusedNamingTheFieldAndRemoved()
      throws Exception {
    ApplicationController c = controller();
    patch("{\"operation\":{\"sync\":{\"revision\":\"abc\",\"dryRun\":true}}}");
    AppStatus refused = c.reconcile();
    assertThat(refused.synced()).isFalse();
    assertThat(refused.message()).contains("operation.sync.").contains("not supported");
    assertThat(reasons).isEmpty();
    assertThat(cluster.get(CONFIG_MAP)).isEmpty();
    assertThat(object().has("operation")).isFalse();
  }
}

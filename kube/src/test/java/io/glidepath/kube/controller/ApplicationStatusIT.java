package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.glidepath.core.app.Application;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.testkit.ExternalTool;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Where the cluster serves Argo CD's Application and the app's object exists, the controller keeps
 * its status there, in Argo CD's shape, and a restarted controller carries on from it.
 */
class ApplicationStatusIT {
  private static final String RENDERED = TradeServiceManifests.RENDERED;
  private static final ResourceKey APPLICATION =
      new ResourceKey("argoproj.io", "Application", "argocd", "trade-service");
  private static final ResourceKey CONFIG_MAP_STATUS =
      new ResourceKey("", "ConfigMap", "argocd", "glidepath-trade-service");
  private static final ResourceKey DEPLOYMENT =
      new ResourceKey("apps", "Deployment", "production", "trade-service");

  /** The chart's Ingress for the production host, with a TLS secret (so https). */
  private static final String INGRESS =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: trade-service}
      spec:
        ingressClassName: nginx
        tls: [{hosts: [trade-service.example.com], secretName: trade-service-tls}]
        rules:
          - host: trade-service.example.com
            http:
              paths:
                - path: /
                  pathType: Prefix
                  backend: {service: {name: trade-service-stable, port: {number: 80}}}
      """;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final EmbeddedCluster embedded =
      EmbeddedCluster.builder()
          .clock(clock)
          .manualController()
          .readyDelay(Duration.ofSeconds(10))
          .start();
  private final KubeCluster cluster =
      KubeCluster.connect(
          embedded.config(), new RequestRetry(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20)));
  private final AtomicReference<DesiredState> desired =
      new AtomicReference<>(
          new DesiredState("rev-1", ResourceSet.of(Yaml.readResources(RENDERED, "rendered.yaml"))));

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static String seedYaml(boolean selfHeal) throws IOException {
    try (InputStream in = ApplicationStatusIT.class.getResourceAsStream("/argocd-app.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return selfHeal ? yaml : yaml.replace("selfHeal: true", "selfHeal: false");
    }
  }

  private void applyApplicationObject() throws IOException {
    applyApplicationObject(true);
  }

  /** What {@code kubectl apply -f argocd-app.yaml} does in a cluster with Argo CD's CRDs. */
  private void applyApplicationObject(boolean selfHeal) throws IOException {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();
    cluster.client().resource(seedYaml(selfHeal)).inNamespace("argocd").create();
  }

  private ApplicationController controller(boolean selfHeal) throws IOException {
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).build();
    return ApplicationController.builder(
            Application.parse(seedYaml(selfHeal), "argocd-app.yaml"), cluster, desired::get)
        .engine(engine)
        .clock(clock)
        .projects(ProjectSource.of(Project.permissive("production")))
        .build();
  }

  private JsonNode applicationStatus() {
    return cluster.get(APPLICATION).orElseThrow().body().path("status");
  }

  @Test
  void theApplicationsHealthComesFromTheConfiguredChecks() throws Exception {
    applyApplicationObject();
    io.glidepath.core.health.HealthAssessor custom =
        io.glidepath.core.health.HealthAssessor.builder()
            .check(
                "apps",
                "Deployment",
                live ->
                    io.glidepath.core.health.Health.of(
                        io.glidepath.core.health.HealthStatus.DEGRADED, "custom says no"))
            .build();
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).health(custom).build();
    ApplicationController controller =
        ApplicationController.builder(
                Application.parse(seedYaml(true), "argocd-app.yaml"), cluster, desired::get)
            .engine(engine)
            .health(custom)
            .clock(clock)
            .projects(ProjectSource.of(Project.permissive("production")))
            .build();
    controller.reconcile();
    controller.reconcile();

    JsonNode status = applicationStatus();
    assertThat(status.at("/health/status").asString()).isEqualTo("Degraded");
    assertThat(status.path("resources"))
        .filteredOn(r -> r.path("kind").asString().equals("Deployment"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.at("/health/status").asString()).isEqualTo("Degraded");
              assertThat(r.at("/health/message").asString()).isEqualTo("custom says no");
            });
  }

  @Test
  void theServedKindsIncludeArgoCdsApplication() {
    assertThat(cluster.resourceType("argoproj.io", "Application")).isPresent();
  }

  @Test
  void aSyncIsRecordedInTheApplicationsStatusInArgoCdsShape() throws Exception {
    applyApplicationObject();

    AppStatus synced = controller(true).reconcile();

    assertThat(synced.synced()).as(synced.message()).isTrue();
    JsonNode status = applicationStatus();
    assertThat(status.at("/sync/status").asString()).isEqualTo("Synced");
    assertThat(status.at("/sync/revision").asString()).isEqualTo("rev-1");
    assertThat(status.at("/health/status").asString()).isNotEmpty();
    assertThat(status.at("/reconciledAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
    JsonNode op = status.path("operationState");
    assertThat(op.at("/phase").asString()).isEqualTo("Succeeded");
    assertThat(op.at("/operation/sync/revision").asString()).isEqualTo("rev-1");
    assertThat(op.at("/startedAt").asString()).isNotEmpty();
    assertThat(op.at("/finishedAt").asString()).isNotEmpty();
    assertThat(op.at("/syncResult/revision").asString()).isEqualTo("rev-1");
    assertThat(op.at("/syncResult/resources"))
        .anySatisfy(
            r -> {
              assertThat(r.path("kind").asString()).isEqualTo("Deployment");
              assertThat(r.path("group").asString()).isEqualTo("apps");
              assertThat(r.path("namespace").asString()).isEqualTo("production");
              assertThat(r.path("name").asString()).isEqualTo("trade-service");
              assertThat(r.path("status").asString()).isEqualTo("Synced");
              assertThat(r.has("message")).isTrue();
            });
    assertThat(status.path("history")).hasSize(1);
    assertThat(status.at("/history/0/revision").asString()).isEqualTo("rev-1");
    assertThat(status.at("/history/0/id").asLong()).isEqualTo(1);
    assertThat(status.at("/history/0/deployedAt").asString()).isNotEmpty();
    // the spec the user applied is untouched, and no ConfigMap was needed
    assertThat(cluster.get(APPLICATION).orElseThrow().body().at("/spec/source/path").asString())
        .isEqualTo("apps/trade-service");
    assertThat(cluster.get(CONFIG_MAP_STATUS)).isEmpty();
  }

  @Test
  void theStatusListsEachResourceWithItsSyncStatusAndHealthAsArgoCdDoes() throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller(true);
    controller.reconcile();
    AppStatus compared = controller.reconcile();

    assertThat(compared.inSync()).as(compared.message()).isTrue();
    JsonNode resources = applicationStatus().path("resources");
    assertThat(resources)
        .extracting(
            r ->
                r.path("group").asString()
                    + "/"
                    + r.path("version").asString()
                    + " "
                    + r.path("kind").asString()
                    + " "
                    + r.path("namespace").asString()
                    + "/"
                    + r.path("name").asString()
                    + " "
                    + r.path("status").asString())
        .containsExactlyInAnyOrder(
            "/v1 ConfigMap production/trade-service-config Synced",
            "apps/v1 Deployment production/trade-service Synced");
    // as in Argo CD, a kind without a health check (ConfigMap) has no health entry
    assertThat(resources)
        .allSatisfy(
            r ->
                assertThat(r.at("/health/status").isMissingNode())
                    .isEqualTo(r.path("kind").asString().equals("ConfigMap")));

    // the ConfigMap leaves Git: synced (pruned) and no longer listed
    desired.set(
        new DesiredState(
            "rev-2",
            ResourceSet.of(Yaml.readResources(TradeServiceManifests.DEPLOYMENT, "rendered.yaml"))));
    controller.reconcile();
    controller.reconcile();
    assertThat(applicationStatus().path("resources"))
        .extracting(r -> r.path("name").asString())
        .containsExactly("trade-service");
  }

  /** The seed app rendered by Helm, with its Ingress. */
  private DesiredState renderedByHelm(String revision) {
    return new DesiredState(
        revision,
        ResourceSet.of(Yaml.readResources(RENDERED + "---\n" + INGRESS, "rendered.yaml")),
        Optional.of(SourceType.HELM));
  }

  @Test
  void afterASyncTheStatusSaysWhatWasComparedHowItWasRenderedAndWhatItRuns() throws Exception {
    applyApplicationObject();
    desired.set(renderedByHelm("rev-1"));

    AppStatus synced = controller(true).reconcile();

    assertThat(synced.synced()).as(synced.message()).isTrue();
    JsonNode status = applicationStatus();
    // sync.comparedTo: the spec's source and destination, as `argocd app get` shows them
    assertThat(status.at("/sync/comparedTo"))
        .isEqualTo(
            Yaml.readTree(
                """
                source:
                  repoURL: https://git.example.com/org/gitops-configs.git
                  path: apps/trade-service
                  targetRevision: main
                  helm:
                    valueFiles: [values.yaml, values-production.yaml]
                    parameters: [{name: image.tag}]
                destination:
                  server: https://kubernetes.default.svc
                  namespace: production
                """,
                "expected.yaml"));
    assertThat(status.at("/sourceType").asString()).isEqualTo("Helm");
    assertThat(status.at("/summary/images"))
        .extracting(JsonNode::asString)
        .containsExactly("registry.example.com/trade-service:1.0.0");
    assertThat(status.at("/summary/externalURLs"))
        .extracting(JsonNode::asString)
        .containsExactly("https://trade-service.example.com/");
    // the health changed (to Progressing) in this reconcile
    assertThat(status.at("/health/lastTransitionTime").asString())
        .isNotEmpty()
        .isEqualTo(status.at("/reconciledAt").asString());
    // the source of the sync, in the operation's result and in the history entry
    JsonNode source = status.at("/sync/comparedTo/source");
    assertThat(status.at("/operationState/syncResult/source")).isEqualTo(source);
    assertThat(status.at("/history/0/source")).isEqualTo(source);
    assertThat(status.at("/history/0/initiatedBy/automated").asBoolean()).isTrue();
    // the operation as Argo CD's auto-sync states it: the app's prune and sync options
    assertThat(status.at("/operationState/operation/sync/prune").asBoolean()).isTrue();
    assertThat(status.at("/operationState/operation/sync/syncOptions"))
        .extracting(JsonNode::asString)
        .containsExactly(
            "CreateNamespace=true", "ServerSideApply=true", "PrunePropagationPolicy=foreground");
    // the same in the controller's own status
    assertThat(synced.sourceType()).contains(SourceType.HELM);
    assertThat(synced.summary().externalURLs())
        .containsExactly("https://trade-service.example.com/");
  }

  @Test
  void aRestartedControllerThatObservesTheSameWritesNothing() throws Exception {
    applyApplicationObject();
    desired.set(renderedByHelm("rev-1"));
    ApplicationController first = controller(true);
    first.reconcile();
    first.reconcile(); // the health after the sync

    embedded.clearRequests();
    AppStatus again = controller(true).reconcile();

    assertThat(again.inSync()).as(again.message()).isTrue();
    assertThat(again.summary().images())
        .containsExactly("registry.example.com/trade-service:1.0.0");
    assertThat(embedded.writes()).as("comparedTo, sourceType and summary read back").isEmpty();
  }

  @Test
  void aNewImageInTheClusterReplacesTheOldOneInTheSummary() throws Exception {
    applyApplicationObject();
    desired.set(renderedByHelm("rev-1"));
    ApplicationController controller = controller(true);
    controller.reconcile();

    desired.set(
        new DesiredState(
            "rev-2",
            ResourceSet.of(Yaml.readResources(RENDERED.replace("1.0.0", "1.1.0"), "rendered.yaml")),
            Optional.of(SourceType.HELM)));
    controller.reconcile(); // syncs rev-2: the Ingress is pruned, the image changes
    controller.reconcile(); // looks at what now runs

    JsonNode summary = applicationStatus().path("summary");
    assertThat(summary.path("images"))
        .extracting(JsonNode::asString)
        .containsExactly("registry.example.com/trade-service:1.1.0");
    assertThat(summary.has("externalURLs")).as("no Ingress is left: %s", summary).isFalse();
  }

  @Test
  void kubectlReadsTheNewFieldsFromTheApplication(@TempDir Path tmp) throws Exception {
    ExternalTool.require(ExternalTool.KUBECTL);
    applyApplicationObject();
    desired.set(renderedByHelm("rev-1"));
    AppStatus synced = controller(true).reconcile();
    assertThat(synced.synced()).as(synced.message()).isTrue();

    String out =
        kubectl(
            tmp,
            "get",
            "application",
            "trade-service",
            "-n",
            "argocd",
            "-o",
            "jsonpath={.status.sourceType} {.status.summary.images[0]}"
                + " {.status.summary.externalURLs[0]} {.status.sync.comparedTo.source.repoURL}"
                + " {.status.sync.comparedTo.destination.namespace}");

    assertThat(out)
        .isEqualTo(
            "Helm registry.example.com/trade-service:1.0.0 https://trade-service.example.com/"
                + " https://git.example.com/org/gitops-configs.git production");
  }

  private String kubectl(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            "kubectl", "--server", embedded.url(), "--cache-dir", tmp.resolve("cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", tmp.resolve("no-kubeconfig").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl timed out: " + command);
    }
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void aNewRevisionAddsAHistoryEntryWithTheNextId() throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller(true);
    controller.reconcile();

    desired.set(
        new DesiredState(
            "rev-2",
            ResourceSet.of(
                Yaml.readResources(RENDERED.replace("1.0.0", "1.1.0"), "rendered.yaml"))));
    AppStatus second = controller.reconcile();

    assertThat(second.synced()).as(second.message()).isTrue();
    JsonNode history = applicationStatus().path("history");
    assertThat(history).hasSize(2);
    assertThat(history.get(1).path("revision").asString()).isEqualTo("rev-2");
    assertThat(history.get(1).path("id").asLong()).isEqualTo(2);
    assertThat(applicationStatus().at("/sync/revision").asString()).isEqualTo("rev-2");
  }

  @Test
  void aRestartedControllerCarriesOnFromTheApplicationsStatus() throws Exception {
    applyApplicationObject(false); // the object's spec is the one that counts
    controller(false).reconcile();
    embedded.clearRequests();

    // a new instance (a restart): in sync, so nothing is synced again
    AppStatus again = controller(false).reconcile();
    assertThat(again.synced()).isFalse();
    assertThat(again.inSync()).as(again.message()).isTrue();
    assertThat(again.lastSyncedRevision()).contains("rev-1");
    assertThat(embedded.writes())
        .as("only the Application's status (its health) may be written")
        .allMatch(c -> c.kind().equals("Application") && c.name().equals("trade-service"));

    // drift after a restart: the same commit+parameters is not auto-synced a second time
    TradeServiceManifests.kubectlEditReplicas(cluster, 1);
    embedded.clearRequests();
    AppStatus afterRestart = controller(false).reconcile();

    assertThat(afterRestart.synced()).isFalse();
    assertThat(afterRestart.message()).contains("already synced", "selfHeal is off");
    assertThat(cluster.get(DEPLOYMENT).orElseThrow().body().at("/spec/replicas").asInt())
        .isEqualTo(1);
    assertThat(embedded.writes())
        .as("only the Application's status may be written")
        .allMatch(c -> c.kind().equals("Application") && c.name().equals("trade-service"));
    assertThat(applicationStatus().at("/sync/status").asString()).isEqualTo("OutOfSync");
    assertThat(applicationStatus().path("history")).hasSize(1);
    assertThat(cluster.get(CONFIG_MAP_STATUS)).isEmpty();
  }

  @Test
  void withoutAnApplicationObjectTheStatusStaysInTheConfigMap() throws Exception {
    cluster
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
        .create();

    desired.set(renderedByHelm("rev-1"));

    AppStatus synced = controller(true).reconcile();

    assertThat(synced.synced()).as(synced.message()).isTrue();
    JsonNode data = cluster.get(CONFIG_MAP_STATUS).orElseThrow().body().path("data");
    assertThat(data.at("/lastSyncedRevision")).hasToString("\"rev-1\"");
    JsonNode history = Yaml.readTree(data.path("history").asString(), "history.json");
    assertThat(history.at("/0/source/repoURL").asString())
        .isEqualTo("https://git.example.com/org/gitops-configs.git");
    assertThat(history.at("/0/sourceType").asString()).isEqualTo("Helm");
    assertThat(synced.summary().images())
        .containsExactly("registry.example.com/trade-service:1.0.0");
    assertThat(cluster.get(APPLICATION)).isEmpty();
  }

  @Test
  void eachStatusWriteGoesToTheObjectItselfInOnePatchAsArgoCdsCrdHasNoStatusSubresource()
      throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller(true);
    embedded.clearRequests();

    AppStatus synced = controller.reconcile(); // the sync's status
    clock.advance(Duration.ofSeconds(10));
    embedded.reconcile();
    controller.reconcile(); // the health after it

    assertThat(synced.synced()).as(synced.message()).isTrue();
    List<io.glidepath.testkit.cluster.RecordedCall> writes =
        embedded.requests().stream()
            .filter(c -> c.kind().equals("Application") && !c.method().equals("GET"))
            .toList();
    assertThat(writes)
        .as("the sync's status and the health after it")
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            c -> {
              assertThat(c.uri())
                  .isEqualTo(
                      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/trade-service");
              assertThat(c.status()).isEqualTo(200);
            });
    assertThat(embedded.requests())
        .as("no status write answered 404 first")
        .noneMatch(c -> c.kind().equals("Application") && c.status() == 404);
    assertThat(applicationStatus().at("/sync/status").asString()).isEqualTo("Synced");
    assertThat(applicationStatus().at("/operationState/phase").asString()).isEqualTo("Succeeded");
  }

  @Test
  void whereTheApplicationCrdHasAStatusSubresourceTheStatusIsWrittenThroughIt() throws Exception {
    try (EmbeddedCluster withStatus =
            EmbeddedCluster.builder()
                .clock(clock)
                .manualController()
                .customResource(
                    "argoproj.io", "v1alpha1", "Application", "applications", true, true)
                .start();
        KubeCluster other = KubeCluster.connect(withStatus.config(), RequestRetry.NONE)) {
      other
          .client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("argocd").endMetadata().build())
          .create();
      other.client().resource(seedYaml(true)).inNamespace("argocd").create();
      SyncEngine engine = engineOnManualTime(other, clock, withStatus).build();
      ApplicationController controller =
          ApplicationController.builder(
                  Application.parse(seedYaml(true), "argocd-app.yaml"), other, desired::get)
              .engine(engine)
              .clock(clock)
              .projects(ProjectSource.of(Project.permissive("production")))
              .build();
      withStatus.clearRequests();

      AppStatus synced = controller.reconcile();

      assertThat(synced.synced()).as(synced.message()).isTrue();
      assertThat(withStatus.requests())
          .filteredOn(c -> c.kind().equals("Application") && c.method().equals("PATCH"))
          .isNotEmpty()
          .filteredOn(c -> c.body().contains("\"status\""))
          .isNotEmpty()
          .allSatisfy(
              c -> {
                assertThat(c.uri()).endsWith("/applications/trade-service/status");
                assertThat(c.status()).isEqualTo(200);
              });
      assertThat(
              other
                  .get(APPLICATION)
                  .orElseThrow()
                  .body()
                  .at("/status/operationState/phase")
                  .asString())
          .isEqualTo("Succeeded");
    }
  }

  @Test
  void anUnchangedReconcileWritesNoStatus() throws Exception {
    applyApplicationObject();
    ApplicationController controller = controller(true);
    controller.reconcile();
    controller.reconcile(); // health may change once after the sync

    embedded.clearRequests();
    controller.reconcile();

    assertThat(embedded.writes()).isEmpty();
  }

  @Test
  void whenGitCannotBeReadTheStatusSaysUnknownAndKeepsTheLastRevision() throws Exception {
    applyApplicationObject();
    AtomicReference<Boolean> gitDown = new AtomicReference<>(false);
    ApplicationController controller =
        ApplicationController.builder(
                Application.parse(seedYaml(true), "argocd-app.yaml"),
                cluster,
                () -> {
                  if (gitDown.get()) {
                    throw new io.glidepath.core.GlidepathException("git.example.com is down");
                  }
                  return desired.get();
                })
            .clock(clock)
            .projects(ProjectSource.of(Project.permissive("production")))
            .build();
    controller.reconcile();

    gitDown.set(true);
    AppStatus down = controller.reconcile();

    assertThat(down.message()).contains("could not get the desired state", "is down");
    assertThat(applicationStatus().at("/sync/status").asString()).isEqualTo("Unknown");
    assertThat(applicationStatus().at("/sync/revision").asString()).isEqualTo("rev-1");
    assertThat(applicationStatus().path("history")).hasSize(1);
  }
}

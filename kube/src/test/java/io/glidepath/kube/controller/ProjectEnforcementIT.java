package io.glidepath.kube.controller;

import static io.glidepath.kube.Fixtures.engineOnManualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.project.ProjectViolationException;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncPlanner;
import io.glidepath.core.sync.SyncSettings;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.kube.sync.SyncEngine;
import io.glidepath.testkit.ManualClock;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's Application under its {@code production} project: every refusal happens before the
 * first request that writes, dry runs included, and names the resource, the rule and the project.
 */
class ProjectEnforcementIT {
  private static final String CONFIG_MAP = TradeServiceManifests.CONFIG_MAP;
  private static final String DEPLOYMENT = TradeServiceManifests.DEPLOYMENT;
  private static final String CLUSTER_ROLE_BINDING =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: trade-service-admin}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
      subjects: [{kind: ServiceAccount, name: default, namespace: production}]
      """;
  private static final String NAMESPACE =
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: trade-tools}
      """;
  private static final ResourceKey DEPLOYMENT_KEY =
      new ResourceKey("apps", "Deployment", "production", "trade-service");
  private static final ResourceKey CONFIG_KEY =
      new ResourceKey("", "ConfigMap", "production", "trade-service-config");

  /** Thursday 2026-01-01, outside the Friday freeze. */
  private static final Instant WEEKDAY = Instant.parse("2026-01-01T10:00:00Z");

  /** Friday 2026-01-02 19:00 in Berlin: inside the freeze, which ends Monday 08:00 Berlin. */
  private static final Instant FREEZE = Instant.parse("2026-01-02T18:00:00Z");

  private static final Instant FREEZE_ENDS = Instant.parse("2026-01-05T07:00:00Z");

  private final ManualClock clock = ManualClock.at(WEEKDAY);
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
      new AtomicReference<>(state("rev-1", CONFIG_MAP + "---\n" + DEPLOYMENT));
  private final AtomicReference<Project> project = new AtomicReference<>(production(""));
  private final List<ProjectViolationException> refusals = new ArrayList<>();

  @AfterEach
  void close() {
    cluster.close();
    embedded.close();
  }

  private static DesiredState state(String revision, String yaml) {
    return new DesiredState(
        revision, ResourceSet.of(Yaml.readResources(yaml, revision + "/rendered.yaml")));
  }

  private static String resource(String path) {
    try (InputStream in = ProjectEnforcementIT.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The test project, with {@code from} replaced by {@code to} pairwise. */
  private static Project production(String... edits) {
    String yaml = resource("/project/production.yaml");
    for (int i = 0; i + 1 < edits.length; i += 2) {
      assertThat(yaml).contains(edits[i]);
      yaml = yaml.replace(edits[i], edits[i + 1]);
    }
    return Project.parse(yaml, "production.yaml");
  }

  private ApplicationController controller() {
    return controller(Duration.ofMinutes(3));
  }

  private ApplicationController controller(Duration resyncPeriod) {
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).build();
    ProjectSource projects =
        name -> name.equals(project.get().name()) ? Optional.of(project.get()) : Optional.empty();
    return ApplicationController.builder(
            Application.parse(resource("/argocd-app.yaml"), "argocd-app.yaml"),
            cluster,
            desired::get)
        .engine(engine)
        .clock(clock)
        .statusNamespace("default")
        .projects(projects)
        .resyncPeriod(resyncPeriod)
        .listener(
            new ControllerListener() {
              @Override
              public void refused(String app, String revision, ProjectViolationException e) {
                refusals.add(e);
              }
            })
        .build();
  }

  /** Reconciles once and checks that nothing was written, not even a dry run. */
  private AppStatus refusedWithoutAnyWrite(ApplicationController controller) {
    embedded.clearRequests();
    AppStatus status = controller.reconcile();
    assertThat(embedded.requests()).noneMatch(c -> c.verb().isWrite());
    assertThat(status.synced()).isFalse();
    assertThat(status.conditions()).as(status.message()).isNotEmpty();
    return status;
  }

  @Test
  void theSeedAppSyncsNormallyUnderAProjectAllowingOnlyItsNamespaceAndKinds() {
    AppStatus status = controller().reconcile();

    assertThat(status.synced()).as(status.message()).isTrue();
    assertThat(status.inSync()).as(status.message()).isTrue();
    assertThat(status.conditions()).isEmpty();
    assertThat(cluster.get(DEPLOYMENT_KEY)).isPresent();
    assertThat(refusals).isEmpty();
  }

  @Test
  void takesTheProjectFromTheAppProjectObjectsOfTheArgoCdNamespace() {
    cluster
        .client()
        .resource(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"argocd\"}}")
        .create();
    cluster.client().resource(resource("/project/production.yaml")).create();
    desired.set(state("rev-1", CONFIG_MAP + "---\n" + DEPLOYMENT + "---\n" + CLUSTER_ROLE_BINDING));
    SyncEngine engine = engineOnManualTime(cluster, clock, embedded).build();
    ApplicationController controller =
        ApplicationController.builder(
                Application.parse(resource("/argocd-app.yaml"), "argocd-app.yaml"),
                cluster,
                desired::get)
            .engine(engine)
            .clock(clock)
            .statusNamespace("default")
            .projects(AppProjects.in(cluster, "argocd"))
            .build();

    AppStatus status = refusedWithoutAnyWrite(controller);

    assertThat(status.conditions().get(0).message())
        .contains("ClusterRoleBinding", "clusterResourceWhitelist", "project production");
    assertThat(AppProjects.in(cluster, "argocd").find("../argocd/production")).isEmpty();
    assertThat(AppProjects.in(cluster, "argocd").find("staging")).isEmpty();
  }

  @Test
  void refusesARepositoryNotInSourceRepos() {
    project.set(
        production(
            "- https://git.example.com/org/gitops-configs.git",
            "- https://git.example.com/org/other-team.git"));

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.conditions())
        .extracting(AppCondition::type)
        .containsExactly(AppCondition.Type.PROJECT_VIOLATION);
    assertThat(status.message())
        .contains(
            "repository https://git.example.com/org/gitops-configs.git",
            "sourceRepos",
            "project production");
    assertThat(refusals)
        .singleElement()
        .satisfies(e -> assertThat(e.project()).isEqualTo("production"));
  }

  @Test
  void refusesADestinationNamespaceTheProjectDoesNotPermit() {
    project.set(production("namespace: production", "namespace: staging"));

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.conditions().get(0).message())
        .contains("namespace production", "destinations", "project production");
  }

  @Test
  void refusesAClusterRoleBindingTheProjectMayNotCreate() {
    desired.set(state("rev-1", CONFIG_MAP + "---\n" + DEPLOYMENT + "---\n" + CLUSTER_ROLE_BINDING));

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.conditions())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.message())
                    .contains(
                        "rbac.authorization.k8s.io/ClusterRoleBinding:/trade-service-admin",
                        "clusterResourceWhitelist",
                        "project production"));
    assertThat(refusals.get(0).violations().get(0).resource())
        .contains(
            new ResourceKey(
                "rbac.authorization.k8s.io", "ClusterRoleBinding", "", "trade-service-admin"));
  }

  @Test
  void refusesANamespaceTheProjectMayNotCreate() {
    project.set(production("- group: ''\n      kind: Namespace", "- group: ''\n      kind: Node"));
    desired.set(state("rev-1", NAMESPACE + "---\n" + DEPLOYMENT));

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.message()).contains("Namespace:/trade-tools", "clusterResourceWhitelist");
  }

  @Test
  void refusesCreatingTheDestinationNamespaceWhenTheProjectMayNotCreateNamespaces() {
    // CreateNamespace=true makes the plan create namespace production: that is a Namespace too
    project.set(production("- group: ''\n      kind: Namespace", "- group: ''\n      kind: Node"));

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.message()).contains("Namespace:/production", "clusterResourceWhitelist");
  }

  @Test
  void refusesPruningAKindTheProjectMayNotManage() {
    ApplicationController controller = controller();
    assertThat(controller.reconcile().synced()).isTrue();
    // the ConfigMap leaves Git, and the project no longer lets the app manage ConfigMaps
    desired.set(state("rev-2", DEPLOYMENT));
    project.set(production("- {group: '', kind: ConfigMap}\n", ""));

    AppStatus status = refusedWithoutAnyWrite(controller);

    assertThat(status.message())
        .contains("ConfigMap:production/trade-service-config", "namespaceResourceWhitelist");
    assertThat(cluster.get(CONFIG_KEY)).isPresent();
  }

  @Test
  void refusesAnAutomatedSyncInsideADenyWindowNamingTheWindowAndItsEnd() {
    clock.set(FREEZE);

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.conditions())
        .extracting(AppCondition::type)
        .containsExactly(AppCondition.Type.SYNC_WINDOW_BLOCKED);
    assertThat(status.message()).contains("deny", "0 16 * * FRI", FREEZE_ENDS.toString());
    assertThat(cluster.get(DEPLOYMENT_KEY)).isEmpty();
  }

  @Test
  void aManualSyncRunsInsideADenyWindowThatAllowsManualSyncs() {
    clock.set(FREEZE);
    SyncEngine engine = SyncEngine.builder(cluster).clock(clock).build();
    ApplicationController manual =
        ApplicationController.builder(
                Application.parse(resource("/argocd-app.yaml"), "argocd-app.yaml"),
                cluster,
                desired::get)
            .engine(engine)
            .clock(clock)
            .statusNamespace("default")
            .projects(ProjectSource.of(project.get()))
            .manualSync(true)
            .build();

    AppStatus status = manual.reconcile();

    assertThat(status.synced()).as(status.message()).isTrue();
  }

  @Test
  void aWindowRefusalIsNotRetriedBeforeTheWindowEnds() {
    clock.set(FREEZE);
    ApplicationController controller = controller();

    embedded.clearRequests();
    for (int i = 0; i < 50; i++) {
      AppStatus status = controller.reconcile();
      assertThat(status.synced()).isFalse();
      assertThat(status.conditions()).isNotEmpty();
      clock.advance(Duration.ofMinutes(30));
    }
    assertThat(clock.instant()).isBefore(FREEZE_ENDS);

    assertThat(refusals).hasSize(1);
    assertThat(embedded.requests()).noneMatch(c -> c.verb().isWrite());

    clock.set(FREEZE_ENDS.plusSeconds(1));
    AppStatus after = controller.reconcile();
    assertThat(after.synced()).as(after.message()).isTrue();
    assertThat(refusals).hasSize(1);
  }

  @Test
  void aRunningControllerDoesNotSpinOnAWindowRefusal() throws InterruptedException {
    clock.set(FREEZE);
    embedded.clearRequests();
    try (ApplicationController controller = controller(Duration.ofMillis(20))) {
      controller.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (controller.status().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(500); // some 25 resync periods
      assertThat(controller.status()).isPresent();
    }

    assertThat(refusals).hasSize(1);
    assertThat(embedded.requests()).noneMatch(c -> c.verb().isWrite());
  }

  @Test
  void aViolationIsRetriedOnANewRevisionButNotForTheSameOne() {
    desired.set(state("rev-1", DEPLOYMENT + "---\n" + CLUSTER_ROLE_BINDING));
    ApplicationController controller = controller();

    refusedWithoutAnyWrite(controller);
    refusedWithoutAnyWrite(controller);
    assertThat(refusals).hasSize(1);

    desired.set(state("rev-2", DEPLOYMENT));
    AppStatus fixed = controller.reconcile();
    assertThat(fixed.synced()).as(fixed.message()).isTrue();
  }

  @Test
  void anAppNamingAnUnknownProjectIsRefused() {
    project.set(production("name: production", "name: staging"));

    AppStatus status = refusedWithoutAnyWrite(controller());

    assertThat(status.message()).contains("project production does not exist");
  }

  @Test
  void warnsAboutObjectsInTheDestinationNamespaceThatNoAppOwns() {
    project.set(production("  syncWindows:", "  orphanedResources: {warn: true}\n  syncWindows:"));
    ApplicationController controller = controller();
    assertThat(controller.reconcile().conditions()).isEmpty();

    cluster
        .client()
        .configMaps()
        .inNamespace("production")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("leftover")
                .endMetadata()
                .build())
        .create();
    AppStatus status = controller.reconcile();

    assertThat(status.inSync()).isTrue();
    assertThat(status.conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(AppCondition.Type.ORPHANED_RESOURCE_WARNING);
              assertThat(c.message()).contains("ConfigMap:production/leftover");
            });
  }

  @Test
  void theSyncEngineRefusesAPlanItsProjectForbidsBeforeAnyRequest() {
    Application app = Application.parse(resource("/argocd-app.yaml"), "argocd-app.yaml");
    ResourceSet rendered =
        ResourceSet.of(
            Yaml.readResources(DEPLOYMENT + "---\n" + CLUSTER_ROLE_BINDING, "rendered.yaml"));
    SyncPlan plan =
        SyncPlanner.create()
            .plan(
                DriftDetector.of(app.diffOptions())
                    .detect(
                        rendered.map(
                            r ->
                                r.namespace().isPresent() || r.kind().startsWith("Cluster")
                                    ? r
                                    : r.withNamespace("production")),
                        ResourceSet.empty()),
                SyncSettings.of(app));
    ProjectGuard guard = ProjectGuard.of(ProjectSource.of(project.get()), cluster.scope(), clock);
    embedded.clearRequests();

    assertThatThrownBy(() -> SyncEngine.builder(cluster).build().sync(app, plan, guard, false))
        .isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("ClusterRoleBinding:/trade-service-admin")
        .hasMessageContaining("project \"production\"");
    assertThat(embedded.requests()).noneMatch(c -> c.verb().isWrite());
  }
}

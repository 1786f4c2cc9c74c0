package io.glidepath.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.sync.SyncPhase;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncStep;
import io.glidepath.core.yaml.Yaml;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProjectGuardTest {
  private static final Application APP =
      Application.parse(
          """
          apiVersion: argoproj.io/v1alpha1
          kind: Application
          metadata: {name: trade-service, namespace: argocd}
          spec:
            project: production
            source: {repoURL: "https://git.example.com/org/gitops-configs.git", path: apps/trade-service, targetRevision: main}
            destination: {server: "https://kubernetes.default.svc", namespace: production}
          """,
          "app.yaml");
  private static final Instant WEDNESDAY = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant FRIDAY_EVENING = Instant.parse("2026-11-27T18:00:00Z");

  private static Resource r(String yaml) {
    return Yaml.readResources(yaml, "r.yaml").get(0);
  }

  private static final Resource SERVICE =
      r(
          "apiVersion: v1\nkind: Service\nmetadata: {name: trade-service-stable, namespace: production}\n");
  private static final Resource CONFIG_MAP =
      r("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leftover, namespace: production}\n");

  private static SyncStep step(Resource r, SyncAction action) {
    return new SyncStep(
        r.key(), r, action, SyncPhase.SYNC, 0, SyncOptions.NONE, List.of(), DriftStatus.MODIFIED);
  }

  private static ProjectGuard guard(Instant at) {
    return ProjectGuard.of(
        ProjectSource.of(ProjectTest.PRODUCTION), ResourceScope.builtIn(), () -> at);
  }

  @Test
  void defaultExistsAndPermitsEverythingUnlessDefined() {
    assertThat(ProjectSource.defaults().resolve("default").name()).isEqualTo("default");
    Project strict = Project.builder("default").build();
    assertThat(ProjectSource.of(strict).resolve("default")).isSameAs(strict);
    assertThatThrownBy(() -> ProjectSource.defaults().resolve("production"))
        .isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("project production does not exist");
  }

  @Test
  void refusesTwoProjectsOfTheSameName() {
    assertThatThrownBy(() -> ProjectSource.of(Project.permissive("a"), Project.permissive("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distinct names");
  }

  @Test
  void permitsAPlanOfAllowedKindsOutsideWindows() {
    SyncPlan plan =
        new SyncPlan(
            List.of(step(SERVICE, SyncAction.APPLY)), List.of(), Optional.of("production"));
    assertThat(guard(WEDNESDAY).checkSync(APP, plan, false).permitted()).isTrue();
  }

  @Test
  void refusesPruningAKindTheProjectMayNotManage() {
    SyncPlan plan =
        new SyncPlan(List.of(step(CONFIG_MAP, SyncAction.PRUNE)), List.of(), Optional.empty());
    ProjectVerdict v = guard(WEDNESDAY).checkSync(APP, plan, false);
    assertThat(v.violations())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.rule()).isEqualTo("namespaceResourceWhitelist");
              assertThat(x.resource()).contains(CONFIG_MAP.key());
            });
    assertThatThrownBy(v::orThrow).isInstanceOf(ProjectViolationException.class);
  }

  @Test
  void aDenyWindowBlocksAutomatedSyncsUntilItEndsButLetsManualOnesThrough() {
    SyncPlan plan =
        new SyncPlan(List.of(step(SERVICE, SyncAction.APPLY)), List.of(), Optional.empty());
    ProjectVerdict automated = guard(FRIDAY_EVENING).checkSync(APP, plan, false);
    assertThat(automated.onlyWindowBlocks()).isTrue();
    // Friday 16:00 Berlin + 64h = Monday 08:00 Berlin = 07:00 UTC
    assertThat(automated.retryAt()).contains(Instant.parse("2026-11-30T07:00:00Z"));
    assertThat(guard(FRIDAY_EVENING).checkSync(APP, plan, true).permitted()).isTrue();
  }

  @Test
  void theNamespaceTheSyncCreatesMustBeAPermittedKind() {
    Project noNamespaces =
        Project.builder("production")
            .sourceRepo("*")
            .destination(new Destination("*", "", "production"))
            .build();
    ProjectGuard g =
        ProjectGuard.of(ProjectSource.of(noNamespaces), ResourceScope.builtIn(), () -> WEDNESDAY);
    SyncPlan plan = new SyncPlan(List.of(), List.of(), Optional.of("production"));
    assertThat(g.checkSync(APP, plan, false).violations())
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.message())
                    .contains("Namespace:/production", "clusterResourceWhitelist"));
  }

  @Test
  void checksRenderedResourcesWithTheScopeGiven() {
    Resource widget = r("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n");
    ResourceScope clusterScopedWidgets = (group, kind) -> !kind.equals("Widget");
    ProjectVerdict v =
        ProjectGuard.of(
                ProjectSource.of(ProjectTest.PRODUCTION), clusterScopedWidgets, () -> WEDNESDAY)
            .checkResources(APP, ResourceSet.of(List.of(widget)));
    assertThat(v.violations())
        .singleElement()
        .satisfies(x -> assertThat(x.rule()).isEqualTo("clusterResourceWhitelist"));
  }
}

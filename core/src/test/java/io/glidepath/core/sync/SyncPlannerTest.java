package io.glidepath.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
  private static final SyncPlanner PLANNER = SyncPlanner.create();
  private static final SyncSettings PRUNE = SyncSettings.manual(true, SyncOptions.NONE, "prod");

  private static Resource res(
      String apiVersion, String kind, String name, Map<String, String> annotations) {
    StringBuilder sb = new StringBuilder();
    sb.append("apiVersion: ")
        .append(apiVersion)
        .append("\nkind: ")
        .append(kind)
        .append("\nmetadata:\n  name: ")
        .append(name)
        .append("\n  namespace: prod\n");
    if (!annotations.isEmpty()) {
      sb.append("  annotations:\n");
      annotations.forEach(
          (k, v) -> sb.append("    ").append(k).append(": '").append(v).append("'\n"));
    }
    return Yaml.readResources(sb.toString(), name + ".yaml").get(0);
  }

  private static Resource res(String apiVersion, String kind, String name) {
    return res(apiVersion, kind, name, Map.of());
  }

  private static DriftReport report(List<Resource> desired, List<Resource> live) {
    return DriftDetector.of(DiffOptions.ofDefaults())
        .detect(ResourceSet.of(desired), ResourceSet.of(live));
  }

  private static List<String> order(SyncPlan plan) {
    return plan.steps().stream().map(SyncStep::toString).toList();
  }

  @Test
  void ordersByPhaseWaveKindAndNameWithPrunesLastInReverseWaveOrder() {
    List<Resource> desired =
        List.of(
            res("apps/v1", "Deployment", "web"),
            res("v1", "Service", "web"),
            res("example.com/v1", "Widget", "w1"),
            res("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
            res("v1", "ConfigMap", "b-config"),
            res("v1", "ConfigMap", "a-config"),
            res("batch/v1", "Job", "migrate", Map.of(SyncPlanner.HOOK, "PreSync")),
            res(
                "batch/v1",
                "Job",
                "smoke",
                Map.of(
                    SyncPlanner.HOOK, "PostSync", SyncPlanner.HOOK_DELETE_POLICY, "HookSucceeded")),
            res("v1", "Namespace", "team", Map.of(SyncPlanner.SYNC_WAVE, "-1")),
            res("apps/v1", "Deployment", "worker", Map.of(SyncPlanner.SYNC_WAVE, "2")));
    List<Resource> live =
        List.of(
            res("v1", "ConfigMap", "old-early", Map.of(SyncPlanner.SYNC_WAVE, "-3")),
            res("apps/v1", "Deployment", "old-late", Map.of(SyncPlanner.SYNC_WAVE, "5")),
            res("v1", "Service", "old-svc", Map.of(SyncPlanner.SYNC_WAVE, "5")));
    SyncPlan plan = PLANNER.plan(report(desired, live), PRUNE);
    assertThat(order(plan))
        .containsExactly(
            "Hook batch/Job:prod/migrate (PreSync, wave 0)",
            "Apply Namespace:prod/team (Sync, wave -1)",
            "Apply ConfigMap:prod/a-config (Sync, wave 0)",
            "Apply ConfigMap:prod/b-config (Sync, wave 0)",
            "Apply apiextensions.k8s.io/CustomResourceDefinition:prod/widgets.example.com (Sync, wave 0)",
            "Apply Service:prod/web (Sync, wave 0)",
            "Apply apps/Deployment:prod/web (Sync, wave 0)",
            "Apply example.com/Widget:prod/w1 (Sync, wave 0)",
            "Apply apps/Deployment:prod/worker (Sync, wave 2)",
            "Prune apps/Deployment:prod/old-late (Sync, wave 5)",
            "Prune Service:prod/old-svc (Sync, wave 5)",
            "Prune ConfigMap:prod/old-early (Sync, wave -3)",
            "Hook batch/Job:prod/smoke (PostSync, wave 0)");
    assertThat(plan.steps(SyncPhase.POST_SYNC).get(0).hookDeletePolicies())
        .containsExactly("HookSucceeded");
    assertThat(plan.steps(SyncPhase.PRE_SYNC).get(0).hookDeletePolicies())
        .containsExactly("BeforeHookCreation");
  }

  @Test
  void applyOutOfSyncOnlyLeavesSyncedResourcesOut() {
    Resource same = res("v1", "ConfigMap", "same");
    Resource changed = res("v1", "ConfigMap", "changed").withLabel("v", "2");
    DriftReport report =
        report(List.of(same, changed), List.of(same, res("v1", "ConfigMap", "changed")));
    assertThat(order(PLANNER.plan(report, PRUNE))).hasSize(2);
    SyncSettings outOfSyncOnly =
        SyncSettings.manual(true, SyncOptions.of("ApplyOutOfSyncOnly=true"), "prod");
    assertThat(order(PLANNER.plan(report, outOfSyncOnly)))
        .containsExactly("Apply ConfigMap:prod/changed (Sync, wave 0)");
  }

  @Test
  void resourceSyncOptionsOverrideTheApplicationsAndPruneFalseKeepsTheResource() {
    Resource keep = res("v1", "ConfigMap", "keep", Map.of(SyncPlanner.SYNC_OPTIONS, "Prune=false"));
    Resource big =
        res(
            "v1",
            "ConfigMap",
            "big",
            Map.of(SyncPlanner.SYNC_OPTIONS, "ServerSideApply=true,Replace=true"));
    Resource gone =
        res("v1", "ConfigMap", "gone", Map.of(SyncPlanner.SYNC_OPTIONS, "PruneLast=true"));
    Resource gone2 = res("v1", "ConfigMap", "gone2");
    SyncPlan plan = PLANNER.plan(report(List.of(big), List.of(keep, gone, gone2)), PRUNE);
    assertThat(order(plan))
        .containsExactly(
            "Apply ConfigMap:prod/big (Sync, wave 0)",
            "Prune ConfigMap:prod/gone2 (Sync, wave 0)",
            "Prune ConfigMap:prod/gone (Sync, wave 0)");
    assertThat(plan.steps().get(0).options().serverSideApply()).isTrue();
    assertThat(plan.steps().get(0).options().replace()).isTrue();
    assertThat(plan.skipped())
        .containsExactly(new SkippedResource(keep.key(), SyncAction.PRUNE, "Prune=false"));
    SyncPlan noPrune =
        PLANNER.plan(
            report(List.of(big), List.of(gone2)), SyncSettings.manual(false, SyncOptions.NONE, ""));
    assertThat(noPrune.skipped())
        .extracting(SkippedResource::reason)
        .containsExactly("pruning is disabled");
  }

  @Test
  void refusesAPlanThatPrunesEverythingAndAppliesNothingUnlessAllowEmpty() {
    DriftReport report =
        report(List.of(), List.of(res("v1", "ConfigMap", "a"), res("v1", "Service", "b")));
    assertThatThrownBy(() -> PLANNER.plan(report, PRUNE))
        .isInstanceOf(EmptySyncRefusedException.class)
        .hasMessageContaining("prune all 2 tracked resources")
        .satisfies(e -> assertThat(((EmptySyncRefusedException) e).pruneCount()).isEqualTo(2));
    SyncSettings allowEmpty = new SyncSettings(true, true, SyncOptions.NONE, "prod");
    assertThat(PLANNER.plan(report, allowEmpty).steps()).hasSize(2);
  }

  @Test
  void seedApplicationSettingsCreateTheNamespaceAndUseServerSideApply() {
    Application app = Application.read(Path.of("src/test/resources/app/argocd-app.yaml"));
    SyncPlan plan =
        PLANNER.plan(report(List.of(res("v1", "ConfigMap", "c")), List.of()), SyncSettings.of(app));
    assertThat(plan.namespaceToCreate()).contains("production");
    assertThat(plan.steps().get(0).options().serverSideApply()).isTrue();
    assertThat(plan.steps().get(0).options().prunePropagationPolicy()).isEqualTo("foreground");
  }

  @Test
  void badAnnotationsNameResourceAndAnnotation() {
    Resource badWave = res("v1", "ConfigMap", "w", Map.of(SyncPlanner.SYNC_WAVE, "first"));
    assertThatThrownBy(() -> PLANNER.plan(report(List.of(badWave), List.of()), PRUNE))
        .isInstanceOf(SyncAnnotationException.class)
        .hasMessage(
            "ConfigMap:prod/w: annotation argocd.argoproj.io/sync-wave: must be an integer, but was \"first\"");
    Resource badHook = res("batch/v1", "Job", "j", Map.of(SyncPlanner.HOOK, "PreSnyc"));
    assertThatThrownBy(() -> PLANNER.plan(report(List.of(badHook), List.of()), PRUNE))
        .hasMessageContaining("unknown hook \"PreSnyc\"");
  }

  @Test
  void printsAsAReadableTable() {
    Resource hook = res("batch/v1", "Job", "migrate", Map.of(SyncPlanner.HOOK, "PreSync"));
    SyncPlan plan =
        PLANNER.plan(
            report(
                List.of(hook, res("apps/v1", "Deployment", "web")),
                List.of(res("v1", "ConfigMap", "old"))),
            SyncSettings.manual(true, SyncOptions.of("ServerSideApply=true"), "prod"));
    assertThat(plan.toString())
        .isEqualTo(
            """
            PHASE    WAVE  ACTION  KIND             NAMESPACE  NAME     STATUS      OPTIONS
            PreSync  0     Hook    batch/Job        prod       migrate  Missing     ServerSideApply=true delete=BeforeHookCreation
            Sync     0     Apply   apps/Deployment  prod       web      Missing     ServerSideApply=true
            Sync     0     Prune   ConfigMap        prod       old      Extraneous  ServerSideApply=true
            """);
  }
}

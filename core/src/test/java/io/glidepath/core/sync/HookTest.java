package io.glidepath.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookTest {
  private static Resource job(String name, String... annotations) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < annotations.length; i += 2) {
      a.put(annotations[i], annotations[i + 1]);
    }
    StringBuilder sb =
        new StringBuilder("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " + name + "\n");
    sb.append("  namespace: prod\n");
    if (!a.isEmpty()) {
      sb.append("  annotations:\n");
      a.forEach((k, v) -> sb.append("    ").append(k).append(": '").append(v).append("'\n"));
    }
    return Yaml.readResources(sb.toString(), name + ".yaml").get(0);
  }

  @Test
  void mapsHelmInstallAndUpgradeHooksToArgoPhases() {
    assertThat(Hook.of(job("m", "helm.sh/hook", "pre-install,pre-upgrade")).orElseThrow().phases())
        .containsExactly(SyncPhase.PRE_SYNC);
    assertThat(
            Hook.of(job("notify", "helm.sh/hook", "post-upgrade, post-install"))
                .orElseThrow()
                .phases())
        .containsExactly(SyncPhase.POST_SYNC);
    assertThat(
            Hook.of(job("both", "helm.sh/hook", "post-install,pre-upgrade")).orElseThrow().phases())
        .containsExactly(SyncPhase.PRE_SYNC, SyncPhase.POST_SYNC);
  }

  @Test
  void leavesHelmTestDeleteAndRollbackHooksOutWithTheReason() {
    Hook test = Hook.of(job("t", "helm.sh/hook", "test")).orElseThrow();
    assertThat(test.phases()).isEmpty();
    assertThat(test.notRun()).contains("test").contains("does not run");
    Hook postDelete = Hook.of(job("d", "helm.sh/hook", "post-delete")).orElseThrow();
    assertThat(postDelete.phases()).isEmpty();
    assertThat(postDelete.deletion()).containsExactly("PostDelete");
    assertThat(postDelete.notRun()).contains("deleted");
    Hook preDelete = Hook.of(job("d", "argocd.argoproj.io/hook", "PreDelete")).orElseThrow();
    assertThat(preDelete.phases()).isEmpty();
    assertThat(preDelete.deletion()).containsExactly("PreDelete");
    assertThat(preDelete.notRun())
        .isEqualTo("PreDelete hook: Glidepath does not run PreDelete hooks");
    assertThat(Hook.of(job("p", "helm.sh/hook", "pre-delete")).orElseThrow().phases()).isEmpty();
    assertThat(Hook.of(job("r", "helm.sh/hook", "pre-rollback")).orElseThrow().phases()).isEmpty();
  }

  @Test
  void treatsCrdInstallAsAnOrdinaryResource() {
    assertThat(Hook.isHook(job("c", "helm.sh/hook", "crd-install"))).isFalse();
    assertThat(Hook.of(job("c", "helm.sh/hook", "crd-install"))).isEmpty();
  }

  @Test
  void argoHookAnnotationWinsOverHelms() {
    Hook h =
        Hook.of(job("m", "helm.sh/hook", "pre-install", "argocd.argoproj.io/hook", "PostSync"))
            .orElseThrow();
    assertThat(h.phases()).containsExactly(SyncPhase.POST_SYNC);
  }

  @Test
  void usesHookWeightAsWaveUnlessASyncWaveIsSet() {
    assertThat(Hook.wave(job("a", "helm.sh/hook", "pre-install", "helm.sh/hook-weight", "-5")))
        .isEqualTo(-5);
    assertThat(
            Hook.wave(job("b", "helm.sh/hook-weight", "-5", "argocd.argoproj.io/sync-wave", "3")))
        .isEqualTo(3);
    assertThat(Hook.wave(job("c"))).isZero();
    assertThatThrownBy(() -> Hook.wave(job("d", "helm.sh/hook-weight", "early")))
        .isInstanceOf(SyncAnnotationException.class)
        .hasMessageContaining("helm.sh/hook-weight")
        .hasMessageContaining("early");
  }

  @Test
  void combinesArgoAndHelmDeletePoliciesWithArgosDefault() {
    assertThat(Hook.of(job("a", "helm.sh/hook", "pre-install")).orElseThrow().deletePolicies())
        .containsExactly("BeforeHookCreation");
    assertThat(
            Hook.of(
                    job(
                        "b",
                        "helm.sh/hook",
                        "pre-install",
                        "helm.sh/hook-delete-policy",
                        "hook-succeeded,hook-failed"))
                .orElseThrow()
                .deletePolicies())
        .containsExactly("HookSucceeded", "HookFailed");
    assertThat(
            Hook.of(
                    job(
                        "c",
                        "argocd.argoproj.io/hook",
                        "PreSync",
                        "argocd.argoproj.io/hook-delete-policy",
                        "HookFailed",
                        "helm.sh/hook-delete-policy",
                        "before-hook-creation"))
                .orElseThrow()
                .deletePolicies())
        .containsExactly("HookFailed", "BeforeHookCreation");
  }

  @Test
  void refusesUnknownHelmHookTypesAndPolicies() {
    assertThatThrownBy(() -> Hook.of(job("a", "helm.sh/hook", "pre-instal")))
        .isInstanceOf(SyncAnnotationException.class)
        .hasMessageContaining("pre-instal");
    assertThatThrownBy(
            () ->
                Hook.of(
                    job("b", "helm.sh/hook", "pre-install", "helm.sh/hook-delete-policy", "never")))
        .isInstanceOf(SyncAnnotationException.class)
        .hasMessageContaining("helm.sh/hook-delete-policy")
        .hasMessageContaining("never");
  }

  @Test
  void keepsHelmResourcePolicyKeepOnDeletionLikeDeleteFalse() {
    assertThat(Hook.keptOnDeletion(job("a", "helm.sh/resource-policy", "keep"))).isTrue();
    assertThat(Hook.keptOnDeletion(job("b", "argocd.argoproj.io/sync-options", "Delete=false")))
        .isTrue();
    assertThat(Hook.keptOnDeletion(job("c"))).isFalse();
  }

  @Test
  void plansHelmHooksInTheirPhaseAndWaveAndNeverPrunesThem() {
    Resource migrate =
        job(
            "migrate",
            "helm.sh/hook",
            "pre-upgrade",
            "helm.sh/hook-weight",
            "-1",
            "helm.sh/hook-delete-policy",
            "hook-succeeded");
    Resource smoke = job("smoke", "helm.sh/hook", "test");
    Resource app = job("app");
    Resource liveOldHook = job("old-migrate", "helm.sh/hook", "pre-upgrade");
    var report =
        DriftDetector.of(DiffOptions.ofDefaults())
            .detect(
                ResourceSet.of(List.of(migrate, smoke, app)), ResourceSet.of(List.of(liveOldHook)));
    SyncPlan plan =
        SyncPlanner.create().plan(report, SyncSettings.manual(true, SyncOptions.NONE, "prod"));
    assertThat(plan.steps().stream().map(SyncStep::toString))
        .containsExactly(
            "Hook batch/Job:prod/migrate (PreSync, wave -1)",
            "Apply batch/Job:prod/app (Sync, wave 0)");
    assertThat(plan.steps().get(0).hookDeletePolicies()).containsExactly("HookSucceeded");
    assertThat(plan.skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("test"));
  }
}

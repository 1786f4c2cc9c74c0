package io.glidepath.core.sync;

import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.internal.sync.DefaultSyncPlanner;

/**
 * Turns a {@link DriftReport} into an ordered {@link SyncPlan}, with Argo CD's ordering rules:
 *
 * <ul>
 *   <li>hooks ({@code argocd.argoproj.io/hook: PreSync|Sync|PostSync|SyncFail|Skip}, comma
 *       separated for several phases, or Helm's {@code helm.sh/hook} mapped as Argo CD maps it: see
 *       {@link Hook}) run in their phase on every sync; {@code Skip}, deletion hooks and Helm test
 *       hooks are left out (listed in {@link SyncPlan#skipped()}); hooks are never pruned;
 *   <li>waves ({@code argocd.argoproj.io/sync-wave}, an integer, else {@code helm.sh/hook-weight},
 *       default 0) ascending; then kinds in Helm's install order ({@code Namespace}, {@code
 *       NetworkPolicy}, ..., {@code CustomResourceDefinition}, ..., {@code Deployment}, ...), kinds
 *       of API groups outside Kubernetes' own last, so CRDs come before their custom resources;
 *       then namespace and name;
 *   <li>prunes after all applies, in reverse wave order, {@code PruneLast=true} ones last;
 *   <li>{@code ApplyOutOfSyncOnly=true} (application or resource) leaves synced resources out;
 *   <li>per-resource {@code argocd.argoproj.io/sync-options} override the application's: {@code
 *       Prune=false} keeps a resource (listed in {@link SyncPlan#skipped()}), {@code Delete=false},
 *       {@code ServerSideApply=true}, {@code Replace=true}, ... travel in {@link
 *       SyncStep#options()} for the engine;
 *   <li>the allowEmpty guard: a plan that would prune tracked resources while Git declares none is
 *       refused with {@link EmptySyncRefusedException} unless {@link SyncSettings#allowEmpty()}.
 * </ul>
 *
 * <pre>{@code
 * SyncPlan plan = SyncPlanner.create().plan(report, SyncSettings.of(app));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public interface SyncPlanner {
  /** Annotation naming a hook's phases. */
  String HOOK = "argocd.argoproj.io/hook";

  /** Annotation naming a hook's deletion policies. */
  String HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";

  /** Annotation holding a resource's sync wave. */
  String SYNC_WAVE = "argocd.argoproj.io/sync-wave";

  /** Annotation holding a resource's sync options. */
  String SYNC_OPTIONS = "argocd.argoproj.io/sync-options";

  static SyncPlanner create() {
    return new DefaultSyncPlanner();
  }

  /**
   * The plan for {@code report}.
   *
   * @throws EmptySyncRefusedException when the plan would prune everything and apply nothing
   * @throws SyncAnnotationException when a resource's sync annotation is invalid
   */
  SyncPlan plan(DriftReport report, SyncSettings settings);
}

package io.glidepath.core.sync;

import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link SyncPlan}: what to do ({@link SyncAction}) to which resource, in which phase
 * and wave, with which options. A sync engine executes steps in plan order, phase by phase and wave
 * by wave, waiting for a wave to be healthy before the next.
 *
 * <pre>{@code
 * for (SyncStep step : plan.steps()) {
 *   switch (step.action()) {
 *     case APPLY, HOOK -> apply(step.resource(), step.options().serverSideApply());
 *     case PRUNE -> delete(step.key(), step.options().prunePropagationPolicy());
 *   }
 * }
 * }</pre>
 *
 * @param key the resource's key
 * @param resource the desired resource (apply, hook) or the live one (prune)
 * @param action what to do
 * @param phase the phase the step belongs to
 * @param wave the sync wave ({@code argocd.argoproj.io/sync-wave}, default 0)
 * @param options the application's sync options overridden by the resource's {@code
 *     argocd.argoproj.io/sync-options}
 * @param hookDeletePolicies for hooks, {@code argocd.argoproj.io/hook-delete-policy} values ({@code
 *     HookSucceeded}, {@code HookFailed}, {@code BeforeHookCreation}); empty otherwise
 * @param status the drift status that caused the step
 */
public record SyncStep(
    ResourceKey key,
    Resource resource,
    SyncAction action,
    SyncPhase phase,
    int wave,
    SyncOptions options,
    List<String> hookDeletePolicies,
    DriftStatus status) {
  public SyncStep {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(status, "status");
    hookDeletePolicies = List.copyOf(hookDeletePolicies);
  }

  /** Key, action, phase and wave; never the resource body. */
  @Override
  public String toString() {
    return action.displayName() + " " + key + " (" + phase.displayName() + ", wave " + wave + ")";
  }
}

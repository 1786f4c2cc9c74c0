package io.glidepath.core.internal.sync;

import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.sync.EmptySyncRefusedException;
import io.glidepath.core.sync.Hook;
import io.glidepath.core.sync.SkippedResource;
import io.glidepath.core.sync.SyncAction;
import io.glidepath.core.sync.SyncAnnotationException;
import io.glidepath.core.sync.SyncPhase;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncPlanner;
import io.glidepath.core.sync.SyncSettings;
import io.glidepath.core.sync.SyncStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@link SyncPlanner} behind {@link SyncPlanner#create()}. Stateless. */
public final class DefaultSyncPlanner implements SyncPlanner {
  private static final Comparator<SyncStep> APPLY_ORDER =
      Comparator.comparing(SyncStep::phase)
          .thenComparingInt(SyncStep::wave)
          .thenComparingInt(s -> KindOrder.rank(s.key()))
          .thenComparing(s -> s.key().kind())
          .thenComparing(s -> s.key().namespace())
          .thenComparing(s -> s.key().name());

  private static final Comparator<SyncStep> PRUNE_ORDER =
      Comparator.<SyncStep>comparingInt(s -> s.options().pruneLast() ? 1 : 0)
          .thenComparing(Comparator.comparingInt(SyncStep::wave).reversed())
          .thenComparing(Comparator.<SyncStep>comparingInt(s -> KindOrder.rank(s.key())).reversed())
          .thenComparing(s -> s.key().kind())
          .thenComparing(s -> s.key().namespace())
          .thenComparing(s -> s.key().name());

  @Override
  public SyncPlan plan(DriftReport report, SyncSettings settings) {
    List<SyncStep> applies = new ArrayList<>();
    List<SyncStep> prunes = new ArrayList<>();
    List<SkippedResource> skipped = new ArrayList<>();
    int desiredResources = 0;
    List<ResourceDrift> all = new ArrayList<>(report.resources());
    all.addAll(report.hooks());
    for (ResourceDrift drift : all) {
      Optional<Resource> desired = drift.desired();
      if (desired.isPresent()) {
        Resource r = desired.get();
        SyncOptions options = options(r, settings);
        int wave = wave(r);
        Optional<Hook> hook = Hook.of(r);
        if (hook.isPresent()) {
          Set<SyncPhase> phases = hook.get().phases();
          if (phases.isEmpty()) {
            skipped.add(new SkippedResource(r.key(), SyncAction.HOOK, hook.get().notRun()));
            continue;
          }
          for (SyncPhase phase : phases) {
            applies.add(
                new SyncStep(
                    r.key(),
                    r,
                    SyncAction.HOOK,
                    phase,
                    wave,
                    options,
                    hook.get().deletePolicies(),
                    drift.status()));
          }
          continue;
        }
        desiredResources++;
        if (drift.status() == DriftStatus.SYNCED && options.applyOutOfSyncOnly()) {
          continue;
        }
        applies.add(
            new SyncStep(
                r.key(),
                r,
                SyncAction.APPLY,
                SyncPhase.SYNC,
                wave,
                options,
                List.of(),
                drift.status()));
      } else {
        Resource live = drift.live().orElseThrow();
        if (Hook.isHook(live)) {
          // hooks are removed by their delete policy, never pruned
          continue;
        }
        SyncOptions options = options(live, settings);
        if (!settings.prune()) {
          skipped.add(new SkippedResource(live.key(), SyncAction.PRUNE, "pruning is disabled"));
        } else if (options.prune() == SyncOptions.Permission.DISABLED) {
          skipped.add(new SkippedResource(live.key(), SyncAction.PRUNE, "Prune=false"));
        } else {
          prunes.add(
              new SyncStep(
                  live.key(),
                  live,
                  SyncAction.PRUNE,
                  SyncPhase.SYNC,
                  wave(live),
                  options,
                  List.of(),
                  drift.status()));
        }
      }
    }
    if (desiredResources == 0 && !prunes.isEmpty() && !settings.allowEmpty()) {
      throw new EmptySyncRefusedException(prunes.size());
    }
    applies.sort(APPLY_ORDER);
    prunes.sort(PRUNE_ORDER);
    List<SyncStep> steps = new ArrayList<>(applies.size() + prunes.size());
    for (SyncPhase phase : SyncPhase.values()) {
      for (SyncStep s : applies) {
        if (s.phase() == phase) {
          steps.add(s);
        }
      }
      if (phase == SyncPhase.SYNC) {
        steps.addAll(prunes);
      }
    }
    Optional<String> namespace =
        settings.options().createNamespace() && !settings.destinationNamespace().isEmpty()
            ? Optional.of(settings.destinationNamespace())
            : Optional.empty();
    return new SyncPlan(
        steps,
        skipped,
        namespace,
        settings.options().createNamespace() ? settings.namespaceMetadata() : Optional.empty());
  }

  private static SyncOptions options(Resource r, SyncSettings settings) {
    String annotation = r.annotations().get(SYNC_OPTIONS);
    if (annotation == null) {
      return settings.options();
    }
    try {
      return settings.options().overriddenBy(SyncOptions.parse(annotation));
    } catch (IllegalArgumentException e) {
      throw new SyncAnnotationException(r.key(), SYNC_OPTIONS, e.getMessage());
    }
  }

  private static int wave(Resource r) {
    return Hook.wave(r);
  }
}

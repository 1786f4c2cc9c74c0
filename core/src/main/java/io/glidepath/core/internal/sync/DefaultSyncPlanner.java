package io.glidepath.core.internal.sync;

import io.glidepath.core.app.SyncOptions;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.diff.DriftStatus;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.sync.EmptySyncRefusedException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@link SyncPlanner} behind {@link SyncPlanner#create()}. Stateless. */
public final class DefaultSyncPlanner implements SyncPlanner {
  private static final Set<String> DELETE_POLICIES =
      Set.of("HookSucceeded", "HookFailed", "BeforeHookCreation");

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
        Optional<String> hook = Optional.ofNullable(r.annotations().get(HOOK));
        if (hook.isPresent()) {
          Set<SyncPhase> phases = hookPhases(r, hook.get());
          if (phases.isEmpty()) {
            skipped.add(new SkippedResource(r.key(), SyncAction.HOOK, "hook Skip"));
            continue;
          }
          List<String> deletePolicies = deletePolicies(r);
          for (SyncPhase phase : phases) {
            applies.add(
                new SyncStep(
                    r.key(),
                    r,
                    SyncAction.HOOK,
                    phase,
                    wave,
                    options,
                    deletePolicies,
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
        if (live.annotations().containsKey(HOOK)) {
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
    String text = r.annotations().get(SYNC_WAVE);
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new SyncAnnotationException(
          r.key(), SYNC_WAVE, "must be an integer, but was \"" + text + "\"");
    }
  }

  private static Set<SyncPhase> hookPhases(Resource r, String annotation) {
    Set<SyncPhase> phases = new LinkedHashSet<>();
    for (String part : annotation.split(",")) {
      String name = part.trim();
      if (name.equals("Skip")) {
        return Set.of();
      }
      phases.add(
          SyncPhase.fromAnnotation(name)
              .orElseThrow(
                  () ->
                      new SyncAnnotationException(
                          r.key(),
                          HOOK,
                          "unknown hook \""
                              + name
                              + "\" (PreSync, Sync, PostSync, SyncFail, Skip)")));
    }
    return phases;
  }

  private static List<String> deletePolicies(Resource r) {
    String text = r.annotations().get(HOOK_DELETE_POLICY);
    if (text == null || text.isBlank()) {
      // Argo CD's default
      return List.of("BeforeHookCreation");
    }
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (!DELETE_POLICIES.contains(p)) {
        throw new SyncAnnotationException(
            r.key(),
            HOOK_DELETE_POLICY,
            "unknown policy \"" + p + "\" " + new java.util.TreeSet<>(DELETE_POLICIES));
      }
      out.add(p);
    }
    return out;
  }
}

package io.glidepath.core.sync;

import io.glidepath.core.resource.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Argo CD makes of a resource's hook annotations: whether it is a hook, the phases it runs in,
 * and its delete policies. Argo CD's own annotations ({@code argocd.argoproj.io/hook}, {@code
 * argocd.argoproj.io/hook-delete-policy}) and Helm's ({@code helm.sh/hook}, {@code
 * helm.sh/hook-delete-policy}, {@code helm.sh/hook-weight}) are read as Argo CD reads them:
 *
 * <table>
 *   <caption>Helm hooks as Argo CD maps them</caption>
 *   <tr><th>{@code helm.sh/hook}</th><th>phase</th></tr>
 *   <tr><td>{@code pre-install}, {@code pre-upgrade}</td><td>PreSync</td></tr>
 *   <tr><td>{@code post-install}, {@code post-upgrade}</td><td>PostSync</td></tr>
 *   <tr><td>{@code post-delete}</td><td>PostDelete (runs when the application is deleted)</td></tr>
 *   <tr><td>{@code crd-install}</td><td>not a hook: an ordinary resource</td></tr>
 *   <tr><td>{@code pre-delete}, {@code pre-rollback}, {@code post-rollback}, {@code test},
 *       {@code test-success}, {@code test-failure}</td><td>none: a hook that never runs</td></tr>
 * </table>
 *
 * <ul>
 *   <li>When a resource has {@code argocd.argoproj.io/hook}, its Helm hook types are ignored.
 *   <li>{@code helm.sh/hook-weight} is the wave when there is no {@code
 *       argocd.argoproj.io/sync-wave}.
 *   <li>Delete policies are the union of both annotations ({@code before-hook-creation} is {@code
 *       BeforeHookCreation}, {@code hook-succeeded} {@code HookSucceeded}, {@code hook-failed}
 *       {@code HookFailed}); without any, {@code BeforeHookCreation}.
 * </ul>
 *
 * <p>Where Argo CD silently ignores a value it does not know (an unknown phase, delete policy or a
 * weight that is not an integer), Glidepath refuses it with a {@link SyncAnnotationException}, so a
 * typo never turns a hook into an ordinary resource.
 *
 * <pre>{@code
 * Hook.of(resource).ifPresent(h -> System.out.println(h.phases()));   // [PreSync]
 * int wave = Hook.wave(resource);
 * }</pre>
 *
 * @param phases the sync phases the hook runs in (in order); empty when it runs in none (a Helm
 *     test hook, a {@code Skip}, or a deletion hook)
 * @param deletion the deletion hooks it is, {@code PreDelete} or {@code PostDelete}; PostDelete
 *     hooks run when the Application object is deleted (the controller), PreDelete hooks never;
 *     neither runs in a sync
 * @param deletePolicies the delete policies, never empty
 * @param notRun when the hook runs in no phase, why (for plans and logs); empty otherwise
 */
public record Hook(
    Set<SyncPhase> phases, Set<String> deletion, List<String> deletePolicies, String notRun) {
  /** Helm's hook annotation. */
  public static final String HELM_HOOK = "helm.sh/hook";

  /** Helm's hook weight annotation. */
  public static final String HELM_HOOK_WEIGHT = "helm.sh/hook-weight";

  /** Helm's hook delete policy annotation. */
  public static final String HELM_HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy";

  /** Helm's resource policy annotation ({@code keep}: never deleted with the application). */
  public static final String HELM_RESOURCE_POLICY = "helm.sh/resource-policy";

  private static final Set<String> DELETE_POLICIES =
      Set.of("HookSucceeded", "HookFailed", "BeforeHookCreation");

  private static final Map<String, String> HELM_DELETE_POLICIES =
      Map.of(
          "before-hook-creation", "BeforeHookCreation",
          "hook-succeeded", "HookSucceeded",
          "hook-failed", "HookFailed");

  private static final Set<String> HELM_NOT_RUN =
      Set.of("pre-delete", "pre-rollback", "post-rollback", "test", "test-success", "test-failure");

  public Hook {
    phases = orderedPhases(Objects.requireNonNull(phases, "phases"));
    deletion = Set.copyOf(deletion);
    deletePolicies = List.copyOf(deletePolicies);
    Objects.requireNonNull(notRun, "notRun");
  }

  private static Set<SyncPhase> orderedPhases(Set<SyncPhase> phases) {
    Set<SyncPhase> out = new LinkedHashSet<>();
    for (SyncPhase p : SyncPhase.values()) {
      if (phases.contains(p)) {
        out.add(p);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** Whether {@code r} carries {@code argocd.argoproj.io/hook} or a Helm hook other than CRDs. */
  public static boolean isHook(Resource r) {
    Map<String, String> a = r.annotations();
    if (a.containsKey(SyncPlanner.HOOK)) {
      return true;
    }
    String helm = a.get(HELM_HOOK);
    return helm != null && !helm.trim().equals("crd-install");
  }

  /**
   * The hook {@code r} is, or empty when it is an ordinary resource.
   *
   * @throws SyncAnnotationException naming the annotation when a phase or a delete policy is
   *     unknown
   */
  public static Optional<Hook> of(Resource r) {
    if (!isHook(r)) {
      return Optional.empty();
    }
    Map<String, String> a = r.annotations();
    Set<SyncPhase> phases = new LinkedHashSet<>();
    Set<String> deletion = new TreeSet<>();
    String notRun = "";
    String argo = a.get(SyncPlanner.HOOK);
    if (argo != null) {
      boolean skip = false;
      for (String part : argo.split(",")) {
        String name = part.trim();
        if (name.equals("Skip")) {
          skip = true;
        } else if (name.equals("PreDelete") || name.equals("PostDelete")) {
          deletion.add(name);
        } else {
          phases.add(
              SyncPhase.fromAnnotation(name)
                  .orElseThrow(
                      () ->
                          new SyncAnnotationException(
                              r.key(),
                              SyncPlanner.HOOK,
                              "unknown hook \""
                                  + name
                                  + "\" (PreSync, Sync, PostSync, SyncFail, Skip, PreDelete,"
                                  + " PostDelete)")));
        }
      }
      if (skip) {
        // Argo CD: Skip leaves the resource out of every sync
        phases.clear();
        deletion.clear();
        notRun = "hook Skip";
      } else if (phases.isEmpty()) {
        notRun =
            deletion.contains("PostDelete")
                ? String.join(",", deletion) + " hook: runs only when the application is deleted"
                : "PreDelete hook: Glidepath does not run PreDelete hooks";
      }
    } else {
      List<String> ignored = new ArrayList<>();
      for (String part : a.get(HELM_HOOK).split(",")) {
        String name = part.trim();
        switch (name) {
          case "pre-install", "pre-upgrade" -> phases.add(SyncPhase.PRE_SYNC);
          case "post-install", "post-upgrade" -> phases.add(SyncPhase.POST_SYNC);
          case "post-delete" -> deletion.add("PostDelete");
          case "crd-install" -> {
            // with other types, crd-install adds nothing
          }
          default -> {
            if (!HELM_NOT_RUN.contains(name)) {
              throw new SyncAnnotationException(
                  r.key(),
                  HELM_HOOK,
                  "unknown Helm hook \""
                      + name
                      + "\" (pre-install, post-install, pre-upgrade, post-upgrade, pre-delete,"
                      + " post-delete, pre-rollback, post-rollback, test)");
            }
            ignored.add(name);
          }
        }
      }
      if (phases.isEmpty()) {
        List<String> why = new ArrayList<>();
        if (!deletion.isEmpty()) {
          why.add("Helm post-delete hook: runs only when the application is deleted");
        }
        if (!ignored.isEmpty()) {
          why.add("Helm hook " + String.join(",", ignored) + ": Argo CD does not run it");
        }
        notRun = String.join("; ", why);
      }
    }
    return Optional.of(new Hook(phases, deletion, deletePolicies(r), notRun));
  }

  /**
   * The resource's sync wave: {@code argocd.argoproj.io/sync-wave}, else {@code
   * helm.sh/hook-weight}, else 0.
   *
   * @throws SyncAnnotationException when the annotation is not an integer
   */
  public static int wave(Resource r) {
    Map<String, String> a = r.annotations();
    if (a.containsKey(SyncPlanner.SYNC_WAVE)) {
      return integer(r, SyncPlanner.SYNC_WAVE, a.get(SyncPlanner.SYNC_WAVE));
    }
    if (a.containsKey(HELM_HOOK_WEIGHT)) {
      return integer(r, HELM_HOOK_WEIGHT, a.get(HELM_HOOK_WEIGHT));
    }
    return 0;
  }

  /** Whether Argo CD leaves {@code r} in place when its application is deleted. */
  public static boolean keptOnDeletion(Resource r) {
    Map<String, String> a = r.annotations();
    if ("keep".equals(a.getOrDefault(HELM_RESOURCE_POLICY, "").trim())) {
      return true;
    }
    for (String option : a.getOrDefault(SyncPlanner.SYNC_OPTIONS, "").split(",")) {
      if (option.trim().equalsIgnoreCase("Delete=false")) {
        return true;
      }
    }
    return false;
  }

  private static int integer(Resource r, String annotation, String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new SyncAnnotationException(
          r.key(), annotation, "must be an integer, but was \"" + text + "\"");
    }
  }

  private static List<String> deletePolicies(Resource r) {
    Map<String, String> a = r.annotations();
    List<String> out = new ArrayList<>();
    String argo = a.get(SyncPlanner.HOOK_DELETE_POLICY);
    if (argo != null && !argo.isBlank()) {
      for (String part : argo.split(",")) {
        String p = part.trim();
        if (!DELETE_POLICIES.contains(p)) {
          throw new SyncAnnotationException(
              r.key(),
              SyncPlanner.HOOK_DELETE_POLICY,
              "unknown policy \"" + p + "\" " + new TreeSet<>(DELETE_POLICIES));
        }
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    String helm = a.get(HELM_HOOK_DELETE_POLICY);
    if (helm != null && !helm.isBlank()) {
      for (String part : helm.split(",")) {
        String p = HELM_DELETE_POLICIES.get(part.trim());
        if (p == null) {
          throw new SyncAnnotationException(
              r.key(),
              HELM_HOOK_DELETE_POLICY,
              "unknown policy \""
                  + part.trim()
                  + "\" "
                  + new TreeSet<>(HELM_DELETE_POLICIES.keySet()));
        }
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    if (out.isEmpty()) {
      out.add("BeforeHookCreation");
    }
    return out;
  }
}

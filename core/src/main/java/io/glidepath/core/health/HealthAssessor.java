package io.glidepath.core.health;

import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.internal.health.DefaultHealthAssessor;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Assesses the health of live resources with Argo CD's semantics.
 *
 * <p>Which check answers, first match wins:
 *
 * <ol>
 *   <li>Checks given to the {@link Builder}: Java {@link HealthCheck}s and the Lua scripts of an
 *       {@code argocd-cm} ({@link Builder#argoCdSettings}); an exact group/kind before a wildcard
 *       pattern, a longer pattern before a shorter one, then the order given.
 *   <li>Checks of {@link HealthCheckProvider}s found on the class path.
 *   <li>Glidepath's built-in checks: Argo CD's for Deployment, StatefulSet, DaemonSet, ReplicaSet,
 *       Pod, Service, Ingress, PersistentVolumeClaim, Job, CronJob, HorizontalPodAutoscaler,
 *       PodDisruptionBudget, APIService, Argo Rollouts' Rollout and Argo Workflows' Workflow, and
 *       Java checks for common custom resources (cert-manager, Flux, External Secrets, Sealed
 *       Secrets, KEDA, Crossplane, Knative, Strimzi, Prometheus Operator); {@code docs/health.md}
 *       lists them.
 *   <li>The generic check of the Kubernetes status conventions ({@code observedGeneration}, {@code
 *       Ready}/{@code Available}, {@code Reconciling}, {@code Stalled} conditions), for objects
 *       that follow them.
 *   <li>Otherwise the resource has no health, as in Argo CD: {@link #assess(Resource)} is empty.
 * </ol>
 *
 * <p>An object with {@code metadata.deletionTimestamp} (and without Argo CD's hook finalizer) is
 * always Progressing: a check given to the builder or found on the class path runs and its message
 * counts when it answers Progressing with a message, otherwise {@code "Pending deletion"}; built-in
 * checks answer {@code "Pending deletion"}, naming the pending finalizers for the kinds Argo CD
 * checks with bundled scripts ({@code docs/health.md}, "Objects being deleted").
 *
 * <pre>{@code
 * HealthAssessor assessor = HealthAssessor.builder()
 *     .argoCdSettings(ArgoCdSettings.read(Path.of("argocd-cm.yaml")))   // Lua, needs glidepath-health-lua
 *     .check("backup.example.com", "Backup", live -> Health.healthy())
 *     .build();
 * Optional<Health> health = assessor.assess(liveObject);
 * ApplicationHealth app = assessor.assess(desired, live);
 * }</pre>
 *
 * <p>Immutable and thread-safe; share one.
 */
public interface HealthAssessor {
  /** The built-in checks, the checks of providers on the class path, and the generic check. */
  static HealthAssessor ofDefaults() {
    return DefaultHealthAssessor.defaults();
  }

  static Builder builder() {
    return new Builder();
  }

  /** The health of one live resource; empty when no check answers for its kind. */
  default Optional<Health> assess(Resource live) {
    return explain(live).health();
  }

  /** The health of one live resource and which check answered. */
  HealthAssessment explain(Resource live);

  /**
   * The health of an application: each desired resource's live health ({@link HealthStatus#MISSING}
   * when absent), aggregated as {@link ApplicationHealth} describes.
   */
  ApplicationHealth assess(ResourceSet desired, ResourceSet live);

  /**
   * The check that answers for resources of {@code group}/{@code kind} ({@code ""} core group),
   * other than the generic convention check: empty when only that one (or none) may answer.
   */
  Optional<CheckOrigin> checkFor(String group, String kind);

  /** Whether a check other than the generic convention check answers for the kind. */
  default boolean hasCheck(String group, String kind) {
    return checkFor(group, kind).isPresent();
  }

  /**
   * Builds a {@link HealthAssessor}. Defaults: built-in checks, providers found on the class path,
   * the generic check. Not thread-safe.
   */
  final class Builder {
    private final List<DefaultHealthAssessor.Entry> explicit = new ArrayList<>();
    private final List<HealthScript> scripts = new ArrayList<>();
    private HealthScriptEngine engine;
    private boolean discoverProviders = true;
    private boolean conventions = true;

    private Builder() {}

    /**
     * Uses {@code check} for resources whose group and kind match the patterns ({@code ""} core
     * group; {@code *} matches any run of characters, as in Argo CD's keys: {@code
     * check("*.crossplane.io", "*", c)}). Its name in {@link CheckOrigin} is {@code group/kind}.
     */
    public Builder check(String group, String kind, HealthCheck check) {
      return check(group, kind, DefaultHealthAssessor.key(group, kind), check);
    }

    /**
     * As {@link #check(String, String, HealthCheck)}, named {@code name} in {@link CheckOrigin}.
     */
    public Builder check(String group, String kind, String name, HealthCheck check) {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
      if (kind.isEmpty()) {
        throw new IllegalArgumentException("kind must not be empty");
      }
      explicit.add(
          DefaultHealthAssessor.Entry.of(
              DefaultHealthAssessor.key(group, kind),
              new CheckOrigin(CheckOrigin.Type.JAVA, name),
              check,
              explicit.size()));
      return this;
    }

    /** The same as {@link #check(String, String, HealthCheck)} (the name of earlier versions). */
    public Builder override(String group, String kind, HealthCheck check) {
      return check(group, kind, check);
    }

    /** Runs {@code script} (Argo CD's Lua contract) for the resources its group/kind match. */
    public Builder script(HealthScript script) {
      scripts.add(Objects.requireNonNull(script, "script"));
      return this;
    }

    /** Runs each of {@code scripts}. */
    public Builder scripts(Collection<HealthScript> scripts) {
      scripts.forEach(this::script);
      return this;
    }

    /** The health scripts of an {@code argocd-cm} ({@link ArgoCdSettings#healthScripts()}). */
    public Builder argoCdSettings(ArgoCdSettings settings) {
      return scripts(settings.healthScripts());
    }

    /**
     * The engine that runs scripts; default: the one {@link java.util.ServiceLoader} finds (module
     * {@code glidepath-health-lua}).
     */
    public Builder scriptEngine(HealthScriptEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** Whether checks of {@link HealthCheckProvider}s on the class path are used (default true). */
    public Builder discoverProviders(boolean discover) {
      this.discoverProviders = discover;
      return this;
    }

    /**
     * Whether the generic check of the Kubernetes status conventions answers for kinds no other
     * check covers (default true). Without it those kinds have no health, as in Argo CD.
     */
    public Builder conventions(boolean conventions) {
      this.conventions = conventions;
      return this;
    }

    /**
     * The assessor.
     *
     * @throws HealthScriptException when a script does not compile or no engine can run scripts
     */
    public HealthAssessor build() {
      List<DefaultHealthAssessor.Entry> entries = new ArrayList<>(explicit);
      if (!scripts.isEmpty()) {
        HealthScriptEngine e =
            engine != null ? engine : DefaultHealthAssessor.loadEngine(scripts.get(0));
        for (HealthScript s : scripts) {
          String pattern = s.group().isEmpty() ? s.kind() : s.group() + "/" + s.kind();
          entries.add(
              DefaultHealthAssessor.Entry.of(
                  pattern,
                  new CheckOrigin(CheckOrigin.Type.LUA, s.key()),
                  e.compile(s),
                  entries.size()));
        }
      }
      return new DefaultHealthAssessor(entries, discoverProviders, conventions);
    }
  }
}

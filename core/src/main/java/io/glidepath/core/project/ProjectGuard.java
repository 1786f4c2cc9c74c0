package io.glidepath.core.project;

import io.glidepath.core.app.Application;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.sync.SyncPlan;
import io.glidepath.core.sync.SyncStep;
import io.glidepath.core.yaml.Yaml;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks an Application's render result and sync plans against its project before anything is
 * written: the project must exist ({@link ProjectSource#resolve(String)}), the repository and
 * destination must be permitted, every resource to apply, create as a hook, create as the namespace
 * ({@code CreateNamespace=true}) or prune must be of a kind the project may manage in a namespace
 * it may write to, and no sync window may block the sync now.
 *
 * <pre>{@code
 * ProjectGuard guard = ProjectGuard.of(projects, cluster.scope(), clock);
 * guard.checkSync(app, plan, false).orThrow(); // before the first request, dry runs included
 * engine.sync(app.name(), plan);
 * }</pre>
 *
 * <p>Thread-safe when its {@link ProjectSource} is.
 */
public final class ProjectGuard {
  /** The rule name of a sync window refusal. */
  public static final String SYNC_WINDOWS = "syncWindows";

  private final ProjectSource projects;
  private final ResourceScope scope;
  private final InstantSource clock;

  private ProjectGuard(ProjectSource projects, ResourceScope scope, InstantSource clock) {
    this.projects = Objects.requireNonNull(projects, "projects");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A guard resolving projects with {@code projects}, telling namespaced kinds with {@code scope}
   * and judging sync windows at {@code clock}'s time.
   */
  public static ProjectGuard of(ProjectSource projects, ResourceScope scope, InstantSource clock) {
    return new ProjectGuard(projects, scope, clock);
  }

  /** Where projects are looked up. */
  public ProjectSource projects() {
    return projects;
  }

  /** Checks the app's source, destination and rendered {@code resources} (no sync windows). */
  public ProjectVerdict checkResources(Application app, ResourceSet resources) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(resources, "resources");
    Project project;
    try {
      project = projects.resolve(app.project());
    } catch (ProjectViolationException e) {
      return new ProjectVerdict(app.project(), e.violations(), Optional.empty());
    }
    return new ProjectVerdict(
        app.project(), project.violations(AppTarget.of(app), resources, scope), Optional.empty());
  }

  /**
   * Checks a sync of {@code plan} now: everything {@link #checkResources} checks, for every
   * resource the plan writes or deletes, and the sync windows ({@code manual}: a person asked for
   * the sync, so deny windows with {@code manualSync: true} let it run).
   */
  public ProjectVerdict checkSync(Application app, SyncPlan plan, boolean manual) {
    Objects.requireNonNull(plan, "plan");
    ProjectVerdict resources = checkResources(app, touched(plan));
    List<ProjectViolation> all = new ArrayList<>(resources.violations());
    Optional<Instant> retryAt = Optional.empty();
    Optional<Project> project = projects.find(app.project());
    if (project.isPresent()) {
      String cluster =
          app.destination().name().orElseGet(() -> app.destination().server().orElse(""));
      SyncWindowDecision d =
          project
              .get()
              .syncWindow(
                  app.name(), app.destination().namespace(), cluster, clock.instant(), manual);
      if (!d.allowed()) {
        all.add(new ProjectViolation(Optional.empty(), SYNC_WINDOWS, d.reason()));
        retryAt = d.until();
      }
    }
    return new ProjectVerdict(app.project(), all, retryAt);
  }

  /** Every resource the plan applies, creates or prunes, and the namespace it creates. */
  static ResourceSet touched(SyncPlan plan) {
    Map<ResourceKey, Resource> out = new LinkedHashMap<>();
    plan.namespaceToCreate()
        .filter(ns -> !ns.isBlank())
        .ifPresent(
            ns -> {
              ObjectNode body = Yaml.mapper().createObjectNode();
              body.put("apiVersion", "v1");
              body.put("kind", "Namespace");
              body.putObject("metadata").put("name", ns);
              Resource r = Resource.of(body);
              out.put(r.key(), r);
            });
    for (SyncStep s : plan.steps()) {
      // prunes count too: deleting a kind the project may not manage is managing it
      out.putIfAbsent(s.resource().key(), s.resource());
    }
    return ResourceSet.of(new ArrayList<>(out.values()));
  }
}

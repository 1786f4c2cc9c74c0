package io.glidepath.core.project;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a {@link Project} by the name an Application gives in {@code spec.project}. As in Argo CD,
 * the project {@value #DEFAULT} exists even when nobody defines it, and then permits everything
 * ({@link Project#permissive(String)}); a project defined under that name replaces it. Any other
 * name that is not found is refused ({@link #resolve(String)}).
 *
 * <pre>{@code
 * ProjectSource projects = ProjectSource.of(Project.read(Path.of("projects/production.yaml")));
 * Project p = projects.resolve(app.project());
 * }</pre>
 *
 * <p>Implementations must be thread-safe; the controller calls it on every reconcile, so a source
 * that re-reads its projects picks up changes.
 */
@FunctionalInterface
public interface ProjectSource {
  /** The name of the project every Application belongs to unless it names another. */
  String DEFAULT = "default";

  /** The project named {@code name} as defined by the user, if any. */
  Optional<Project> find(String name);

  /**
   * The project named {@code name}: the one defined, else a permissive {@value #DEFAULT}.
   *
   * @throws ProjectViolationException when no project of that name exists
   */
  default Project resolve(String name) {
    Optional<Project> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    if (DEFAULT.equals(name)) {
      return Project.permissive(DEFAULT);
    }
    throw new ProjectViolationException(
        name,
        List.of(
            new ProjectViolation(
                Optional.empty(), "project", "project " + name + " does not exist")));
  }

  /** Only the implicit, permissive {@value #DEFAULT} project. */
  static ProjectSource defaults() {
    return name -> Optional.empty();
  }

  /** These projects (and the implicit {@value #DEFAULT} one unless given). */
  static ProjectSource of(Project... projects) {
    return of(List.of(projects));
  }

  /** These projects (and the implicit {@value #DEFAULT} one unless given). */
  static ProjectSource of(Collection<Project> projects) {
    Map<String, Project> byName = new LinkedHashMap<>();
    for (Project p : projects) {
      if (byName.putIfAbsent(p.name(), p) != null) {
        throw new IllegalArgumentException("projects must have distinct names, but two are " + p);
      }
    }
    Map<String, Project> copy = Map.copyOf(byName);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /** The AppProject files given, read once. */
  static ProjectSource read(Path... files) {
    return of(java.util.Arrays.stream(files).map(Project::read).toList());
  }
}

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
 * ProjectSource projects = ProjectSource.directory(Path.of("/etc/glidepath/projects"));
 * Project p = projects.resolve(app.project());
 * }</pre>
 *
 * <p>Projects come from one place the platform configures: a directory it names ({@link
 * #directory(Path)}), projects it builds ({@link #of(Project...)}), or, with {@code
 * glidepath-kube}, the AppProject objects in the cluster's Argo CD namespace. Never from a folder
 * that app authors write: a project is found by its {@code metadata.name}, and a project name is a
 * Kubernetes name (a DNS label, {@link #isValidName(String)}), never a path. With nothing
 * configured ({@link #defaults()}) only the permissive {@value #DEFAULT} project exists.
 *
 * <p>Implementations must be thread-safe; the controller calls it on every reconcile, so a source
 * that re-reads its projects picks up changes.
 */
@FunctionalInterface
public interface ProjectSource {
  /** The name of the project every Application belongs to unless it names another. */
  String DEFAULT = "default";

  /** The longest project name: a DNS label's 63 characters. */
  int MAX_NAME_LENGTH = 63;

  /** The project named {@code name} as defined by the user, if any. */
  Optional<Project> find(String name);

  /**
   * The project named {@code name}: the one defined, else a permissive {@value #DEFAULT}.
   *
   * @throws ProjectViolationException when no project of that name exists, or when {@code name} is
   *     not a Kubernetes name ({@link #isValidName(String)})
   */
  default Project resolve(String name) {
    if (!isValidName(name)) {
      throw new ProjectViolationException(
          String.valueOf(name),
          List.of(
              new ProjectViolation(
                  Optional.empty(), "project", "project name " + invalidNameReason(name))));
    }
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

  /**
   * Whether {@code name} can name a project: a DNS label as Kubernetes names objects (RFC 1123:
   * lowercase letters, digits and {@code -}, starting and ending with a letter or digit, at most
   * {@value #MAX_NAME_LENGTH} characters). A name with {@code /} or {@code .} is never one, so a
   * project name can never be read as a path.
   */
  static boolean isValidName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      boolean edge = i == 0 || i == name.length() - 1;
      if (!alnum && (edge || c != '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code name} is not a valid project name, for messages: the name, at most its first 63
   * characters, and the rule.
   */
  static String invalidNameReason(String name) {
    String shown =
        name == null
            ? "null"
            : "\""
                + (name.length() > MAX_NAME_LENGTH
                    ? name.substring(0, MAX_NAME_LENGTH) + "..."
                    : name)
                + "\"";
    return shown
        + " is not a Kubernetes name: a project name is a DNS label (lowercase letters, digits"
        + " and '-', at most 63 characters), never a path";
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

  /**
   * The AppProjects in the files of {@code dir} (every {@code *.yaml}, {@code *.yml} and {@code
   * *.json} directly in it; a file may hold several, separated by {@code ---}), found by {@code
   * metadata.name} whatever the file is called, and read again on every {@link #find(String)}, so a
   * change to the directory takes effect at the next reconcile.
   *
   * @throws ProjectSourceException from {@link #find(String)} when the directory cannot be read, a
   *     file is not an AppProject, or two projects have the same name
   */
  static ProjectSource directory(Path dir) {
    return io.glidepath.core.internal.project.ProjectDirectory.of(dir);
  }
}

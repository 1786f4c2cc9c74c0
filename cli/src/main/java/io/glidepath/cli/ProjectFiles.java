package io.glidepath.cli;

import io.glidepath.core.project.ProjectSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code sync} and {@code diff} find an Application's project: {@code --project FILE}, else the
 * nearest {@code projects/<name>.yaml} at or above the Application file's directory (the layout of
 * {@code examples/gitops-configs}). None found: only the permissive {@code default} project exists,
 * so an app naming another project is refused.
 */
final class ProjectFiles {
  private ProjectFiles() {}

  static ProjectSource lookUp(Path explicit, Path appFile, String project) {
    if (explicit != null) {
      return ProjectSource.read(explicit);
    }
    return find(appFile, project).map(ProjectSource::read).orElse(ProjectSource.defaults());
  }

  static Optional<Path> find(Path appFile, String project) {
    for (Path d = appFile.toAbsolutePath().normalize().getParent(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("projects").resolve(project + ".yaml");
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

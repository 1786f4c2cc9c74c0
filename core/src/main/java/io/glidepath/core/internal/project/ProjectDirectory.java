package io.glidepath.core.internal.project;

import io.glidepath.core.GlidepathException;
import io.glidepath.core.project.Project;
import io.glidepath.core.project.ProjectSource;
import io.glidepath.core.project.ProjectSourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** {@link ProjectSource#directory(Path)}: the AppProjects in one directory, read on each find. */
public final class ProjectDirectory implements ProjectSource {
  private final Path dir;

  private ProjectDirectory(Path dir) {
    this.dir = dir;
  }

  public static ProjectDirectory of(Path dir) {
    return new ProjectDirectory(dir.toAbsolutePath().normalize());
  }

  @Override
  public Optional<Project> find(String name) {
    return Optional.ofNullable(all().get(name));
  }

  /** Every project in the directory, by name. */
  public Map<String, Project> all() {
    if (!Files.isDirectory(dir)) {
      throw new ProjectSourceException(
          dir.toString(), "projects directory " + dir + " does not exist", null);
    }
    Map<String, Project> byName = new HashMap<>();
    Map<String, Path> fileOf = new HashMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(ProjectDirectory::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new ProjectSourceException(
          dir.toString(), "cannot read projects directory " + dir + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      List<Project> projects;
      try {
        projects = Project.readAll(file);
      } catch (GlidepathException e) {
        throw new ProjectSourceException(
            file.toString(), "projects directory " + dir + ": " + e.getMessage(), e);
      }
      for (Project p : projects) {
        Path earlier = fileOf.putIfAbsent(p.name(), file);
        if (earlier != null) {
          throw new ProjectSourceException(
              file.toString(),
              "projects directory "
                  + dir
                  + ": project "
                  + p.name()
                  + " is defined twice, in "
                  + earlier.getFileName()
                  + " and "
                  + file.getFileName(),
              null);
        }
        byName.put(p.name(), p);
      }
    }
    return byName;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file)
        && !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  @Override
  public String toString() {
    return "ProjectSource.directory(" + dir + ")";
  }
}

package io.glidepath.cli;

import io.glidepath.core.project.ProjectSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where {@code sync} and {@code diff} take an Application's project from: only from what the person
 * running the command names ({@code --project FILE}, {@code --projects DIR}; for {@code sync} also
 * the cluster's AppProjects), never from a folder beside the Application, whose author could write
 * a project of their own. Nothing named: only the permissive project {@code default} exists, so an
 * app naming another project is refused, as in Argo CD.
 */
final class ProjectOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--project",
      paramLabel = "FILE",
      description =
          "An Argo CD AppProject file (repeatable); the app's spec.project must be one of them."
              + " Without --project/--projects only the permissive project default exists.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--projects",
      paramLabel = "DIR",
      description =
          "A directory of AppProject files (*.yaml, *.yml, *.json), found by metadata.name.")
  Path directory;

  boolean isSet() {
    return !files.isEmpty() || directory != null;
  }

  /** The projects named on the command line; none: only {@code default}. */
  ProjectSource source() {
    if (directory != null && !files.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give --project or --projects, not both");
    }
    if (directory != null) {
      return ProjectSource.directory(directory);
    }
    if (!files.isEmpty()) {
      return ProjectSource.read(files.toArray(Path[]::new));
    }
    return ProjectSource.defaults();
  }
}

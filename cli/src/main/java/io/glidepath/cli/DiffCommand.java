package io.glidepath.cli;

import io.glidepath.core.app.Application;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.project.ProjectGuard;
import io.glidepath.core.project.ProjectViolation;
import io.glidepath.core.project.ResourceScope;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath diff}: the rendered app (desired) against live objects from a file, printed as a
 * unified diff like {@code kubectl diff}, and, with an Application, the rules of its project the
 * render breaks.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the rendered app with live objects (kubectl get -o yaml output, a List or a"
          + " multi-document stream) and print a unified diff; Secret values are masked.",
      "Every live object in the file counts as tracked: one Git no longer declares is reported"
          + " as extraneous (a prune candidate).",
      "With --application, the app's project (from --project FILE or --projects DIR; none"
          + " given: only the permissive project default) is checked too and its violations"
          + " printed."
    })
final class DiffCommand implements Callable<Integer>, ExitCodes {
  /** The render breaks a rule of the app's project, or that project does not exist. */
  static final int PROJECT_VIOLATION = 3;

  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(
        OK,
        "in sync",
        NOT_GOOD,
        "drift",
        PROJECT_VIOLATION,
        "the render breaks a rule of the app's project, or that project does not exist"
            + " (--application)");
  }

  @Spec CommandSpec spec;

  @Mixin RenderOptions options;

  @Option(
      names = "--live",
      required = true,
      paramLabel = "FILE",
      description = "YAML or JSON file of live objects.")
  Path live;

  @Option(
      names = "--application",
      paramLabel = "FILE",
      description =
          "An Argo CD Application: its ignoreDifferences apply, and what the render options"
              + " leave out comes from it (destination namespace, Helm value files, release name;"
              + " its Helm parameters, then --set).")
  Path application;

  @Mixin ProjectOptions projects;

  @Override
  public Integer call() {
    if (projects.isSet() && application == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--project/--projects need --application (the app the project judges)");
    }
    Application app = application == null ? null : Application.read(application);
    RenderRequest request = app == null ? options.toRequest() : options.toRequest(app);
    RenderResult result = ManifestRenderer.detect(request.appDir()).render(request);
    result.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    ResourceSet liveObjects = ResourceSet.of(Yaml.readLiveResources(live));
    DiffOptions diffOptions = app == null ? DiffOptions.ofDefaults() : app.diffOptions();
    DriftReport report = DriftDetector.of(diffOptions).detect(result.resources(), liveObjects);
    PrintWriter out = spec.commandLine().getOut();
    out.print(report.unifiedDiff());
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    err.println(report.summary());
    List<ProjectViolation> violations =
        app == null
            ? List.of()
            : ProjectGuard.of(
                    projects.source(), ResourceScope.builtIn(), java.time.InstantSource.system())
                .checkResources(app, result.resources())
                .violations();
    violations.forEach(v -> err.println("project " + app.project() + ": " + v.message()));
    err.flush();
    if (!violations.isEmpty()) {
      return PROJECT_VIOLATION;
    }
    return report.isInSync() ? OK : NOT_GOOD;
  }
}

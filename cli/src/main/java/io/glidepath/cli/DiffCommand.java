package io.glidepath.cli;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.RenderedApplication;
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
      "With --application FILE and APP_PATH, APP_PATH is the checkout of the app's one source;"
          + " with --application FILE alone, every source (Git repositories, Helm repositories,"
          + " OCI registries, spec.sources with $ref value files) is fetched with the credentials"
          + " of --repo-credentials and rendered as the controller renders it.",
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

  @Option(
      names = "--repo-credentials",
      paramLabel = "FILE",
      description =
          "--application without APP_PATH: Argo CD repository Secrets (repository, repo-creds),"
              + " argocd-tls-certs-cm and argocd-ssh-known-hosts-cm, as YAML; repeatable. Never"
              + " printed.")
  List<Path> repoCredentials = new java.util.ArrayList<>();

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "--application without APP_PATH: where Git clones and charts are cached, kept for the"
              + " next run; default: a temporary directory, deleted afterwards.")
  Path cacheDir;

  @Mixin ProjectOptions projects;

  @Override
  public Integer call() throws java.io.IOException {
    if (projects.isSet() && application == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--project/--projects need --application (the app the project judges)");
    }
    Application app = application == null ? null : Application.read(application);
    ResourceSet desired;
    List<String> warnings;
    if (app != null && options.appPath == null) {
      List<String> given = options.given();
      if (!given.isEmpty()) {
        // the Application says how each source renders; a flag would silently apply to all of them
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            String.join(", ", given)
                + (given.size() == 1 ? " needs" : " need")
                + " APP_PATH: without it the Application's sources say how they render");
      }
      RenderedApplication r = ApplicationRendering.render(app, repoCredentials, cacheDir);
      desired = r.resources();
      warnings = r.warnings();
    } else {
      if (!repoCredentials.isEmpty() || cacheDir != null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--repo-credentials and --cache-dir are for --application without APP_PATH (every"
                + " source fetched from its repoURL)");
      }
      if (options.appPath == null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "Missing required parameter: 'APP_PATH' (or --application FILE)");
      }
      if (app != null && app.hasMultipleSources()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "APP_PATH is the checkout of an Application's one source, but "
                + application
                + " has spec.sources ("
                + app.sources().size()
                + " sources, rendered and combined as one app): leave APP_PATH out to render"
                + " every source from its repoURL");
      }
      RenderRequest request = options.toRequest();
      RenderResult result;
      if (app == null) {
        result = ManifestRenderer.detect(request.appDir()).render(request);
      } else {
        // as Argo CD: the app's override files in its directory, then the tool its source names
        Application merged = app.withOverrideFiles(request.repoRoot(), request.appDir());
        request = options.toRequest(merged);
        result = merged.source().renderer(request.appDir()).render(request);
      }
      desired = result.resources();
      warnings = result.warnings();
    }
    warnings.forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    ResourceSet liveObjects = ResourceSet.of(Yaml.readLiveResources(live));
    DiffOptions diffOptions = app == null ? DiffOptions.ofDefaults() : app.diffOptions();
    DriftReport report = DriftDetector.of(diffOptions).detect(desired, liveObjects);
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
                .checkResources(app, desired)
                .violations();
    violations.forEach(v -> err.println("project " + app.project() + ": " + v.message()));
    err.flush();
    if (!violations.isEmpty()) {
      return PROJECT_VIOLATION;
    }
    return report.isInSync() ? OK : NOT_GOOD;
  }
}

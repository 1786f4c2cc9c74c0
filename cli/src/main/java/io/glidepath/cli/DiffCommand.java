package io.glidepath.cli;

import io.glidepath.core.app.Application;
import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath diff}: the rendered app (desired) against live objects from a file, printed as a
 * unified diff like {@code kubectl diff}. Exit 0 in sync, 1 drift, 2 error.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the rendered app with live objects (kubectl get -o yaml output, a List or a"
          + " multi-document stream) and print a unified diff; Secret values are masked.",
      "Every live object in the file counts as tracked: one Git no longer declares is reported"
          + " as extraneous (a prune candidate).",
      "Exit status: 0 in sync, 1 drift, 2 error."
    })
final class DiffCommand implements Callable<Integer>, ExitCodes {
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
      description = "An Argo CD Application whose ignoreDifferences apply.")
  Path application;

  @Override
  public Integer call() {
    RenderRequest request = options.toRequest();
    RenderResult result = ManifestRenderer.detect(request.appDir()).render(request);
    result.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    ResourceSet liveObjects = ResourceSet.of(Yaml.readResources(live));
    DiffOptions diffOptions =
        application == null
            ? DiffOptions.ofDefaults()
            : Application.read(application).diffOptions();
    DriftReport report = DriftDetector.of(diffOptions).detect(result.resources(), liveObjects);
    PrintWriter out = spec.commandLine().getOut();
    out.print(report.unifiedDiff());
    out.flush();
    spec.commandLine().getErr().println(report.summary());
    return report.isInSync() ? 0 : 1;
  }

  @Override
  public int onError() {
    return 2;
  }
}

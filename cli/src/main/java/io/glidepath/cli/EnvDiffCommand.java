package io.glidepath.cli;

import io.glidepath.core.diff.EnvironmentComparison;
import io.glidepath.core.diff.EnvironmentDiff;
import io.glidepath.core.render.Parameter;
import io.glidepath.core.render.RenderRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glidepath env-diff}: renders two environments of one app and prints, per resource and
 * field, the value in each.
 */
@Command(
    name = "env-diff",
    mixinStandardHelpOptions = true,
    description = {
      "Render two environments of one app and show per resource and field the value in each.",
      "The render options (-f, --set, ...) apply to both; --values-a/--values-b add each"
          + " environment's own value files, --path-a/--path-b point at overlay directories.",
      "Example: env-diff apps/trade-service -f values.yaml --env-a staging --values-a"
          + " values-staging.yaml --env-b production --values-b values-production.yaml"
    })
final class EnvDiffCommand implements Callable<Integer>, ExitCodes {
  @Spec CommandSpec spec;

  @Mixin RenderOptions options;

  @Option(names = "--env-a", paramLabel = "NAME", description = "First environment's name.")
  String nameA = "a";

  @Option(names = "--env-b", paramLabel = "NAME", description = "Second environment's name.")
  String nameB = "b";

  @Option(
      names = "--values-a",
      paramLabel = "FILE",
      description = "Value file of the first environment; repeatable.")
  List<String> valuesA = new ArrayList<>();

  @Option(
      names = "--values-b",
      paramLabel = "FILE",
      description = "Value file of the second environment; repeatable.")
  List<String> valuesB = new ArrayList<>();

  @Option(
      names = "--set-a",
      paramLabel = "K=V",
      description = "Parameter of the first environment; repeatable.")
  List<String> setA = new ArrayList<>();

  @Option(
      names = "--set-b",
      paramLabel = "K=V",
      description = "Parameter of the second environment; repeatable.")
  List<String> setB = new ArrayList<>();

  @Option(
      names = "--path-a",
      paramLabel = "DIR",
      description = "App directory of the first environment (an overlay); default APP_PATH.")
  Path pathA;

  @Option(
      names = "--path-b",
      paramLabel = "DIR",
      description = "App directory of the second environment (an overlay); default APP_PATH.")
  Path pathB;

  @Override
  public Integer call() {
    RenderRequest base = options.toRequest();
    RenderRequest a = environment(base, pathA, valuesA, setA);
    RenderRequest b = environment(base, pathB, valuesB, setB);
    EnvironmentComparison comparison = EnvironmentDiff.create().compare(nameA, a, nameB, b);
    PrintWriter out = spec.commandLine().getOut();
    out.print(comparison.toTable());
    out.flush();
    return comparison.isIdentical() ? 0 : 1;
  }

  private static RenderRequest environment(
      RenderRequest base, Path path, List<String> values, List<String> set) {
    RenderRequest.Builder b;
    if (path == null) {
      b = base.newBuilder();
    } else {
      String rel = base.repoRoot().relativize(path.toAbsolutePath().normalize()).toString();
      b =
          RenderRequest.builder(base.repoRoot(), rel)
              .valueFiles(base.valueFiles())
              .parameters(base.parameters());
      base.namespace().ifPresent(b::namespace);
      base.kubeVersion().ifPresent(b::kubeVersion);
      b.releaseName(base.releaseName()).recurse(base.recurse());
    }
    b.valueFiles(values);
    set.forEach(s -> b.parameter(Parameter.parse(s)));
    return b.build();
  }

  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(OK, "identical", NOT_GOOD, "different");
  }
}

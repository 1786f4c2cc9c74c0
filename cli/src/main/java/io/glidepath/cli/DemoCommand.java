package io.glidepath.cli;

import io.glidepath.examples.TradeServiceDemo;
import io.glidepath.examples.demo.GitOpsDemo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glidepath demo}: the whole story of the trade-service example on embedded defaults (CI
 * write-back, sync, canary with Prometheus analysis, promotion, automatic rollback with a
 * notification, selfHeal), ending with the path of an HTML report; {@code --render-only} prints the
 * production render only.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the trade-service example end to end on embedded defaults: a local Git server,"
          + " an embedded cluster, simulated traffic, Prometheus (when installed) and a webhook."
    })
final class DemoCommand implements Callable<Integer>, ExitCodes {
  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(
        OK, "v2 was promoted and v3 rolled back, as the story goes", NOT_GOOD, "it went otherwise");
  }

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      description =
          "How many times faster than the example's real durations the canary runs"
              + " (default: ${DEFAULT-VALUE}).")
  double timeScale = GitOpsDemo.DEFAULT_TIME_SCALE;

  @Option(
      names = "--render-only",
      description = "Only render the chart for production and print it (no cluster, no Git).")
  boolean renderOnly;

  @Option(
      names = "--image-tag",
      paramLabel = "TAG",
      description = "With --render-only: the image tag to render (default: v2).")
  String imageTag = TradeServiceDemo.DEFAULT_TAG;

  @Option(names = "--no-manifests", description = "With --render-only: print only summaries.")
  boolean noManifests;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Write the HTML report (timeline, analysis charts, sync history) here (default: a"
              + " new "
              + GitOpsDemo.REPORT_FILE_PREFIX
              + "*.html in the temporary directory; the demo's other temporary files are"
              + " removed when it ends).")
  Path report;

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(System.out, true);
    if (renderOnly) {
      return new TradeServiceDemo(out, imageTag, !noManifests).run();
    }
    GitOpsDemo.Builder demo = GitOpsDemo.builder().out(out).timeScale(timeScale);
    if (report != null) {
      demo.report(report);
    }
    return demo.build().run().exitCode();
  }
}

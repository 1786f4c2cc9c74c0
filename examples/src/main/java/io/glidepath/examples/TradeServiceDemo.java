package io.glidepath.examples;

import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSummary;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.examples.demo.ExitCleanup;
import io.glidepath.examples.demo.TempFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's trade-service scenario, as far as Glidepath runs it today: the chart in {@code
 * examples/gitops-configs/apps/trade-service} rendered for production the way the seed's {@code
 * argocd-app.yaml} asks (values.yaml, then values-production.yaml, then the image tag CI wrote),
 * printed as manifests and as one line per resource.
 *
 * <p>Run it with {@code java -jar cli/target/glidepath-cli.jar demo} (README command 1).
 */
public final class TradeServiceDemo {
  /** The image tag the demo's CI step would write. */
  public static final String DEFAULT_TAG = "v2";

  private final PrintStream out;
  private final String imageTag;
  private final boolean printManifests;

  public TradeServiceDemo(PrintStream out, String imageTag, boolean printManifests) {
    this.out = out;
    this.imageTag = imageTag;
    this.printManifests = printManifests;
  }

  /** Runs the demo; returns the process exit code (0 when everything worked). */
  public int run() {
    Path work;
    try {
      work = Files.createTempDirectory("glidepath-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (ExitCleanup cleanup = ExitCleanup.install(work)) {
      return render(GitOpsConfigs.copyTo(work.resolve("gitops-configs")));
    } finally {
      TempFiles.deleteTree(work);
    }
  }

  private int render(Path repo) {
    out.println("Glidepath demo: the trade-service example, rendered for production");
    out.println("  repository  examples/gitops-configs (a copy)");
    out.println("  app         apps/trade-service (Helm chart)");
    out.println("  values      values.yaml, values-production.yaml, image.tag=" + imageTag);
    out.println();
    RenderRequest request =
        RenderRequest.builder(repo, "apps/trade-service")
            .valueFiles("values.yaml", "values-production.yaml")
            .parameter("image.tag", imageTag)
            .namespace("production")
            .build();
    long start = System.nanoTime();
    RenderResult result = ManifestRenderer.detect(request.appDir()).render(request);
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (printManifests) {
      out.print(Yaml.write(result.resources()));
      out.println();
    }
    out.println(
        "Rendered "
            + result.resources().size()
            + " resources with "
            + result.renderer()
            + " in "
            + millis
            + " ms:");
    for (Resource r : result.resources()) {
      out.println("  " + ResourceSummary.of(r));
    }
    result.warnings().forEach(w -> out.println("warning: " + w));
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new TradeServiceDemo(System.out, DEFAULT_TAG, true).run());
  }
}

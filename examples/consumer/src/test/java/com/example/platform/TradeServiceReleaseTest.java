package com.example.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glidepath.core.diff.DiffOptions;
import io.glidepath.core.diff.DriftDetector;
import io.glidepath.core.diff.DriftReport;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.rollout.CanaryPlan;
import io.glidepath.rollout.simulate.RolloutSimulator;
import io.glidepath.rollout.simulate.Scenario;
import io.glidepath.rollout.simulate.SimulationResult;
import io.glidepath.rollout.simulate.SimulationResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What a platform team checks before a release, with Glidepath as a plain dependency. */
class TradeServiceReleaseTest {
  static final Path REPO = Path.of("../gitops-configs");

  static RenderResult renderProduction() {
    RenderRequest request =
        RenderRequest.builder(REPO, "apps/trade-service")
            .valueFiles("values.yaml", "values-production.yaml")
            .parameter("image.tag", "v2")
            .namespace("production")
            .build();
    return ManifestRenderer.detect(request.appDir()).render(request);
  }

  @Test
  void theProductionRenderRunsTheImageCiWrote() {
    RenderResult rendered = renderProduction();

    assertEquals("helm", rendered.renderer());
    JsonNode image =
        rendered.resources().stream()
            .filter(r -> r.kind().equals("Rollout"))
            .findFirst()
            .orElseThrow()
            .body()
            .at("/spec/template/spec/containers/0/image");
    assertEquals("registry.example.com/org/trade-service:v2", image.asString());
  }

  @Test
  void theCanaryRollsBackABuildWithEightPercentErrors() {
    CanaryPlan plan =
        CanaryPlan.fromRollout(Yaml.write(renderProduction().resources()), "trade-service");

    SimulationResult result =
        RolloutSimulator.builder(plan).scenario(Scenario.named("errors-8pct")).build().run();

    assertEquals(Outcome.ROLLED_BACK, result.outcome(), result.toText());
  }

  @Test
  void liveObjectsReadFromAFileAreComparedWithGit(@TempDir Path tmp) throws Exception {
    ResourceSet desired = renderProduction().resources();
    Path liveFile = tmp.resolve("live.yaml"); // kubectl get ... -o yaml > live.yaml
    Files.writeString(liveFile, Yaml.write(desired));

    ResourceSet live = ResourceSet.of(Yaml.readResources(liveFile));
    DriftReport report = DriftDetector.of(DiffOptions.ofDefaults()).detect(desired, live);

    assertTrue(report.isInSync(), report.summary().toString());
  }
}

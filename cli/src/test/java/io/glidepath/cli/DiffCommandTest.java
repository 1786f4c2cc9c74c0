package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class DiffCommandTest {
  private static final String[] PRODUCTION = {
    RenderCommandTest.APP,
    "-f",
    "values.yaml",
    "-f",
    "values-production.yaml",
    "--set",
    "image.tag=v1.4.2",
    "--namespace",
    "production"
  };

  @TempDir Path tmp;

  private static String[] args(String command, String[] common, String... more) {
    String[] all = new String[1 + common.length + more.length];
    all[0] = command;
    System.arraycopy(common, 0, all, 1, common.length);
    System.arraycopy(more, 0, all, 1 + common.length, more.length);
    return all;
  }

  /** The rendered app as the API server would return it, changed by {@code edit}. */
  private Path live(java.util.function.UnaryOperator<Resource> edit) throws IOException {
    Run rendered = RenderCommandTest.run(args("render", PRODUCTION));
    assertThat(rendered.code()).isZero();
    List<Resource> objects =
        Yaml.readResources(rendered.out(), "rendered.yaml").stream()
            .map(
                r ->
                    r.edit(
                        b -> {
                          ObjectNode meta = b.withObjectProperty("metadata");
                          meta.put("uid", "3f9a").put("resourceVersion", "77");
                          b.putObject("status").put("observedGeneration", 1);
                        }))
            .map(edit)
            .toList();
    Path file = tmp.resolve("live.yaml");
    Files.writeString(file, Yaml.write(ResourceSet.of(objects)));
    return file;
  }

  @Test
  void exitsZeroWhenTheClusterMatchesGit() throws IOException {
    Run run = RenderCommandTest.run(args("diff", PRODUCTION, "--live", live(r -> r).toString()));
    assertThat(run.err()).contains("0 modified, 0 missing, 0 extraneous");
    assertThat(run.out()).isEmpty();
    assertThat(run.code()).isZero();
  }

  @Test
  void exitsOneAndPrintsTheDiffOnDrift() throws IOException {
    Path live =
        live(
            r ->
                r.kind().equals("Rollout")
                    ? r.edit(b -> b.withObjectProperty("spec").put("replicas", 3))
                    : r);
    Run run = RenderCommandTest.run(args("diff", PRODUCTION, "--live", live.toString()));
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("--- live/argoproj.io.v1alpha1.Rollout.production.trade-service")
        .contains("-  replicas: 3")
        .contains("+  replicas: 10");
    assertThat(run.err()).contains("1 modified");
  }

  @Test
  void applicationIgnoreDifferencesApply() throws IOException {
    Path live =
        live(
            r ->
                r.kind().equals("Rollout")
                    ? r.edit(b -> b.withObjectProperty("spec").put("replicas", 3))
                    : r);
    Path app = tmp.resolve("app.yaml");
    Files.writeString(
        app,
        Files.readString(Path.of(RenderCommandTest.APP, "argocd-app.yaml"))
            + "  ignoreDifferences:\n"
            + "    - group: argoproj.io\n"
            + "      kind: Rollout\n"
            + "      jsonPointers: [/spec/replicas]\n");
    Run run =
        RenderCommandTest.run(
            args(
                "diff",
                PRODUCTION,
                "--live",
                live.toString(),
                "--application",
                app.toString(),
                "--project",
                PROJECT));
    assertThat(run.out()).isEmpty();
    assertThat(run.code()).isZero();
  }

  private static final String SEED_APP =
      Path.of(RenderCommandTest.APP, "argocd-app.yaml").toString();
  private static final String PROJECT =
      Path.of("../examples/gitops-configs/projects/production.yaml").toString();

  @Test
  void checksTheSeedAppAgainstTheProjectsDirectoryGiven() throws IOException {
    Run run =
        RenderCommandTest.run(
            args(
                "diff",
                PRODUCTION,
                "--live",
                live(r -> r).toString(),
                "--application",
                SEED_APP,
                "--projects",
                Path.of(PROJECT).getParent().toString()));
    assertThat(run.err()).doesNotContain("project production:");
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void neverTakesAProjectFromAFolderBesideTheApplication() throws IOException {
    // the seed layout has projects/production.yaml above the app: without --project/--projects
    // only the permissive default exists, so the app's project production does not
    Run run =
        RenderCommandTest.run(
            args("diff", PRODUCTION, "--live", live(r -> r).toString(), "--application", SEED_APP));
    assertThat(run.err()).contains("project production does not exist");
    assertThat(run.code()).isEqualTo(DiffCommand.PROJECT_VIOLATION);
  }

  @Test
  void printsProjectViolationsAndExitsThree() throws IOException {
    Path project = tmp.resolve("production.yaml");
    Files.writeString(
        project,
        Files.readString(Path.of(PROJECT)).replace("    - {group: '', kind: Service}\n", ""));
    Run run =
        RenderCommandTest.run(
            args(
                "diff",
                PRODUCTION,
                "--live",
                live(r -> r).toString(),
                "--application",
                SEED_APP,
                "--project",
                project.toString()));
    assertThat(run.err())
        .contains(
            "project production: Service:production/trade-service-stable: kind Service is not"
                + " in namespaceResourceWhitelist of project production");
    assertThat(run.code()).isEqualTo(3);
  }

  @Test
  void anAppWhoseProjectIsNowhereIsAViolation() throws IOException {
    Path app = tmp.resolve("app.yaml");
    Files.copy(Path.of(SEED_APP), app);
    Run run =
        RenderCommandTest.run(
            args(
                "diff",
                PRODUCTION,
                "--live",
                live(r -> r).toString(),
                "--application",
                app.toString()));
    assertThat(run.err()).contains("project production does not exist");
    assertThat(run.code()).isEqualTo(DiffCommand.PROJECT_VIOLATION);
  }

  @Test
  void theApplicationSuppliesWhatTheCommandLineLeavesOut() throws IOException {
    // what Argo CD renders for the seed app: its value files, its (empty) image.tag parameter and
    // its destination namespace
    String[] asArgo = {
      RenderCommandTest.APP,
      "-f",
      "values.yaml",
      "-f",
      "values-production.yaml",
      "--set",
      "image.tag=",
      "--namespace",
      "production"
    };
    Run rendered = RenderCommandTest.run(args("render", asArgo));
    assertThat(rendered.code()).as(rendered.err()).isZero();
    Path live = tmp.resolve("live.yaml");
    Files.writeString(live, rendered.out());

    Run run =
        RenderCommandTest.run(
            args(
                "diff",
                new String[] {RenderCommandTest.APP},
                "--live",
                live.toString(),
                "--application",
                SEED_APP,
                "--projects",
                Path.of(PROJECT).getParent().toString()));

    assertThat(run.err()).contains("0 modified, 0 missing, 0 extraneous");
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void exitsTwoOnBadInput() {
    Run run =
        RenderCommandTest.run(
            args("diff", PRODUCTION, "--live", tmp.resolve("missing.yaml").toString()));
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ");
  }

  @Test
  void envDiffShowsStagingAgainstProduction() {
    Run run =
        RenderCommandTest.run(
            "env-diff",
            RenderCommandTest.APP,
            "-f",
            "values.yaml",
            "--env-a",
            "staging",
            "--values-a",
            "values-staging.yaml",
            "--env-b",
            "production",
            "--values-b",
            "values-production.yaml");
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("RESOURCE")
        .containsPattern("argoproj.io/Rollout/trade-service +spec.replicas +2 +10")
        .contains("autoscaling/HorizontalPodAutoscaler/trade-service");
  }
}

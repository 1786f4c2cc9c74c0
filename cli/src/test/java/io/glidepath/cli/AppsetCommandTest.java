package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code glidepath appset generate} against hand-written expected Applications. */
class AppsetCommandTest {
  static final Path DIR = Path.of("src/test/resources/appset");

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static List<JsonNode> docs(String yaml, String source) {
    return Yaml.readDocuments(yaml, source).stream().map(YamlDocument::content).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "clusters", "git-directories", "git-files", "matrix", "merge"})
  void generatesWhatArgoCdGenerates(String kind) throws Exception {
    Run run =
        run(
            "appset",
            "generate",
            DIR.resolve(kind + ".yaml").toString(),
            "--repo",
            DIR.resolve("repo").toString(),
            "--clusters",
            DIR.resolve("clusters").toString());
    assertThat(run.code()).as(run.err()).isZero();
    List<JsonNode> expected =
        docs(Files.readString(DIR.resolve("expected/" + kind + ".yaml")), kind);
    assertThat(docs(run.out(), "output")).isEqualTo(expected);
    assertThat(run.err()).contains(expected.size() + " Application(s) generated");
    assertThat(run.out()).doesNotContain("not-a-real-token");
  }

  @Test
  void anUnknownFieldIsAnInputErrorNamingFileLineAndField(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(
        f,
        Files.readString(DIR.resolve("list.yaml"))
            .replace("      elementsYaml: |", "      elementz: []\n      elementsYaml: |"));
    Run run = run("appset", "generate", f.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(f + ":16:7")
        .contains("spec.generators[0].list.elementz: unknown field");
  }

  @Test
  void refusesTheGeneratorsItDoesNotSupport(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("scm.yaml");
    Files.writeString(
        f,
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: x}\nspec:\n"
            + "  generators:\n  - pullRequest:\n      github: {owner: o, repo: r}\n"
            + "  template:\n    metadata: {name: x}\n    spec:\n      project: default\n"
            + "      source: {repoURL: r, path: p}\n      destination: {server: s}\n");
    Run run = run("appset", "generate", f.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("spec.generators[0].pullRequest")
        .contains("the pullRequest generator is not supported by Glidepath");
  }

  @Test
  void aTemplateErrorNamesTheGenerator(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("missing.yaml");
    Files.writeString(
        f, Files.readString(DIR.resolve("matrix.yaml")).replace("-{{ .name }}'", "-{{ .nope }}'"));
    Run run =
        run(
            "appset",
            "generate",
            f.toString(),
            "--repo",
            DIR.resolve("repo").toString(),
            "--clusters",
            DIR.resolve("clusters").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("spec.generators[0].template")
        .contains("map has no entry for key \"nope\"");
  }

  @Test
  void helpListsTheExitCodes() {
    Run run = run("appset", "generate", "--help");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("Exit codes:").containsPattern("(?m)^  0 +generated");
  }
}

package io.glidepath.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.glidepath.core.render.KustomizeOptions;
import io.glidepath.core.render.ManifestRenderer;
import io.glidepath.core.render.RenderRequest;
import io.glidepath.core.render.RenderResult;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.kustomize.internal.Json;
import io.glidepath.testkit.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Renders every case under {@code src/test/resources/kustomize/} (and the trade-service overlays of
 * {@code examples/gitops-configs}) with Glidepath and with {@code kubectl kustomize}, once each,
 * and compares: same resources, same order, same values.
 *
 * <p>A case is a directory whose {@code repo/} is the repository root; {@code build} (one line)
 * names the directory to build inside it, {@code repo/} itself when absent. A case with a {@code
 * DEVIATION.md} is one where Glidepath deliberately differs: the file says why, Glidepath must give
 * {@code expected.yaml}, and kubectl must still give something else (so the test notices when
 * kustomize changes).
 *
 * <p>A case with a {@code flags} file passes those {@code kustomize build} flags to both ({@code
 * --load-restrictor LoadRestrictionsNone}, {@code --enable-managedby-label}).
 *
 * <p>A case with an {@code error} file is one kubectl refuses: Glidepath must refuse it too, with
 * the {@link KustomizeException.Problem} the file names.
 *
 * <p>Needs {@code kubectl} (1.32, kustomize v5.5) on the PATH; without it the test is skipped
 * locally and fails when {@code CI=true}.
 */
class KustomizeConformanceIT {
  private static final Path CASES = Path.of("src/test/resources/kustomize");
  private static final Path EXAMPLES = Path.of("../examples/gitops-configs");

  @BeforeAll
  static void kubectlIsThere() {
    ExternalTool.require(ExternalTool.KUBECTL);
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(CASES)) {
      for (Path dir : dirs.sorted().toList()) {
        Path build = dir.resolve("build");
        String app =
            Files.exists(build) ? Files.readString(build, StandardCharsets.UTF_8).strip() : "";
        out.add(Arguments.of(dir.getFileName().toString(), dir.resolve("repo"), app, dir));
      }
    }
    for (String env : List.of("staging", "production")) {
      out.add(
          Arguments.of(
              "trade-service-" + env,
              EXAMPLES,
              "apps/trade-service-kustomize/overlays/" + env,
              null));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersWhatKubectlKustomizeRenders(String name, Path repo, String app, Path caseDir)
      throws Exception {
    Path flagsFile = caseDir == null ? null : caseDir.resolve("flags");
    List<String> flags =
        flagsFile != null && Files.exists(flagsFile)
            ? List.of(Files.readString(flagsFile, StandardCharsets.UTF_8).strip().split("\\s+"))
            : List.of();
    RenderRequest request =
        RenderRequest.builder(repo, app)
            .kustomize(
                KustomizeOptions.NONE.withBuild(
                    KustomizeOptions.BuildOptions.parse(String.join(" ", flags))))
            .build();
    assertThat(ManifestRenderer.detect(request.appDir())).isInstanceOf(KustomizeRenderer.class);
    // kustomize skips patches whose target selects nothing; the strict default refuses them
    ManifestRenderer renderer = KustomizeRenderer.lenient();
    Path error = caseDir == null ? null : caseDir.resolve("error");
    if (error != null && Files.exists(error)) {
      KustomizeException.Problem expected =
          KustomizeException.Problem.valueOf(
              Files.readString(error, StandardCharsets.UTF_8).strip());
      assertThatThrownBy(() -> renderer.render(request))
          .isInstanceOf(KustomizeException.class)
          .satisfies(e -> assertThat(((KustomizeException) e).problem()).isEqualTo(expected));
      assertThat(kubectlRefuses(request.appDir(), flags))
          .as("kubectl kustomize refuses it too")
          .isTrue();
      return;
    }
    RenderResult result = renderer.render(request);
    List<JsonNode> ours = new ArrayList<>();
    for (Resource r : result.resources()) {
      ours.add(r.body());
    }
    // what Glidepath writes must read back to the same values
    List<JsonNode> reread = new ArrayList<>();
    for (YamlDocument d : Yaml.readDocuments(Yaml.write(result.resources()), "glidepath")) {
      reread.add(d.content());
    }
    assertThat(reread).hasSameSizeAs(ours);
    for (int i = 0; i < ours.size(); i++) {
      assertThat(Json.equalValues(ours.get(i), reread.get(i))).as("round trip " + i).isTrue();
    }

    List<JsonNode> kubectl = kubectlKustomize(request.appDir(), flags);
    Path deviation = caseDir == null ? null : caseDir.resolve("DEVIATION.md");
    if (deviation != null && Files.exists(deviation)) {
      List<JsonNode> expected = new ArrayList<>();
      for (YamlDocument d : Yaml.readDocuments(caseDir.resolve("expected.yaml"))) {
        expected.add(d.content());
      }
      compare("Glidepath vs expected.yaml", ours, expected);
      assertThat(same(ours, kubectl))
          .as(
              "kubectl kustomize now gives what Glidepath gives: the deviation in "
                  + deviation
                  + " is gone, turn the case into a plain one")
          .isFalse();
      return;
    }
    compare("Glidepath vs kubectl kustomize", ours, kubectl);
  }

  private static boolean same(List<JsonNode> a, List<JsonNode> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Json.equalValues(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static void compare(String what, List<JsonNode> ours, List<JsonNode> theirs) {
    List<String> oursIds = ours.stream().map(KustomizeConformanceIT::id).toList();
    List<String> theirIds = theirs.stream().map(KustomizeConformanceIT::id).toList();
    assertThat(oursIds).as(what + ": resources and order").isEqualTo(theirIds);
    for (int i = 0; i < ours.size(); i++) {
      if (!Json.equalValues(ours.get(i), theirs.get(i))) {
        assertThat(Yaml.write(ours.get(i)))
            .as(what + ": " + oursIds.get(i))
            .isEqualTo(Yaml.write(theirs.get(i)));
        fail(what + ": " + oursIds.get(i) + " differs in number types only");
      }
    }
  }

  private static String id(JsonNode n) {
    return n.path("apiVersion").asString("")
        + " "
        + n.path("kind").asString("")
        + " "
        + n.path("metadata").path("namespace").asString("")
        + "/"
        + n.path("metadata").path("name").asString("");
  }

  private static List<String> command(Path dir, List<String> flags) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "kustomize", dir.toString()));
    cmd.addAll(flags);
    return cmd;
  }

  private static boolean kubectlRefuses(Path dir, List<String> flags) throws Exception {
    Process p = new ProcessBuilder(command(dir, flags)).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() != 0;
  }

  private static List<JsonNode> kubectlKustomize(Path dir, List<String> flags) throws Exception {
    Process p =
        new ProcessBuilder(command(dir, flags)).redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("kubectl kustomize " + dir + ": " + new String(err, StandardCharsets.UTF_8))
        .isZero();
    List<JsonNode> docs = new ArrayList<>();
    for (YamlDocument d : Yaml.readDocuments(new String(out, StandardCharsets.UTF_8), "kubectl")) {
      docs.add(d.content());
    }
    return docs;
  }
}

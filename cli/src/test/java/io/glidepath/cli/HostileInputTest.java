package io.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.cli.RenderCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's hostile inputs through the command line: each ends with a typed error (exit 2, one
 * message, no stack trace) that leaks no secret, or with a masked result.
 */
class HostileInputTest {
  @TempDir Path tmp;

  private static final String SECRET_HEAD =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n";

  private Path file(String name, String content) throws IOException {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    return f;
  }

  private static void assertTypedError(Run run, String... secrets) {
    // an input error (2; render's own code for a failed render is 1), never a crash (70)
    assertThat(run.code()).as(run.out() + run.err()).isIn(1, 2);
    assertThat(run.err())
        .startsWith("error: ")
        .doesNotContain("\tat ")
        .doesNotContain("Exception:");
    for (String s : secrets) {
      assertThat(run.out() + run.err()).doesNotContain(s);
    }
  }

  @Test
  void aSecretWhoseDataIsAListIsRefusedByDiffWithoutItsValues() throws IOException {
    file("app/s.yaml", SECRET_HEAD + "data:\n  - c2VjcmV0LWxpc3QtdmFsdWU=\n");
    Path live = file("live.yaml", SECRET_HEAD + "data: c3RyaW5nLXZhbHVl\n");

    Run run =
        RenderCommandTest.run("diff", tmp.resolve("app").toString(), "--live", live.toString());

    assertTypedError(run, "c2VjcmV0LWxpc3QtdmFsdWU=", "c3RyaW5nLXZhbHVl");
    assertThat(run.err()).contains("Secret default/s: data must be a map", "is a list");
  }

  @Test
  void aSecretWithAMapValuedEntryIsATypedErrorNotACrash() throws IOException {
    file("app/s.yaml", SECRET_HEAD + "data:\n  k: c2VjcmV0\n");
    Path live = file("live.yaml", SECRET_HEAD + "data:\n  k:\n    nested: c2VjcmV0bWFw\n");

    Run run =
        RenderCommandTest.run("diff", tmp.resolve("app").toString(), "--live", live.toString());

    assertTypedError(run, "c2VjcmV0bWFw");
    assertThat(run.err()).contains("data.k must be a string, but is a map");
  }

  @Test
  void aSecretValueTaggedIntIsNeverEchoed() throws IOException {
    file("app/s.yaml", SECRET_HEAD + "stringData:\n  pin: !!int 12345678\n");
    file("bad/s.yaml", SECRET_HEAD + "stringData:\n  password: !!int hunter2\n");
    Path live = file("live.yaml", SECRET_HEAD + "data: {}\n");

    Run number =
        RenderCommandTest.run("diff", tmp.resolve("app").toString(), "--live", live.toString());
    assertTypedError(number, "12345678");
    assertThat(number.err()).contains("stringData.pin must be a string, but is a number");

    Run text =
        RenderCommandTest.run("diff", tmp.resolve("bad").toString(), "--live", live.toString());
    assertTypedError(text, "hunter2");
    assertThat(text.err()).contains("s.yaml:5", "tagged !!int");
  }

  @Test
  void envDiffRefusesAMalformedSecretWithoutItsValues() throws IOException {
    file("a/s.yaml", SECRET_HEAD + "data:\n  - c2VjcmV0LWxpc3QtdmFsdWU=\n");
    file("b/s.yaml", SECRET_HEAD + "data: c3RyaW5nLXZhbHVl\n");

    Run run =
        RenderCommandTest.run(
            "env-diff",
            tmp.resolve("a").toString(),
            "--repo-root",
            tmp.toString(),
            "--path-a",
            tmp.resolve("a").toString(),
            "--path-b",
            tmp.resolve("b").toString());

    assertTypedError(run, "c2VjcmV0LWxpc3QtdmFsdWU=", "c3RyaW5nLXZhbHVl");
  }

  @Test
  void aPasswordInTheRepoUrlOfARefusedAppIsMasked() throws IOException {
    Path app =
        file(
            "argo/app.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: s, namespace: argocd}
            spec:
              project: prod
              source: {repoURL: 'https://bot:p@ss-hunter2@git.example.com/org/r.git', path: app}
              destination: {server: 'https://kubernetes.default.svc', namespace: default}
            """);
    Path project =
        file(
            "projects/prod.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: prod}
            spec:
              sourceRepos: ['https://git.example.com/org/other.git']
              destinations: [{server: '*', namespace: '*'}]
            """);
    file(
        "app/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n");
    Path live =
        file(
            "live.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n");

    Run run =
        RenderCommandTest.run(
            "diff",
            tmp.resolve("app").toString(),
            "--live",
            live.toString(),
            "--application",
            app.toString(),
            "--project",
            project.toString());

    assertThat(run.code()).isEqualTo(DiffCommand.PROJECT_VIOLATION);
    assertThat(run.err()).contains("https://bot:***@git.example.com/org/r.git", "sourceRepos");
    assertThat(run.out() + run.err()).doesNotContain("hunter2").doesNotContain("ss-hunter");
  }

  @Test
  void aDeeplyNestedFileIsATypedErrorWithFileAndLine() throws IOException {
    file(
        "deep/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: "
            + "[".repeat(5_000)
            + "]".repeat(5_000)
            + "\n");
    Path live = file("live.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");

    Run run =
        RenderCommandTest.run("diff", tmp.resolve("deep").toString(), "--live", live.toString());

    assertTypedError(run);
    assertThat(run.err()).contains("cm.yaml:4:", "nesting deeper than 100 levels");
  }

  @Test
  void aHelmParameterNameOfThousandsOfSegmentsIsATypedError() {
    Run run =
        RenderCommandTest.run(
            "render", RenderCommandTest.APP, "--set", "a" + ".a".repeat(2_999) + "=x");

    assertTypedError(run);
    assertThat(run.err()).contains("more than 100 segments").hasSizeLessThan(1_000);
  }

  @Test
  void aMillionDigitIntegerRendersAsAStringQuickly() throws IOException {
    String digits = "7".repeat(1_500_000);
    file(
        "big/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {big: " + digits + "}\n");

    Run run = RenderCommandTest.run("render", tmp.resolve("big").toString());

    assertThat(run.code()).as(run.err()).isZero();
    // go-yaml cannot hold it as a number, so it is the string it reads as
    assertThat(run.out()).contains("big: 7777");
  }

  @Test
  void durationsBeyondGosRangeAreTypedErrorsNamingTheField() throws IOException {
    Path project =
        file(
            "p.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: p}
            spec:
              syncWindows:
              - {kind: deny, schedule: '* * * * *', duration: 99999999999999999999h, applications: ['*']}
            """);
    Run window = RenderCommandTest.run("windows", "--project", project.toString());
    assertTypedError(window);
    assertThat(window.err()).contains("syncWindows[0]", "longer than Go's largest duration");

    Path ok =
        file(
            "ok.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\n");
    Run at =
        RenderCommandTest.run(
            "windows", "--project", ok.toString(), "--at", "99999999999999999999");
    assertTypedError(at);
    assertThat(at.err()).contains("out of range");

    Path template =
        file(
            "t.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              metrics:
              - name: m
                interval: 99999999999999999999h
                successCondition: result[0] > 0
                provider: {prometheus: {address: 'http://127.0.0.1:1', query: up}}
            """);
    Run analyze = RenderCommandTest.run("analyze", "--template", template.toString());
    assertTypedError(analyze);
    assertThat(analyze.err()).contains("spec.metrics[0].interval", "longer than Go's largest");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithTheByteOffset() throws IOException {
    Path app = java.nio.file.Files.createDirectories(tmp.resolve("latin1"));
    java.nio.file.Files.write(
        app.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\u00e9}\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    Run run = RenderCommandTest.run("render", app.toString());

    assertTypedError(run);
    assertThat(run.err()).contains("not valid UTF-8", "offset 51").doesNotContain("Input length");
  }

  @Test
  void analyzeWarnsAboutAnArgumentSplicedIntoAConditionAndBindArgsBindsIt() throws IOException {
    Path template =
        file(
            "errors.yaml",
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: errors}
            spec:
              args: [{name: threshold}]
              metrics:
              - name: error-rate
                successCondition: result[0] < {{args.threshold}}
                provider: {prometheus: {address: 'http://127.0.0.1:1', query: up}}
            """);

    Run spliced =
        RenderCommandTest.run(
            "analyze", "--template", template.toString(), "--arg", "threshold=2 || true");
    assertThat(spliced.err())
        .contains(
            "warning: template errors, metric error-rate: successCondition splices argument"
                + " 'threshold' into the expression");

    Run bound =
        RenderCommandTest.run(
            "analyze",
            "--template",
            template.toString(),
            "--arg",
            "threshold=2 || true",
            "--bind-args");
    assertThat(bound.err()).doesNotContain("warning:");
  }
}
